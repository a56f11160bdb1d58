import type { Logger } from 'pino';
import type { OpSample } from './kind-metrics.js';
import { outcomeName } from './kind-metrics.js';
import { isMismatch } from './mismatch-breakdown.js';
import { ntStatusName } from '../smb2/nt-status.js';
import type { RunMetrics, RunMetricsListener } from './run-metrics.js';
import type { BreakTallies, PoolCounters, RunObserver } from './run-observer.js';

/**
 * Turns a run's events into log records without flooding the log: a server that fails every op
 * of 5,000 users must not produce 5,000 records a second. The first occurrence of each failure
 * kind (op + status, a user's login error) is logged at once with its details; repeats are
 * counted and summarized once per interval. Reconnects and breaks are polled from the pool on the
 * same interval (they are rare and already counted there).
 *
 * The hot path (onOp of a successful op) is one comparison.
 */
export interface RunLogObserverOptions {
  /** How often repeats, retries, skips, reconnects and breaks are summarized; default 10 s. */
  readonly intervalMs?: number;
  /** Distinct login failures logged one by one before only counting; default 10. */
  readonly maxUserErrors?: number;
}

export const DEFAULT_LOG_INTERVAL_MS = 10_000;

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function drain(map: Map<string, number>): Record<string, number> | undefined {
  if (map.size === 0) return undefined;
  const out = Object.fromEntries(map);
  map.clear();
  return out;
}

/** An error's message and stable code, for a record's `err` field. */
export function errorFields(err: unknown): { message: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? { message: err.message, code } : { message: err.message };
  }
  return { message: String(err) };
}

export class RunLogObserver implements RunObserver, RunMetricsListener {
  private readonly intervalMs: number;
  private readonly maxUserErrors: number;
  /** "kind status" already logged once. */
  private readonly seenFailures = new Set<string>();
  private readonly repeatedFailures = new Map<string, number>();
  private readonly retries = new Map<string, number>();
  private readonly skips = new Map<string, number>();
  private userErrors = 0;
  private pool: PoolCounters | undefined;
  private lastReconnects = 0;
  private lastBreaks: BreakTallies = { received: 0, acknowledged: 0, failedAcks: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    options: RunLogObserverOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_LOG_INTERVAL_MS;
    this.maxUserErrors = options.maxUserErrors ?? 10;
  }

  attach(metrics: RunMetrics, pool: PoolCounters): void {
    metrics.addListener(this);
    this.pool = pool;
    this.lastReconnects = pool.reconnects;
    this.lastBreaks = { ...pool.breaks };
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  onOp(s: OpSample, isError: boolean): void {
    if (isMismatch(s) && this.log.isLevelEnabled('debug')) {
      this.log.debug(
        {
          op: s.kind,
          recorded: ntStatusName(s.expectedStatus! >>> 0),
          replayed: outcomeName(s),
          ...(s.path === undefined ? {} : { path: s.path }),
        },
        'status mismatch',
      );
    }
    if (!isError) return;
    const key = `${s.kind} ${outcomeName(s)}`;
    if (this.seenFailures.has(key)) {
      increment(this.repeatedFailures, key);
      return;
    }
    this.seenFailures.add(key);
    this.log.warn(
      {
        op: s.kind,
        status: outcomeName(s),
        ...(s.expectedStatus === undefined ? {} : { expected: s.expectedStatus >>> 0 }),
        latencyUs: s.serviceUs,
      },
      'op failed (first of its kind; repeats are summarized)',
    );
  }

  onRetry(kind: string): void {
    increment(this.retries, kind);
  }

  onSkip(kind: string, reason: string): void {
    increment(this.skips, `${kind}: ${reason}`);
  }

  onUserError(userIndex: number, error: unknown): void {
    this.userErrors++;
    if (this.userErrors <= this.maxUserErrors) {
      this.log.warn({ user: userIndex, error: errorFields(error) }, 'virtual user could not log in');
    } else if (this.userErrors === this.maxUserErrors + 1) {
      this.log.warn(
        { logged: this.maxUserErrors },
        'more login failures: counted, no longer logged one by one',
      );
    }
  }

  /** Logs what accumulated since the last flush. Called by the interval and by stop(). */
  flush(): void {
    const repeated = drain(this.repeatedFailures);
    if (repeated) this.log.warn({ failures: repeated, windowMs: this.intervalMs }, 'repeated op failures');
    const retries = drain(this.retries);
    if (retries) this.log.info({ retries }, 'ops retried after transport errors or timeouts');
    const skips = drain(this.skips);
    if (skips) this.log.debug({ skips }, 'ops skipped');
    const pool = this.pool;
    if (pool === undefined) return;
    if (pool.reconnects > this.lastReconnects) {
      this.log.warn(
        { reconnects: pool.reconnects - this.lastReconnects, total: pool.reconnects },
        'connections re-established',
      );
      this.lastReconnects = pool.reconnects;
    }
    const b = pool.breaks;
    if (b.received > this.lastBreaks.received || b.failedAcks > this.lastBreaks.failedAcks) {
      const delta = {
        received: b.received - this.lastBreaks.received,
        acknowledged: b.acknowledged - this.lastBreaks.acknowledged,
        failedAcks: b.failedAcks - this.lastBreaks.failedAcks,
      };
      if (delta.failedAcks > 0)
        this.log.warn({ breaks: delta }, 'oplock/lease break acknowledgements failed');
      else this.log.info({ breaks: delta }, 'oplock/lease breaks');
      this.lastBreaks = { ...b };
    }
  }

  /** Stops the interval and logs the last summary. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
