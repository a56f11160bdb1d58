/**
 * `--start-at`: a wall-clock instant at which every shard starts its users, so N processes on N
 * machines (e.g. the pods of a Kubernetes Indexed Job, which start seconds apart) apply their load
 * together. Each process logs in, prepares and loads its ops first, then waits for the instant.
 * Clocks are assumed synchronised (NTP); a process that arrives late starts at once and reports by
 * how much it was late.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

/** Unix ms that are clearly milliseconds (after 2001-09-09), not seconds. */
const MIN_UNIX_MS = 1_000_000_000_000;
/** A relative form for scripts: `+30s`, `+2m`. */
const RELATIVE = /^\+(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses `--start-at`: an ISO 8601 time with a zone (`2025-01-31T12:00:00Z`), Unix milliseconds
 * (`1738324800000`), or `+DURATION` from now (`+30s`). Returns Unix ms.
 */
export function parseStartAt(text: string, nowMs: number = Date.now()): number {
  const input = text.trim();
  const relative = RELATIVE.exec(input);
  if (relative) return Math.round(nowMs + Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (/^\d+$/.test(input)) {
    const ms = Number(input);
    if (!Number.isSafeInteger(ms) || ms < MIN_UNIX_MS) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `--start-at: ${input} is not Unix time in milliseconds (seconds? multiply by 1000)`,
      );
    }
    return ms;
  }
  // Without a zone Date.parse uses local time, which differs between pods: refuse it.
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(input);
  const ms = Date.parse(input);
  if (!hasZone || !Number.isFinite(ms) || !/^\d{4}-\d\d-\d\dT/.test(input)) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--start-at must be an ISO time with a zone (2025-01-31T12:00:00Z), Unix ms or +30s, got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

/** What happened at the start barrier, for results.meta. */
export interface StartBarrier {
  readonly startAt: string;
  /** How long this process waited (0 when it arrived late). */
  readonly waitedMs: number;
  /** How late this process arrived (0 when on time). */
  readonly lateMs: number;
}

/**
 * Waits until `startAtMs` (Unix ms) or until `signal` aborts. Long waits are cut into steps so a
 * wall-clock adjustment during the wait (NTP slew) is followed.
 */
export async function waitForStart(
  startAtMs: number,
  signal?: AbortSignal,
  nowMs: () => number = Date.now,
): Promise<StartBarrier> {
  const arrived = nowMs();
  const startAt = new Date(startAtMs).toISOString();
  if (arrived >= startAtMs) return { startAt, waitedMs: 0, lateMs: arrived - startAtMs };
  while (!signal?.aborted) {
    const left = startAtMs - nowMs();
    if (left <= 0) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(left, 1000));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
  return { startAt, waitedMs: Math.max(0, nowMs() - arrived), lateMs: 0 };
}
