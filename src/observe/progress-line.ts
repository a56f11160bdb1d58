import { formatElapsedMs, formatRate, formatUs } from './format-units.js';
import type { MetricsSnapshot } from './run-metrics.js';

/**
 * The live status line on stderr during a run:
 *
 *   elapsed 12s  ops 12345  1029 ops/s  p99 3.20ms  errors 0  users 50/50
 *
 * On a TTY one line is rewritten in place every interval; otherwise (CI logs, files) a full line is
 * printed every 10 s so logs stay readable. The timer is unref'd: progress never keeps a process
 * alive on its own.
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Interval between lines when the stream is not a terminal. */
export const NON_TTY_INTERVAL_MS = 10_000;

/** `\r` + erase the whole line (ECMA-48 EL, parameter 2). */
const CLEAR_LINE = '\r\x1b[2K';

export function formatProgress(s: MetricsSnapshot): string {
  const users = s.targetUsers > 0 ? `${s.activeUsers}/${s.targetUsers}` : String(s.activeUsers);
  let line =
    `elapsed ${formatElapsedMs(s.elapsedMs)}  ops ${s.ops}  ${formatRate(s.opsPerSecond)} ops/s  ` +
    `p99 ${s.ops > 0 ? formatUs(s.p99Us) : '-'}  errors ${s.errors}  users ${users}`;
  if (s.mismatched > 0) line += `  mismatched ${s.mismatched}`;
  if (s.skips > 0) line += `  skipped ${s.skips}`;
  return line;
}

export class ProgressLine {
  private readonly stream: ProgressStream;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private getSnapshot: (() => MetricsSnapshot) | undefined;
  private drawn = false;

  constructor(stream: ProgressStream = process.stderr, intervalMs = 1000) {
    this.stream = stream;
    this.intervalMs = intervalMs;
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  start(getSnapshot: () => MetricsSnapshot): void {
    this.stop();
    this.getSnapshot = getSnapshot;
    // Off a terminal, sample at the print rate so ops/s covers the printed interval.
    const every = this.isTTY ? this.intervalMs : Math.max(this.intervalMs, NON_TTY_INTERVAL_MS);
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  /** Draws once now (e.g. a final update before the summary). */
  tick(): void {
    if (!this.getSnapshot) return;
    const line = formatProgress(this.getSnapshot());
    if (this.isTTY) {
      // A line wider than the terminal wraps and `\r` would then only rewrite its last row.
      const columns = this.stream.columns ?? 0;
      const fitted = columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
      this.stream.write(CLEAR_LINE + fitted);
      this.drawn = true;
    } else {
      this.stream.write(line + '\n');
    }
  }

  /** Stops updating; on a TTY the line is erased so the summary starts on a clean line. */
  stop(): void {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (this.drawn) {
      this.stream.write(CLEAR_LINE);
      this.drawn = false;
    }
    this.getSnapshot = undefined;
  }
}
