import type { DerElement } from '../../spnego/der.js';
import {
  decodeInteger,
  decodeOctetString,
  encodeInteger,
  encodeOctetString,
  field,
  fieldsOf,
  optional,
  required,
  sequence,
} from './krb-der.js';
import { MalformedMessageError } from '../../../errors/smbench-error.js';

/** EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING } (RFC 4120 5.2.9). */
export interface EncryptedData {
  readonly etype: number;
  readonly kvno?: number;
  readonly cipher: Buffer;
}

/** EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING } (RFC 4120 5.2.9). */
export interface EncryptionKeyValue {
  readonly keytype: number;
  readonly keyvalue: Buffer;
}

/** Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING } (RFC 4120 5.2.9). */
export interface ChecksumValue {
  readonly cksumtype: number;
  readonly checksum: Buffer;
}

function seqContent(el: DerElement, what: string): Buffer {
  if (el.tag !== 0x30) throw new MalformedMessageError(`${what}: not a SEQUENCE`);
  return el.value;
}

export function encodeEncryptedData(d: EncryptedData): Buffer {
  return sequence(
    field(0, encodeInteger(d.etype)),
    field(1, d.kvno === undefined ? undefined : encodeInteger(d.kvno)),
    field(2, encodeOctetString(d.cipher)),
  );
}

export function decodeEncryptedData(el: DerElement, what = 'EncryptedData'): EncryptedData {
  const f = fieldsOf(seqContent(el, what), what);
  const kvno = optional(f, 1, decodeInteger, `${what} kvno`);
  return {
    etype: decodeInteger(required(f, 0, what), `${what} etype`),
    ...(kvno === undefined ? {} : { kvno }),
    cipher: decodeOctetString(required(f, 2, what), `${what} cipher`),
  };
}

export function encodeEncryptionKey(k: EncryptionKeyValue): Buffer {
  return sequence(field(0, encodeInteger(k.keytype)), field(1, encodeOctetString(k.keyvalue)));
}

export function decodeEncryptionKey(el: DerElement, what = 'EncryptionKey'): EncryptionKeyValue {
  const f = fieldsOf(seqContent(el, what), what);
  return {
    keytype: decodeInteger(required(f, 0, what), `${what} keytype`),
    keyvalue: decodeOctetString(required(f, 1, what), `${what} keyvalue`),
  };
}

export function encodeChecksum(c: ChecksumValue): Buffer {
  return sequence(field(0, encodeInteger(c.cksumtype)), field(1, encodeOctetString(c.checksum)));
}

export function decodeChecksum(el: DerElement, what = 'Checksum'): ChecksumValue {
  const f = fieldsOf(seqContent(el, what), what);
  return {
    cksumtype: decodeInteger(required(f, 0, what), `${what} cksumtype`),
    checksum: decodeOctetString(required(f, 1, what), `${what} checksum`),
  };
}
