/**
 * FILETIME, MS-DTYP 2.3.3: a 64-bit count of 100 ns intervals since 1601-01-01 UTC. Kept as bigint
 * on the wire types; these helpers convert at the edges (reports, IR, tests).
 */

/** 100 ns ticks between 1601-01-01 and 1970-01-01 (369 years incl. 89 leap days). */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const TICKS_PER_MS = 10_000n;

/** In SET_INFO timestamps, 0 means "leave this time unchanged" (MS-FSCC 2.4.7). */
export const FILETIME_NO_CHANGE = 0n;
/** -1: stop updating this time on later operations through this handle (MS-FSCC 2.4.7). */
export const FILETIME_SUSPEND_UPDATES = 0xffff_ffff_ffff_ffffn;
/** -2: resume updating this time (MS-FSCC 2.4.7). */
export const FILETIME_RESUME_UPDATES = 0xffff_ffff_ffff_fffen;

/** FILETIME -> Unix milliseconds (sub-millisecond ticks are truncated toward 1601). */
export function filetimeToMs(ft: bigint): number {
  const ticks = ft - FILETIME_UNIX_EPOCH;
  // bigint division truncates toward zero; floor instead so pre-1970 times stay monotonic.
  const q = ticks / TICKS_PER_MS;
  return Number(ticks < 0n && q * TICKS_PER_MS !== ticks ? q - 1n : q);
}

/** Unix milliseconds (fractions allowed, kept to 100 ns) -> FILETIME. */
export function msToFiletime(ms: number): bigint {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 10_000);
  return FILETIME_UNIX_EPOCH + BigInt(whole) * TICKS_PER_MS + BigInt(frac);
}

export function filetimeToDate(ft: bigint): Date {
  return new Date(filetimeToMs(ft));
}

export function dateToFiletime(d: Date): bigint {
  return msToFiletime(d.getTime());
}
