/**
 * Fixed-bucket cumulative counters for a Prometheus histogram, fed from the run's hot path.
 *
 * Why not prom-client's Histogram: its observe() builds a label key and walks an object per call
 * (about 1 µs), five times RunMetrics.recordOp itself. Here a sample costs a short linear scan over
 * a dozen bounds (latencies are mostly small, so it usually stops in the first few) and one
 * Float64Array increment; the cumulative `le` series is built only when Prometheus scrapes.
 * The exposition follows the Prometheus text format: `_bucket{le}` counts are cumulative,
 * `+Inf` equals `_count`, `_sum` is in the base unit (seconds).
 */

/** Service latency bounds, seconds: 0.5 ms .. 30 s covers file-server ops from cache hits to stalls. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** Schedule lag bounds, seconds: a healthy generator stays below 1 ms; seconds mean it is saturated. */
export const LAG_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5,
];

/** One exported sample, as prom-client's Registry formats it. */
export interface PromSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

export class CumulativeBuckets {
  /** Upper bounds in µs, the unit samples arrive in. */
  private readonly boundsUs: Float64Array;
  /** Non-cumulative count per bound, plus one slot for values above the last bound. */
  private readonly counts: Float64Array;
  private sumUs = 0;
  private total = 0;

  constructor(private readonly boundsSeconds: readonly number[]) {
    for (let i = 1; i < boundsSeconds.length; i++) {
      if (!((boundsSeconds[i] as number) > (boundsSeconds[i - 1] as number))) {
        throw new RangeError('histogram bounds must increase strictly');
      }
    }
    this.boundsUs = Float64Array.from(boundsSeconds, (s) => s * 1e6);
    this.counts = new Float64Array(boundsSeconds.length + 1);
  }

  get count(): number {
    return this.total;
  }

  get sumSeconds(): number {
    return this.sumUs / 1e6;
  }

  record(valueUs: number): void {
    const bounds = this.boundsUs;
    let i = 0;
    while (i < bounds.length && valueUs > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sumUs += valueUs;
    this.total++;
  }

  /** Count of recorded values <= each bound, in bound order (the `le` series without +Inf). */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.boundsSeconds.length; i++) {
      acc += this.counts[i] as number;
      out.push(acc);
    }
    return out;
  }

  /** `_bucket` (with `le`), `_sum` and `_count` samples under `name` with `labels`. */
  samples(name: string, labels: Readonly<Record<string, string>> = {}): PromSample[] {
    const cumulative = this.cumulative();
    const out: PromSample[] = this.boundsSeconds.map((le, i) => ({
      value: cumulative[i] as number,
      labels: { ...labels, le },
      metricName: `${name}_bucket`,
    }));
    out.push({ value: this.total, labels: { ...labels, le: '+Inf' }, metricName: `${name}_bucket` });
    out.push({ value: this.sumSeconds, labels, metricName: `${name}_sum` });
    out.push({ value: this.total, labels, metricName: `${name}_count` });
    return out;
  }
}
