import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { VarintReader, VarintWriter } from './varint.js';

/**
 * An HDR-style log-linear histogram of integer microseconds (after Gil Tene's HdrHistogram).
 *
 * Values are grouped in buckets whose width doubles with each power of two, and each bucket is
 * split into `subBucketCount` linear sub-buckets, so every recorded value is kept to within
 * 1 part in 10^significantDigits. Recording is one index computation and one array increment:
 * no allocation, O(1), which is what the per-op hot path of thousands of users needs.
 *
 * Exact min, max and sum are tracked beside the buckets, so min/max/mean are exact and survive
 * encode/merge; percentiles are exact to the bucket resolution.
 */
export interface HistogramOptions {
  readonly lowest?: number;
  readonly highest?: number;
  readonly significantDigits?: 2 | 3;
}

export interface HistogramJson {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly encoded: string;
}

/** 1 hour in µs: the longest latency worth distinguishing; longer ones clamp and are counted. */
export const HISTOGRAM_DEFAULT_HIGHEST_US = 3_600_000_000;
export const HISTOGRAM_ENCODING_PREFIX = 'H1:';

const TWO_POW_32 = 4294967296;

function log2Floor(value: number): number {
  if (value < TWO_POW_32) return 31 - Math.clz32(value);
  return 63 - Math.clz32(Math.floor(value / TWO_POW_32));
}

function usage(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, message);
}

export class HdrHistogram {
  readonly lowest: number;
  readonly highest: number;
  readonly significantDigits: 2 | 3;
  /** Values recorded above `highest` (clamped to it). */
  overflowCount = 0;

  private readonly unitMagnitude: number;
  private readonly subBucketHalfCountMagnitude: number;
  private readonly subBucketHalfCount: number;
  private readonly subBucketCount: number;
  /** Values at or below this land in bucket 0 (the fully linear range). */
  private readonly subBucketMask: number;
  private readonly counts: Float64Array;
  private total = 0;
  private minValue = Infinity;
  private maxValue = 0;
  private sum = 0;

  constructor(opts: HistogramOptions = {}) {
    const lowest = opts.lowest ?? 1;
    const highest = opts.highest ?? HISTOGRAM_DEFAULT_HIGHEST_US;
    const digits = opts.significantDigits ?? 3;
    if (!Number.isSafeInteger(lowest) || lowest < 1)
      throw usage(`histogram lowest must be >= 1, got ${lowest}`);
    if (!Number.isSafeInteger(highest) || highest < 2 * lowest) {
      throw usage(`histogram highest must be >= 2 * lowest, got ${highest}`);
    }
    if (digits !== 2 && digits !== 3)
      throw usage(`histogram significantDigits must be 2 or 3, got ${digits}`);
    this.lowest = lowest;
    this.highest = highest;
    this.significantDigits = digits;

    // Sub-buckets must resolve 1 unit up to 2 * 10^digits, so precision holds across a bucket.
    const largestSingleUnit = 2 * 10 ** digits;
    const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
    this.subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
    this.subBucketCount = 2 ** subBucketCountMagnitude;
    this.subBucketHalfCount = this.subBucketCount / 2;
    this.unitMagnitude = log2Floor(lowest);
    this.subBucketMask = (this.subBucketCount - 1) * 2 ** this.unitMagnitude;

    let smallestUntrackable = this.subBucketCount * 2 ** this.unitMagnitude;
    let bucketCount = 1;
    while (smallestUntrackable <= highest) {
      smallestUntrackable *= 2;
      bucketCount++;
    }
    this.counts = new Float64Array((bucketCount + 1) * this.subBucketHalfCount);
  }

  get count(): number {
    return this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** Standard deviation, from bucket midpoints around the exact mean (as HdrHistogram does). */
  get stddev(): number {
    if (this.total === 0) return 0;
    const mean = this.mean;
    let squares = 0;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (c === 0) continue;
      const d = this.medianEquivalentValue(this.valueFromIndex(i)) - mean;
      squares += d * d * c;
    }
    return Math.sqrt(squares / this.total);
  }

  record(value: number, count = 1): void {
    let v = value > 0 ? Math.floor(value) : 0;
    if (v > this.highest) {
      v = this.highest;
      this.overflowCount += count;
    }
    const index = this.countsIndexFor(v);
    this.counts[index] = (this.counts[index] as number) + count;
    this.total += count;
    this.sum += v * count;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = v;
  }

  /**
   * Records `value` and back-fills the samples a stalled closed-loop client failed to issue, as
   * HdrHistogram's recordValueWithExpectedInterval does (coordinated-omission correction): one
   * sample at value - k * expectedInterval for each k while that stays >= expectedInterval.
   */
  recordCorrected(value: number, expectedInterval: number): void {
    this.record(value);
    if (!(expectedInterval > 0) || value <= expectedInterval) return;
    for (let missing = value - expectedInterval; missing >= expectedInterval; missing -= expectedInterval) {
      this.record(missing);
    }
  }

  /** Adds every count of `other` (same lowest/highest/significantDigits) into this one, exactly. */
  merge(other: HdrHistogram): void {
    if (!this.sameConfig(other)) {
      throw usage(
        `cannot merge histograms with different configurations ` +
          `(${this.describeConfig()} vs ${other.describeConfig()})`,
      );
    }
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < theirs.length; i++) {
      const c = theirs[i] as number;
      if (c !== 0) mine[i] = (mine[i] as number) + c;
    }
    this.total += other.total;
    this.sum += other.sum;
    this.overflowCount += other.overflowCount;
    if (other.total > 0) {
      if (other.minValue < this.minValue) this.minValue = other.minValue;
      if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    }
  }

  /**
   * The value at percentile `p` (0..100): the highest value equivalent (same bucket) to the
   * recorded value at that rank, as HdrHistogram's getValueAtPercentile; clamped to the exact
   * [min, max] so p100 is the true max and no percentile exceeds it.
   */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const requested = Math.min(Math.max(p, 0), 100);
    const rank = Math.max(1, Math.ceil((requested / 100) * this.total));
    const counts = this.counts;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i] as number;
      if (seen >= rank) {
        const value = this.valueFromIndex(i);
        const equivalent = requested === 0 ? value : this.highestEquivalentValue(value);
        return Math.min(Math.max(equivalent, this.minValue), this.maxValue);
      }
    }
    return this.maxValue;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.minValue = Infinity;
    this.maxValue = 0;
    this.overflowCount = 0;
  }

  /**
   * 'H1:' + base64 of varints: config, totals, exact min/max, float64 sum, then one
   * (index delta, count) pair per non-zero bucket. Sparse, so a typical latency histogram is a
   * few hundred bytes, and lossless, so decoded histograms merge exactly.
   */
  encode(): string {
    const w = new VarintWriter(256);
    w.write(this.lowest).write(this.highest).write(this.significantDigits);
    w.write(this.total).write(this.overflowCount).write(this.min).write(this.maxValue);
    w.writeFloat64(this.sum);
    const counts = this.counts;
    let nonZero = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) nonZero++;
    w.write(nonZero);
    let previous = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (c === 0) continue;
      w.write(i - previous).write(c);
      previous = i;
    }
    return HISTOGRAM_ENCODING_PREFIX + w.toBuffer().toString('base64');
  }

  static decode(text: string): HdrHistogram {
    const fail = (why: string): SmbBenchError =>
      usage(`not an encoded histogram (${why}): ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`);
    if (typeof text !== 'string' || !text.startsWith(HISTOGRAM_ENCODING_PREFIX))
      throw fail('missing H1: prefix');
    const body = text.slice(HISTOGRAM_ENCODING_PREFIX.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw fail('not base64');
    const r = new VarintReader(Buffer.from(body, 'base64'));
    const next = (what: string): number => {
      const v = r.read();
      if (v === undefined) throw fail(`truncated at ${what}`);
      return v;
    };
    const lowest = next('lowest');
    const highest = next('highest');
    const digits = next('significantDigits');
    if (digits !== 2 && digits !== 3) throw fail('bad significantDigits');
    let h: HdrHistogram;
    try {
      h = new HdrHistogram({ lowest, highest, significantDigits: digits });
    } catch (cause) {
      throw fail(`bad configuration: ${(cause as Error).message}`);
    }
    const total = next('count');
    h.overflowCount = next('overflow');
    const min = next('min');
    const max = next('max');
    const sum = r.readFloat64();
    if (sum === undefined || !Number.isFinite(sum)) throw fail('bad sum');
    const nonZero = next('bucket count');
    let index = 0;
    let counted = 0;
    for (let k = 0; k < nonZero; k++) {
      const delta = next('bucket index');
      index += delta;
      const c = next('bucket count');
      if (index >= h.counts.length || c === 0 || (k > 0 && delta === 0)) throw fail('bucket out of range');
      h.counts[index] = c;
      counted += c;
    }
    if (r.remaining !== 0) throw fail('trailing bytes');
    if (counted !== total || min > max || (total > 0 && max > highest)) throw fail('inconsistent totals');
    h.total = total;
    h.sum = sum;
    h.minValue = total === 0 ? Infinity : min;
    h.maxValue = max;
    return h;
  }

  toJSON(): HistogramJson {
    return {
      count: this.total,
      min: this.min,
      max: this.max,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      encoded: this.encode(),
    };
  }

  private sameConfig(other: HdrHistogram): boolean {
    return (
      this.lowest === other.lowest &&
      this.highest === other.highest &&
      this.significantDigits === other.significantDigits
    );
  }

  private describeConfig(): string {
    return `${this.lowest}..${this.highest}/${this.significantDigits}`;
  }

  private countsIndexFor(value: number): number {
    // HdrHistogram's getBucketIndex/getSubBucketIndex, with log2 instead of a 64-bit clz.
    const bucketIndex =
      log2Floor(value > this.subBucketMask ? value : this.subBucketMask) -
      this.unitMagnitude -
      this.subBucketHalfCountMagnitude;
    const shift = bucketIndex + this.unitMagnitude;
    const subBucketIndex = value < TWO_POW_32 ? value >>> shift : Math.floor(value / 2 ** shift);
    return (
      ((bucketIndex + 1) << this.subBucketHalfCountMagnitude) + (subBucketIndex - this.subBucketHalfCount)
    );
  }

  private valueFromIndex(index: number): number {
    let bucketIndex = (index >> this.subBucketHalfCountMagnitude) - 1;
    let subBucketIndex = (index & (this.subBucketHalfCount - 1)) + this.subBucketHalfCount;
    if (bucketIndex < 0) {
      subBucketIndex -= this.subBucketHalfCount;
      bucketIndex = 0;
    }
    return subBucketIndex * 2 ** (bucketIndex + this.unitMagnitude);
  }

  private sizeOfEquivalentRange(value: number): number {
    const bucketIndex =
      log2Floor(value > this.subBucketMask ? value : this.subBucketMask) -
      this.unitMagnitude -
      this.subBucketHalfCountMagnitude;
    return 2 ** (bucketIndex + this.unitMagnitude);
  }

  /** Highest value in the same bucket as `value` (valueFromIndex gives the lowest). */
  private highestEquivalentValue(lowestInBucket: number): number {
    return lowestInBucket + this.sizeOfEquivalentRange(lowestInBucket) - 1;
  }

  private medianEquivalentValue(lowestInBucket: number): number {
    return lowestInBucket + Math.floor(this.sizeOfEquivalentRange(lowestInBucket) / 2);
  }
}
