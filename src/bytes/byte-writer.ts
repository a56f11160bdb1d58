/**
 * A tiny little-endian writer over a caller-provided Buffer. It does not grow: callers size the
 * buffer from the message's `size()` first, so there is exactly one allocation per message.
 */
export class ByteWriter {
  constructor(
    readonly buf: Buffer,
    public offset = 0,
  ) {}

  u8(v: number): this {
    this.buf[this.offset++] = v;
    return this;
  }

  u16(v: number): this {
    this.offset = this.buf.writeUInt16LE(v, this.offset);
    return this;
  }

  u32(v: number): this {
    this.offset = this.buf.writeUInt32LE(v >>> 0, this.offset);
    return this;
  }

  u64(v: bigint): this {
    this.offset = this.buf.writeBigUInt64LE(v, this.offset);
    return this;
  }

  u16be(v: number): this {
    this.offset = this.buf.writeUInt16BE(v, this.offset);
    return this;
  }

  u32be(v: number): this {
    this.offset = this.buf.writeUInt32BE(v >>> 0, this.offset);
    return this;
  }

  bytes(src: Uint8Array): this {
    this.buf.set(src, this.offset);
    this.offset += src.length;
    return this;
  }

  zeros(n: number): this {
    this.buf.fill(0, this.offset, this.offset + n);
    this.offset += n;
    return this;
  }

  /** Pads with zeros to the next multiple of `alignment` measured from `base`. */
  align(alignment: number, base = 0): this {
    const rem = (this.offset - base) % alignment;
    if (rem !== 0) this.zeros(alignment - rem);
    return this;
  }
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
