/**
 * `--arrival-rate` as run options (issue #13, src/runner/arrival-rate.ts): the run lasts
 * `--duration` (or the stages' total), users replay session after session until then, and
 * `--users` is the pool of virtual users that take the arrivals (default: ten seconds' worth at
 * the peak rate, like k6's preAllocatedVUs).
 */
import {
  arrivalStagesMs,
  parseArrivalRate,
  peakArrivalRate,
  type ArrivalStage,
} from '../runner/arrival-rate.js';
import { usageError } from './cli-command.js';

/** Sessions per virtual user are bounded by the run's end, not by a count. */
const UNBOUNDED_SESSIONS = 1_000_000_000;
const POOL_SECONDS = 10;

export interface ArrivalFlags {
  readonly 'arrival-rate'?: string | undefined;
  readonly workers?: string | undefined;
  readonly shard?: string | undefined;
  readonly checkpoint?: string | undefined;
  readonly resume?: string | undefined;
}

export interface ArrivalRunOptions {
  readonly arrivalRate: readonly ArrivalStage[];
  readonly durationMs: number;
  readonly iterations: number;
  readonly users: number;
}

/** `given`: --users, --iterations and --duration as already parsed (undefined when not on the command line). */
export function arrivalRunOptions(
  flags: ArrivalFlags,
  given: {
    readonly users: number | undefined;
    readonly iterations: number | undefined;
    readonly durationMs: number | undefined;
  },
): ArrivalRunOptions | undefined {
  const spec = flags['arrival-rate'];
  if (spec === undefined) return undefined;
  // Each worker or shard would start the whole rate: split rates are not implemented yet.
  for (const other of ['workers', 'shard', 'checkpoint', 'resume'] as const) {
    if (flags[other] !== undefined) throw usageError(`--arrival-rate cannot be combined with --${other} yet`);
  }
  const stages = parseArrivalRate(spec);
  const durationMs = given.durationMs ?? arrivalStagesMs(stages);
  if (durationMs === undefined)
    throw usageError('--arrival-rate needs --duration (or stages with durations)');
  return {
    arrivalRate: stages,
    durationMs,
    iterations: given.iterations ?? UNBOUNDED_SESSIONS,
    users: given.users ?? Math.max(1, Math.ceil(peakArrivalRate(stages) * POOL_SECONDS)),
  };
}

/** The summary line: how many sessions arrived, started, and could not start on time. */
export function arrivalsLine(meta: Readonly<Record<string, unknown>>): string | undefined {
  const a = meta['arrivals'] as
    { arrivals: number; started: number; dropped: number; virtualUsers: number } | undefined;
  if (a === undefined) return undefined;
  const dropped =
    a.dropped > 0
      ? `, ${a.dropped} DROPPED (no free virtual user at the arrival time: the server or the pool of ${a.virtualUsers} could not keep up)`
      : ', none dropped';
  return `arrivals: ${a.arrivals} sessions arrived, ${a.started} started${dropped}`;
}
