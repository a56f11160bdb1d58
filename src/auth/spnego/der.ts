import { MalformedMessageError } from '../../errors/smbench-error.js';

/**
 * The small subset of ASN.1 DER (ITU-T X.690) that SPNEGO (RFC 4178) and the GSS-API framing
 * (RFC 2743 3.1) need: definite lengths, single-byte tags, SEQUENCE, context tags, OID, OCTET
 * STRING, ENUMERATED, BIT STRING and GeneralString. Tokens are a few hundred bytes, so encoding
 * builds small Buffers and concatenates them.
 */

/** Identifier octets used by SPNEGO (X.690 8.1.2): class bits | constructed bit | tag number. */
export const DerTag = {
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OBJECT_IDENTIFIER: 0x06,
  ENUMERATED: 0x0a,
  GENERAL_STRING: 0x1b,
  SEQUENCE: 0x30,
  /** [APPLICATION 0] constructed: the GSS-API InitialContextToken wrapper (RFC 2743 3.1). */
  APPLICATION_0: 0x60,
} as const;
export type DerTag = (typeof DerTag)[keyof typeof DerTag];

/** The identifier of a constructed context-specific tag [n] (X.690 8.1.2.2). */
export function contextTag(n: number): number {
  return 0xa0 | n;
}

/** Encodes a definite length (X.690 8.1.3): short form below 128, long form otherwise. */
export function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes one TLV whose value is the concatenation of `parts`. */
export function encodeTlv(tag: number, ...parts: readonly Uint8Array[]): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** One decoded TLV: its identifier octet, value bytes (a view) and the whole encoding (a view). */
export interface DerElement {
  readonly tag: number;
  readonly value: Buffer;
  readonly encoded: Buffer;
}

/**
 * Reads consecutive TLVs from a window of a Buffer. Every length is checked against the window so
 * a hostile token raises MalformedMessageError (ErrorCode.PROTOCOL), never RangeError.
 */
export class DerReader {
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what = 'SPNEGO token',
  ) {}

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  /** The tag of the next element without consuming it, or undefined at the end. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.buf[this.offset];
  }

  read(): DerElement {
    const start = this.offset;
    const tag = this.byte('tag');
    // High-tag-number form (X.690 8.1.2.4) never occurs in SPNEGO; reject rather than misparse.
    if ((tag & 0x1f) === 0x1f) throw this.error(`multi-byte tag at ${start}`);
    const first = this.byte('length');
    let length = first;
    if (first & 0x80) {
      const count = first & 0x7f;
      // 0x80 is the indefinite form, forbidden in DER; more than 4 octets cannot fit a token.
      if (count === 0 || count > 4)
        throw this.error(`unsupported length form 0x${first.toString(16)} at ${start}`);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.byte('length');
    }
    if (length > this.buf.length - this.offset) {
      throw this.error(
        `element at ${start} claims ${length} bytes, only ${this.buf.length - this.offset} remain`,
      );
    }
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return { tag, value, encoded: this.buf.subarray(start, this.offset) };
  }

  /** Reads the next element and checks its tag. */
  expect(tag: number, what: string): DerElement {
    const el = this.read();
    if (el.tag !== tag)
      throw this.error(`${what}: expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`);
    return el;
  }

  private byte(what: string): number {
    if (this.offset >= this.buf.length) throw this.error(`truncated ${what} at ${this.offset}`);
    return this.buf[this.offset++]!;
  }

  private error(message: string): MalformedMessageError {
    return new MalformedMessageError(`${this.what}: ${message}`);
  }
}

/** Reads the single element that must fill `buf` exactly (e.g. the content of a [n] tag). */
export function readSingle(buf: Buffer, tag: number, what: string): DerElement {
  const r = new DerReader(buf, what);
  const el = r.expect(tag, what);
  if (!r.done) throw new MalformedMessageError(`${what}: trailing bytes after the element`);
  return el;
}

/** Decodes an ENUMERATED (X.690 8.4) that fits a small non-negative integer. */
export function decodeEnumerated(value: Buffer, what: string): number {
  if (value.length === 0 || value.length > 4)
    throw new MalformedMessageError(`${what}: bad ENUMERATED length ${value.length}`);
  let n = 0;
  for (const b of value) n = n * 256 + b;
  return n;
}

export function encodeEnumerated(n: number): Buffer {
  // SPNEGO states are 0..3; values below 0x80 fit one content octet with no sign octet needed.
  if (!Number.isInteger(n) || n < 0 || n > 0x7f) throw new RangeError(`ENUMERATED ${n} out of range`);
  return encodeTlv(DerTag.ENUMERATED, Buffer.from([n]));
}
