/**
 * Durations on the command line (`--ramp-up 10s`, `--duration 2m`, `--op-timeout 500ms`): a number
 * with a unit. A bare number is refused, because "60" could mean seconds or milliseconds.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
} as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses `250ms`, `10s`, `1.5m`, `2h` (also `1m30s`) to milliseconds. */
export function parseDurationMs(text: string, flag = 'duration'): number {
  const input = text.trim();
  let total = 0;
  let rest = input;
  // Compound forms like 1m30s: peel one number+unit at a time.
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) break;
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    rest = rest.slice(m[0].length);
  }
  if (
    input === '' ||
    rest.length > 0 ||
    !(DURATION.test(input) || /^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(input))
  ) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--${flag} must be a duration like 500ms, 10s, 2m or 1h, got ${JSON.stringify(text)}`,
    );
  }
  if (!Number.isFinite(total)) throw new SmbBenchError(ErrorCode.USAGE, `--${flag} is too large: ${text}`);
  return Math.round(total);
}

/** Formats milliseconds for messages: 1500 -> "1.5s", 120000 -> "2m". */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(3)}m`;
  return `${+(ms / 3_600_000).toFixed(3)}h`;
}
