import { isNtError, ntStatusName } from '../smb2/nt-status.js';
import { isEquivalence, noteCountFields, type FidelityNote } from './fidelity-notes.js';
import { HdrHistogram } from './hdr-histogram.js';
import { MismatchBreakdown } from './mismatch-breakdown.js';
import type { KindResults } from './run-results.js';

/**
 * What one completed op reports to the metrics. Latencies are microseconds; `status` is the NT
 * status the server answered (MS-ERREF 2.3), `expectedStatus` the one recorded in the capture.
 */
export interface OpSample {
  readonly kind: string;
  readonly serviceUs: number;
  readonly fromIntendedUs: number;
  readonly bytes: number;
  readonly status: number;
  readonly expectedStatus: number | undefined;
  /** Error code for failures without a status, e.g. ERR_SMB_TIMEOUT; `status` is then ignored. */
  readonly error?: string;
  /** The workload path the op worked on (its own or its handle's), for mismatch examples. */
  readonly path?: string;
  /** Why `status` may differ from `expectedStatus` (fidelity-notes.ts); only read on a difference. */
  readonly note?: FidelityNote | undefined;
}

/**
 * An op is an error when it failed without a status (transport, timeout...) or failed with an
 * error-severity status the capture did not record. A recorded failure reproduced at replay
 * (e.g. STATUS_OBJECT_NAME_NOT_FOUND both times) is faithful replay, not a load-test error.
 */
export function isErrorSample(s: OpSample): boolean {
  if (s.error !== undefined) return true;
  if (!isNtError(s.status)) return false;
  // Statuses may arrive as signed int32 (e.g. from readInt32LE) or unsigned: compare as uint32.
  return s.expectedStatus === undefined || s.status >>> 0 !== s.expectedStatus >>> 0;
}

/** The label of an op's outcome: its error code, or its NT status name. */
export function outcomeName(s: OpSample): string {
  return s.error ?? ntStatusName(s.status);
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function tally<K>(map: ReadonlyMap<K, number>, name: (key: K) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of map) {
    const label = name(key);
    out[label] = (out[label] ?? 0) + n;
  }
  return out;
}

const statusLabel = (key: number | string): string => (typeof key === 'string' ? key : ntStatusName(key));

/**
 * Accumulators for one op kind, created once on the kind's first op. Outcomes are keyed by the
 * numeric status (or error code) and named only in toResults, so recording allocates nothing.
 */
export class KindMetrics {
  ops = 0;
  errors = 0;
  bytes = 0;
  retries = 0;
  matched = 0;
  mismatched = 0;
  equivalent = 0;
  private readonly equivalences: Record<string, number> = {};
  private readonly explained: Record<string, number> = {};
  readonly service = new HdrHistogram();
  readonly fromIntended = new HdrHistogram();
  private readonly outcomes = new Map<number | string, number>();
  /** expected status -> actual status or error code -> count. */
  private readonly mismatchCounts = new Map<number, Map<number | string, number>>();
  private readonly breakdown = new MismatchBreakdown();

  constructor(readonly kind: string) {}

  /** Records the op; returns whether it counted as an error (the caller keeps global totals). */
  record(s: OpSample): boolean {
    this.ops++;
    this.bytes += s.bytes;
    this.service.record(s.serviceUs);
    this.fromIntended.record(s.fromIntendedUs);
    const outcome = s.error ?? s.status >>> 0;
    increment(this.outcomes, outcome);
    const error = isErrorSample(s);
    if (error) this.errors++;
    if (s.expectedStatus !== undefined) {
      if (s.error === undefined && s.status >>> 0 === s.expectedStatus >>> 0) {
        this.matched++;
      } else if (s.error === undefined && s.note !== undefined && isEquivalence(s.note)) {
        this.equivalent++;
        this.equivalences[s.note] = (this.equivalences[s.note] ?? 0) + 1;
      } else {
        this.mismatched++;
        if (s.note !== undefined) this.explained[s.note] = (this.explained[s.note] ?? 0) + 1;
        const expected = s.expectedStatus >>> 0;
        let byActual = this.mismatchCounts.get(expected);
        if (byActual === undefined) {
          byActual = new Map();
          this.mismatchCounts.set(expected, byActual);
        }
        increment(byActual, outcome);
        this.breakdown.add(expected, outcome, s.path);
      }
    }
    return error;
  }

  mismatches(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [expected, byActual] of this.mismatchCounts) {
      for (const [actual, n] of byActual) {
        const key = `expected ${ntStatusName(expected)} got ${statusLabel(actual)}`;
        out[key] = (out[key] ?? 0) + n;
      }
    }
    return out;
  }

  toResults(): KindResults {
    return {
      ops: this.ops,
      errors: this.errors,
      bytes: this.bytes,
      service: this.service.toJSON(),
      fromIntended: this.fromIntended.toJSON(),
      statuses: tally(this.outcomes, statusLabel),
      fidelity: {
        matched: this.matched,
        mismatched: this.mismatched,
        mismatches: this.mismatches(),
        breakdown: this.breakdown.rows(),
        ...noteCountFields(this.equivalent, this.equivalences, this.explained),
      },
      retries: this.retries,
    };
  }
}
