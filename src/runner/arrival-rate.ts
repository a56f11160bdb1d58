/**
 * Open-model arrivals (issue #13): `--arrival-rate` starts user sessions at a rate of its own,
 * independent of how fast the server answers, like k6's constant- and ramping-arrival-rate
 * executors. A closed model (`--users N` replaying back to back) slows down with the server and so
 * under-reports what a slow server does to a population that keeps arriving: coordinated omission.
 *
 * Syntax: comma-separated stages `RATE[:DURATION]`, RATE as `N/s`, `N/m` or `N/h`. The rate ramps
 * linearly from the previous stage's rate to this stage's over its duration; the first stage starts
 * at its own rate. One stage without a duration holds for the whole `--duration`.
 *   5/s                      five sessions a second for --duration
 *   1/s:30s,20/s:1m,20/s:2m  one a second, ramped to 20/s over a minute, held for two
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { parseDurationMs } from './duration.js';

export interface ArrivalStage {
  /** Sessions per second at the end of the stage. */
  readonly ratePerSecond: number;
  /** Stage length; undefined only for a single stage that lasts the whole run. */
  readonly durationMs: number | undefined;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };
const RATE = /^(\d+(?:\.\d+)?)\/([smh])$/;

function usage(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, `--arrival-rate: ${message}`);
}

export function parseArrivalRate(spec: string): ArrivalStage[] {
  const parts = spec.split(',').map((p) => p.trim());
  const stages = parts.map((part): ArrivalStage => {
    const colon = part.indexOf(':');
    const rateText = colon < 0 ? part : part.slice(0, colon);
    const m = RATE.exec(rateText);
    if (m === null) throw usage(`${JSON.stringify(rateText)} is not a rate like 5/s, 30/m or 100/h`);
    const ratePerSecond = Number(m[1]) / UNIT_SECONDS[m[2]!]!;
    const durationMs = colon < 0 ? undefined : parseDurationMs(part.slice(colon + 1), 'arrival-rate');
    return { ratePerSecond, durationMs };
  });
  if (stages.length > 1 && stages.some((s) => s.durationMs === undefined)) {
    throw usage('with several stages, each needs a duration (RATE:DURATION)');
  }
  if (stages.every((s) => s.ratePerSecond === 0)) throw usage('the rate is zero throughout');
  return stages;
}

/** The stages' total length; undefined for one open-ended stage. */
export function arrivalStagesMs(stages: readonly ArrivalStage[]): number | undefined {
  if (stages.some((s) => s.durationMs === undefined)) return undefined;
  return stages.reduce((n, s) => n + (s.durationMs ?? 0), 0);
}

/** The highest rate reached, sessions per second (for sizing the pool of virtual users). */
export function peakArrivalRate(stages: readonly ArrivalStage[]): number {
  return Math.max(...stages.map((s) => s.ratePerSecond));
}

/**
 * Offsets (µs from the start) of every arrival within `limitMs`, in order. Arrival n falls where
 * the integral of the rate reaches n: within a stage ramping from r0 to r1 over T, that integral is
 * r0·t + (r1 − r0)·t²/(2T), solved for t. Deterministic, so two runs of one spec arrive alike.
 */
export function* arrivalOffsetsUs(stages: readonly ArrivalStage[], limitMs: number): Generator<number> {
  let startS = 0;
  let previousRate = stages[0]!.ratePerSecond;
  let due = 0; // arrivals owed up to the start of the stage (fractional)
  let next = 0; // index of the next arrival
  const limitS = limitMs / 1000;
  for (const stage of stages) {
    const T = stage.durationMs === undefined ? limitS - startS : stage.durationMs / 1000;
    const r0 = previousRate;
    const r1 = stage.durationMs === undefined ? r0 : stage.ratePerSecond;
    const inStage = r0 * T + ((r1 - r0) * T) / 2;
    while (next < due + inStage) {
      const n = next - due; // arrivals into this stage
      const t = solveRamp(r0, r1, T, n);
      const at = startS + t;
      if (at >= limitS) return;
      yield Math.round(at * 1e6);
      next++;
    }
    due += inStage;
    startS += T;
    previousRate = r1;
    if (startS >= limitS) return;
  }
}

/** The t in [0, T] at which r0·t + (r1 − r0)·t²/(2T) = n. */
function solveRamp(r0: number, r1: number, T: number, n: number): number {
  const a = (r1 - r0) / (2 * T);
  if (Math.abs(a) < 1e-12) return n / r0;
  // a·t² + r0·t − n = 0, the root in [0, T].
  return (-r0 + Math.sqrt(r0 * r0 + 4 * a * n)) / (2 * a);
}
