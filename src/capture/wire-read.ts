/**
 * Unchecked integer reads for the per-packet hot path. Buffer.readUInt32LE and friends validate
 * their offset argument on every call, which costs more than the read itself at millions of
 * packets per second; every caller here has already checked the bytes are present.
 */

export function u16be(b: Buffer, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u32be(b: Buffer, o: number): number {
  return b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

export function u16le(b: Buffer, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32le(b: Buffer, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}
