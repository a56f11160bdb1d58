import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

/**
 * How a simulated user spaces its ops in time.
 *
 * - `recorded`: each op starts at its offset in the capture (relative to the user's first op),
 *   divided by `speed` (2 = twice as fast as recorded). Latency is then also measured from the
 *   intended start, so a slow server cannot hide behind a user that waited (coordinated omission).
 * - `max`: each op starts as soon as the previous one finished; there is no intended start.
 */
export type Pacing = { readonly mode: 'recorded'; readonly speed: number } | { readonly mode: 'max' };

export const PacingMode = { recorded: 'recorded', max: 'max' } as const;
export type PacingMode = (typeof PacingMode)[keyof typeof PacingMode];

/** Builds a Pacing, rejecting a speed that would stall (0), reverse (negative) or overflow time. */
export function makePacing(mode: PacingMode, speed = 1): Pacing {
  if (mode === 'max') return { mode: 'max' };
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new SmbBenchError(ErrorCode.USAGE, `pacing speed must be a positive number, got ${speed}`);
  }
  return { mode: 'recorded', speed };
}

/**
 * The scheduler time (µs) at which an op should start, or undefined for `max` pacing (meaning
 * "now", right after the previous op). `opOffsetUs` is the op's offset from the user's first op in
 * the recording; `userStartUs` is when this user started on the scheduler clock.
 */
export function intendedStartUs(pacing: Pacing, opOffsetUs: number, userStartUs: number): number | undefined {
  if (pacing.mode === 'max') return undefined;
  return userStartUs + opOffsetUs / pacing.speed;
}

/**
 * When user `userIndex` (0-based) of `userCount` starts, relative to the run start: users are
 * spread evenly over `rampUpUs`, user 0 at 0, so all are active by the end of the ramp. A zero
 * ramp starts everyone at once.
 */
export function rampUpOffsetUs(userIndex: number, userCount: number, rampUpUs: number): number {
  if (userCount <= 1 || rampUpUs <= 0) return 0;
  const index = Math.min(Math.max(userIndex, 0), userCount - 1);
  return Math.floor((rampUpUs * index) / userCount);
}
