/**
 * A tiny human-readable rendering of pino's JSON lines, for a terminal:
 *
 *   14:03:07.512 WARN  connections re-established reconnects=1 total=3
 *
 * (pino-pretty would pull a dozen dependencies for this.) On a TTY each line starts by erasing
 * the current row, because the progress line sits there without a newline: the log line replaces
 * it and the progress line is redrawn on its next tick, instead of the two being glued together.
 */

/** Where rendered lines go (process.stderr, or a test double). */
export interface LogTextStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** pino's numeric levels (pino/lib/constants). */
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** `\r` + erase the whole line (ECMA-48 EL 2), as the progress line does. */
const CLEAR_LINE = '\r\x1b[2K';

/** Fields pino adds that the pretty line shows elsewhere or not at all. */
const HIDDEN_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

function formatTime(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  if (Number.isNaN(date.getTime())) return '--:--:--.---';
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** One JSON log record -> one line (without the trailing newline); non-JSON text passes through. */
export function formatLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  if (typeof record !== 'object' || record === null) return json.trimEnd();
  const level = LEVEL_NAMES[record['level'] as number] ?? String(record['level']);
  const parts = [formatTime(record['time']), level.padEnd(5)];
  if (typeof record['msg'] === 'string') parts.push(record['msg']);
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN_KEYS.has(key) || value === undefined) continue;
    if ((key === 'err' || key === 'error') && typeof value === 'object' && value !== null) {
      const err = value as { message?: unknown; code?: unknown };
      parts.push(
        `${key}=${formatValue(err.message)}${err.code === undefined ? '' : ` code=${String(err.code)}`}`,
      );
      continue;
    }
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

/** A pino destination that writes each record as a pretty line to `out`. */
export class PrettyLogStream {
  constructor(private readonly out: LogTextStream) {}

  write(chunk: string): boolean {
    const prefix = this.out.isTTY === true ? CLEAR_LINE : '';
    // pino writes one record per call, but be robust to several newline-separated ones.
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.out.write(`${prefix}${formatLogLine(line)}\n`);
    }
    return true;
  }
}
