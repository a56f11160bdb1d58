import { MalformedMessageError } from '../../../errors/smbench-error.js';
import { contextTag, DerReader, DerTag, encodeTlv, readSingle, type DerElement } from '../../spnego/der.js';

/**
 * The ASN.1 DER building blocks of Kerberos messages (RFC 4120 5.2) on top of the SPNEGO DER
 * reader: INTEGER (Int32/UInt32), KerberosString (GeneralString), KerberosTime (GeneralizedTime
 * without fractions), KerberosFlags (32-bit BIT STRING), OCTET STRING, BOOLEAN, and the
 * [APPLICATION n] / [n] EXPLICIT wrappers every message is made of.
 */

export const KrbTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: DerTag.BIT_STRING,
  OCTET_STRING: DerTag.OCTET_STRING,
  GENERAL_STRING: DerTag.GENERAL_STRING,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: DerTag.SEQUENCE,
} as const;

/** Identifier of a constructed [APPLICATION n] tag (X.690 8.1.2); Kerberos uses n <= 30. */
export function applicationTag(n: number): number {
  if (n < 0 || n > 30) throw new RangeError(`APPLICATION ${n} needs the high-tag-number form`);
  return 0x60 | n;
}

// ---- encoding ---------------------------------------------------------------------------------

/** INTEGER (X.690 8.3): minimal two's complement; Kerberos needs -2^31 .. 2^32-1. */
export function encodeInteger(n: number): Buffer {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) {
    throw new RangeError(`Kerberos INTEGER ${n} out of range`);
  }
  const bytes: number[] = [];
  let v = BigInt(n);
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
    const signBitSet = (bytes[0]! & 0x80) !== 0;
    if ((v === 0n && !signBitSet) || (v === -1n && signBitSet)) break;
  }
  return encodeTlv(KrbTag.INTEGER, Buffer.from(bytes));
}

export function encodeBoolean(b: boolean): Buffer {
  return encodeTlv(KrbTag.BOOLEAN, Buffer.from([b ? 0xff : 0x00]));
}

/** KerberosString ::= GeneralString (IA5String) (RFC 4120 5.2.1). */
export function encodeKerberosString(s: string): Buffer {
  return encodeTlv(KrbTag.GENERAL_STRING, Buffer.from(s, 'utf8'));
}

export function encodeOctetString(b: Uint8Array): Buffer {
  return encodeTlv(KrbTag.OCTET_STRING, b);
}

/** KerberosTime: GeneralizedTime "YYYYMMDDHHMMSSZ", UTC, no fractional seconds (RFC 4120 5.2.3). */
export function encodeKerberosTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return encodeTlv(KrbTag.GENERALIZED_TIME, Buffer.from(text, 'latin1'));
}

/** KerberosFlags: a 32-bit BIT STRING, bit 0 the most significant (RFC 4120 5.2.8). */
export function encodeKerberosFlags(flags: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(flags >>> 0, 1);
  return encodeTlv(KrbTag.BIT_STRING, b);
}

/** [n] EXPLICIT field, or nothing when the value is absent (OPTIONAL). */
export function field(n: number, inner: Buffer | undefined): Buffer | undefined {
  return inner === undefined ? undefined : encodeTlv(contextTag(n), inner);
}

/** SEQUENCE of the fields that are present. */
export function sequence(...fields: (Buffer | undefined)[]): Buffer {
  return encodeTlv(KrbTag.SEQUENCE, ...fields.filter((f): f is Buffer => f !== undefined));
}

export function sequenceOf(items: readonly Buffer[]): Buffer {
  return encodeTlv(KrbTag.SEQUENCE, ...items);
}

/** [APPLICATION n] wrapper around one element. */
export function application(n: number, inner: Buffer): Buffer {
  return encodeTlv(applicationTag(n), inner);
}

/** Flag bit `n` of a KerberosFlags value (bit 0 is the most significant). */
export function flagBit(n: number): number {
  return (0x80000000 >>> n) >>> 0;
}

// ---- decoding ---------------------------------------------------------------------------------

/** The [n] fields of a SEQUENCE, keyed by tag number; each value is the inner element. */
export type Fields = ReadonlyMap<number, DerElement>;

/** Reads a SEQUENCE (optionally inside [APPLICATION app]) into its context-tagged fields. */
export function readFields(buf: Buffer, what: string, app?: number): Fields {
  let seqBytes = buf;
  if (app !== undefined) seqBytes = readSingle(buf, applicationTag(app), what).value;
  const seq = readSingle(seqBytes, KrbTag.SEQUENCE, what);
  return fieldsOf(seq.value, what);
}

/** The context-tagged fields of SEQUENCE content octets. */
export function fieldsOf(content: Buffer, what: string): Fields {
  const out = new Map<number, DerElement>();
  const r = new DerReader(content, what);
  while (!r.done) {
    const el = r.read();
    if ((el.tag & 0xe0) !== 0xa0) {
      throw new MalformedMessageError(`${what}: expected a context tag, got 0x${el.tag.toString(16)}`);
    }
    out.set(el.tag & 0x1f, readSingle(el.value, el.value[0] ?? -1, `${what} [${el.tag & 0x1f}]`));
  }
  return out;
}

export function required(fields: Fields, n: number, what: string): DerElement {
  const el = fields.get(n);
  if (!el) throw new MalformedMessageError(`${what}: missing field [${n}]`);
  return el;
}

function expectTag(el: DerElement, tag: number, what: string): Buffer {
  if (el.tag !== tag) {
    throw new MalformedMessageError(
      `${what}: expected tag 0x${tag.toString(16)}, got 0x${el.tag.toString(16)}`,
    );
  }
  return el.value;
}

export function decodeInteger(el: DerElement, what: string): number {
  const v = expectTag(el, KrbTag.INTEGER, what);
  if (v.length === 0 || v.length > 5)
    throw new MalformedMessageError(`${what}: INTEGER of ${v.length} bytes`);
  let n = v[0]! & 0x80 ? -1n : 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  if (n < -0x80000000n || n > 0xffffffffn) throw new MalformedMessageError(`${what}: INTEGER out of range`);
  return Number(n);
}

export function decodeBoolean(el: DerElement, what: string): boolean {
  const v = expectTag(el, KrbTag.BOOLEAN, what);
  if (v.length !== 1) throw new MalformedMessageError(`${what}: BOOLEAN of ${v.length} bytes`);
  return v[0] !== 0;
}

export function decodeKerberosString(el: DerElement, what: string): string {
  return expectTag(el, KrbTag.GENERAL_STRING, what).toString('utf8');
}

export function decodeOctetString(el: DerElement, what: string): Buffer {
  return expectTag(el, KrbTag.OCTET_STRING, what);
}

const TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/;

export function decodeKerberosTime(el: DerElement, what: string): Date {
  const text = expectTag(el, KrbTag.GENERALIZED_TIME, what).toString('latin1');
  const m = TIME_PATTERN.exec(text);
  if (!m) throw new MalformedMessageError(`${what}: bad KerberosTime "${text}"`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

export function decodeKerberosFlags(el: DerElement, what: string): number {
  const v = expectTag(el, KrbTag.BIT_STRING, what);
  if (v.length < 1) throw new MalformedMessageError(`${what}: empty BIT STRING`);
  // Peers may send fewer (or more) than 32 bits; bits beyond 32 carry nothing Kerberos defines.
  let flags = 0;
  for (let i = 0; i < 4; i++) flags = flags * 256 + (v[1 + i] ?? 0);
  return flags >>> 0;
}

/** The elements of a SEQUENCE OF. */
export function decodeSequenceOf(el: DerElement, what: string): DerElement[] {
  const r = new DerReader(expectTag(el, KrbTag.SEQUENCE, what), what);
  const items: DerElement[] = [];
  while (!r.done) items.push(r.read());
  return items;
}

export function optional<T>(
  fields: Fields,
  n: number,
  decode: (el: DerElement, what: string) => T,
  what: string,
): T | undefined {
  const el = fields.get(n);
  return el === undefined ? undefined : decode(el, what);
}
