import { MalformedMessageError } from '../errors/smbench-error.js';

/**
 * A bounds-checked little-endian cursor over a Buffer window [start, end).
 * Every read checks bounds first so a hostile or truncated message raises
 * MalformedMessageError instead of reading garbage or throwing RangeError.
 */
export class ByteReader {
  offset: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new MalformedMessageError(`reader window [${start}, ${end}) outside buffer of ${buf.length}`);
    }
    this.offset = start;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  need(n: number, what = 'field'): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new MalformedMessageError(
        `truncated ${what}: need ${n} bytes at ${this.offset}, have ${this.remaining}`,
      );
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.offset);
    this.offset += 8;
    return v;
  }

  u16be(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u32be(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** A zero-copy view of the next n bytes. */
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.offset += n;
  }

  seek(absolute: number): void {
    if (absolute < 0 || absolute > this.end)
      throw new MalformedMessageError(`seek to ${absolute} outside window`);
    this.offset = absolute;
  }

  /**
   * A zero-copy view of [absOffset, absOffset+length) inside this reader's window; used for the
   * SMB2 "offset from the beginning of the header" + length pairs (MS-SMB2 2.2).
   */
  slice(absOffset: number, length: number, what = 'buffer'): Buffer {
    if (length === 0) return this.buf.subarray(0, 0);
    if (absOffset < 0 || length < 0 || absOffset + length > this.end) {
      throw new MalformedMessageError(
        `${what} [${absOffset}, +${length}) outside message of ${this.end} bytes`,
      );
    }
    return this.buf.subarray(absOffset, absOffset + length);
  }
}
