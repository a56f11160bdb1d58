/**
 * Live measurements from worker threads to the main thread. Each worker subscribes to its
 * RunMetrics and batches every sample into a Float64Array (transferred, not copied) that it posts a
 * few times per second; the main thread replays the batches into one mirror RunMetrics. The mirror
 * feeds the progress line and live observers (Prometheus) exactly as a single-thread run would.
 *
 * The mirror is for live views only: final results come from the workers' own RunResults, merged
 * exactly (the mirror stamps samples with the time they arrived, not when they completed).
 */
import type { FidelityNote } from '../../observe/fidelity-notes.js';
import type { OpSample } from '../../observe/kind-metrics.js';
import type { RunMetrics, RunMetricsListener } from '../../observe/run-metrics.js';

/**
 * Numbers per op sample: kind, service, from-intended, bytes, status, expected (NaN: none), error
 * (-1: none), fidelity note (-1: none).
 */
const OP_FIELDS = 8;
const INITIAL_CAPACITY = 1024;

export interface RelayBatch {
  /** Names the numeric kind/error indexes refer to (the worker's whole table, it stays small). */
  readonly names: readonly string[];
  readonly ops: Float64Array;
  readonly lags: Float64Array;
  readonly skips: readonly (readonly [kind: string, reason: string])[];
  readonly retries: readonly string[];
}

/** Worker side: a RunMetrics listener that accumulates samples until `take()`. */
export class RelayRecorder implements RunMetricsListener {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private ops = new Float64Array(INITIAL_CAPACITY * OP_FIELDS);
  private opCount = 0;
  private lags = new Float64Array(INITIAL_CAPACITY);
  private lagCount = 0;
  private skips: [string, string][] = [];
  private retries: string[] = [];

  onOp(s: OpSample): void {
    if ((this.opCount + 1) * OP_FIELDS > this.ops.length) this.ops = grow(this.ops);
    const o = this.opCount * OP_FIELDS;
    this.ops[o] = this.nameIndex(s.kind);
    this.ops[o + 1] = s.serviceUs;
    this.ops[o + 2] = s.fromIntendedUs;
    this.ops[o + 3] = s.bytes;
    this.ops[o + 4] = s.status;
    // NaN, not -1: statuses may arrive as signed int32 (kind-metrics.ts), so -1 is a status.
    this.ops[o + 5] = s.expectedStatus ?? NaN;
    this.ops[o + 6] = s.error === undefined ? -1 : this.nameIndex(s.error);
    this.ops[o + 7] = s.note === undefined ? -1 : this.nameIndex(s.note);
    this.opCount++;
  }

  onLag(lagUs: number): void {
    if (this.lagCount >= this.lags.length) this.lags = grow(this.lags);
    this.lags[this.lagCount++] = lagUs;
  }

  onSkip(kind: string, reason: string): void {
    this.skips.push([kind, reason]);
  }

  onRetry(kind: string): void {
    this.retries.push(kind);
  }

  /** Whether anything was recorded since the last take. */
  get isEmpty(): boolean {
    return this.opCount === 0 && this.lagCount === 0 && this.skips.length === 0 && this.retries.length === 0;
  }

  /** The samples so far (fresh buffers are started, so the batch's can be transferred). */
  take(): RelayBatch {
    const batch: RelayBatch = {
      names: this.names.slice(),
      ops: this.ops.slice(0, this.opCount * OP_FIELDS),
      lags: this.lags.slice(0, this.lagCount),
      skips: this.skips,
      retries: this.retries,
    };
    this.opCount = 0;
    this.lagCount = 0;
    this.skips = [];
    this.retries = [];
    return batch;
  }

  private nameIndex(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** Main side: replays a worker's batch into the mirror metrics. */
export function applyRelayBatch(metrics: RunMetrics, batch: RelayBatch): void {
  const { names, ops, lags } = batch;
  for (let o = 0; o + OP_FIELDS <= ops.length; o += OP_FIELDS) {
    const expected = ops[o + 5]!;
    const error = ops[o + 6]!;
    const note = ops[o + 7]!;
    metrics.recordOp({
      kind: names[ops[o]!]!,
      serviceUs: ops[o + 1]!,
      fromIntendedUs: ops[o + 2]!,
      bytes: ops[o + 3]!,
      status: ops[o + 4]!,
      expectedStatus: Number.isNaN(expected) ? undefined : expected,
      ...(error < 0 ? {} : { error: names[error]! }),
      ...(note < 0 ? {} : { note: names[note] as FidelityNote }),
    });
  }
  for (const lag of lags) metrics.recordLag(lag);
  for (const [kind, reason] of batch.skips) metrics.recordSkip(kind, reason);
  for (const kind of batch.retries) metrics.recordRetry(kind);
}
