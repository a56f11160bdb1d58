/**
 * One pcapng Interface Description Block (draft-ietf-opsawg-pcapng 4.2) reduced to what packet
 * decoding needs: the link type and how to turn the 64-bit timestamp into microseconds.
 */
export interface PcapngInterface {
  linkType: number;
  /** 0 = unlimited. */
  snapLen: number;
  /** How tsToMicros converts; precomputed once per interface so the per-packet path is a switch. */
  tsMode: TimestampMode;
  /** Divisor (DIVIDE) or multiplier (MULTIPLY) from the interface's units to microseconds. */
  tsFactor: number;
  /** Units per second, for the exact BigInt fallback. */
  tsUnitsPerSecond: bigint;
  /** if_tsoffset, already in microseconds. */
  tsOffsetMicros: number;
}

const TimestampMode = {
  MICROS: 0,
  DIVIDE: 1,
  MULTIPLY: 2,
  BIGINT: 3,
} as const;
type TimestampMode = (typeof TimestampMode)[keyof typeof TimestampMode];

const TWO_POW_32 = 4294967296;
/** Largest divisor for which b * 2^32 + lo (b < divisor) stays below 2^53 and is exact. */
const MAX_EXACT_DIVISOR = 2 ** 20;

/**
 * Builds the converter from an if_tsresol byte (pcapng 4.2): high bit clear means units of
 * 10^-n seconds, set means 2^-n seconds. Absent option = microseconds (10^-6).
 */
export function createInterface(
  linkType: number,
  snapLen: number,
  tsresol = 6,
  tsOffsetSeconds = 0,
): PcapngInterface {
  const iface: PcapngInterface = {
    linkType,
    snapLen,
    tsMode: TimestampMode.BIGINT,
    tsFactor: 1,
    tsUnitsPerSecond: 1000000n,
    tsOffsetMicros: tsOffsetSeconds * 1e6,
  };
  const exponent = tsresol & 0x7f;
  if (tsresol & 0x80) {
    iface.tsUnitsPerSecond = 1n << BigInt(exponent);
    return iface;
  }
  iface.tsUnitsPerSecond = 10n ** BigInt(exponent);
  if (exponent === 6) {
    iface.tsMode = TimestampMode.MICROS;
  } else if (exponent > 6 && 10 ** (exponent - 6) <= MAX_EXACT_DIVISOR) {
    iface.tsMode = TimestampMode.DIVIDE;
    iface.tsFactor = 10 ** (exponent - 6);
  } else if (exponent < 6) {
    iface.tsMode = TimestampMode.MULTIPLY;
    iface.tsFactor = 10 ** (6 - exponent);
  }
  return iface;
}

/**
 * Converts the (high, low) 32-bit halves of a pcapng timestamp to integer microseconds without
 * BigInt on the common resolutions: hi = a*D + b, so (hi*2^32 + lo) / D = a*2^32 + (b*2^32 + lo) / D
 * where every intermediate is an exact double.
 */
export function tsToMicros(iface: PcapngInterface, hi: number, lo: number): number {
  switch (iface.tsMode) {
    case TimestampMode.MICROS:
      return hi * TWO_POW_32 + lo + iface.tsOffsetMicros;
    case TimestampMode.DIVIDE: {
      const d = iface.tsFactor;
      const a = Math.floor(hi / d);
      const b = hi - a * d;
      return a * TWO_POW_32 + Math.floor((b * TWO_POW_32 + lo) / d) + iface.tsOffsetMicros;
    }
    case TimestampMode.MULTIPLY:
      return (hi * TWO_POW_32 + lo) * iface.tsFactor + iface.tsOffsetMicros;
    default: {
      const units = (BigInt(hi) << 32n) | BigInt(lo);
      return Number((units * 1000000n) / iface.tsUnitsPerSecond) + iface.tsOffsetMicros;
    }
  }
}
