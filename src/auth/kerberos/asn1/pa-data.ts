import type { DerElement } from '../../spnego/der.js';
import { MalformedMessageError } from '../../../errors/smbench-error.js';
import {
  decodeInteger,
  decodeKerberosString,
  decodeOctetString,
  decodeSequenceOf,
  encodeBoolean,
  encodeInteger,
  encodeKerberosString,
  encodeKerberosTime,
  encodeOctetString,
  field,
  fieldsOf,
  KrbTag,
  optional,
  required,
  sequence,
  sequenceOf,
} from './krb-der.js';
import { DerReader } from '../../spnego/der.js';

/** padata-type values (RFC 4120 7.5.2, MS-KILE 2.2). */
export const PaDataType = {
  PA_TGS_REQ: 1,
  PA_ENC_TIMESTAMP: 2,
  PA_PW_SALT: 3,
  PA_ETYPE_INFO: 11,
  PA_ETYPE_INFO2: 19,
  /** KERB-PA-PAC-REQUEST (MS-KILE 2.2.3): ask for (or decline) a PAC in the ticket. */
  PA_PAC_REQUEST: 128,
} as const;
export type PaDataType = (typeof PaDataType)[keyof typeof PaDataType];

/** PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING } (RFC 4120 5.2.7). */
export interface PaData {
  readonly type: number;
  readonly value: Buffer;
}

export function encodePaData(p: PaData): Buffer {
  return sequence(field(1, encodeInteger(p.type)), field(2, encodeOctetString(p.value)));
}

export function encodePaDataList(list: readonly PaData[]): Buffer {
  return sequenceOf(list.map(encodePaData));
}

export function decodePaData(el: DerElement, what = 'PA-DATA'): PaData {
  if (el.tag !== KrbTag.SEQUENCE) throw new MalformedMessageError(`${what}: not a SEQUENCE`);
  const f = fieldsOf(el.value, what);
  return {
    type: decodeInteger(required(f, 1, what), `${what} padata-type`),
    value: decodeOctetString(required(f, 2, what), `${what} padata-value`),
  };
}

export function decodePaDataList(el: DerElement, what = 'padata'): PaData[] {
  return decodeSequenceOf(el, what).map((p) => decodePaData(p, what));
}

/** METHOD-DATA ::= SEQUENCE OF PA-DATA: the e-data of KDC_ERR_PREAUTH_REQUIRED (RFC 4120 5.9.1). */
export function decodeMethodData(buf: Buffer): PaData[] {
  const r = new DerReader(buf, 'METHOD-DATA');
  const list = decodePaDataList(r.read(), 'METHOD-DATA');
  return list;
}

/** PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime, pausec [1] Microseconds OPTIONAL } (5.2.7.2). */
export function encodePaEncTsEnc(time: Date, usec: number): Buffer {
  return sequence(field(0, encodeKerberosTime(time)), field(1, encodeInteger(usec)));
}

/** KERB-PA-PAC-REQUEST ::= SEQUENCE { include-pac [0] BOOLEAN } (MS-KILE 2.2.3). */
export function encodePacRequest(includePac: boolean): Buffer {
  return sequence(field(0, encodeBoolean(includePac)));
}

/** ETYPE-INFO2-ENTRY (RFC 4120 5.2.7.5): how the KDC wants a password turned into a key. */
export interface EtypeInfo2Entry {
  readonly etype: number;
  readonly salt?: string;
  readonly s2kparams?: Buffer;
}

export function encodeEtypeInfo2(entries: readonly EtypeInfo2Entry[]): Buffer {
  return sequenceOf(
    entries.map((e) =>
      sequence(
        field(0, encodeInteger(e.etype)),
        field(1, e.salt === undefined ? undefined : encodeKerberosString(e.salt)),
        field(2, e.s2kparams === undefined ? undefined : encodeOctetString(e.s2kparams)),
      ),
    ),
  );
}

export function decodeEtypeInfo2(buf: Buffer): EtypeInfo2Entry[] {
  const what = 'ETYPE-INFO2';
  const r = new DerReader(buf, what);
  return decodeSequenceOf(r.read(), what).map((entry) => {
    if (entry.tag !== KrbTag.SEQUENCE) throw new MalformedMessageError(`${what}: entry not a SEQUENCE`);
    const f = fieldsOf(entry.value, what);
    const salt = optional(f, 1, decodeKerberosString, `${what} salt`);
    const s2kparams = optional(f, 2, decodeOctetString, `${what} s2kparams`);
    return {
      etype: decodeInteger(required(f, 0, what), `${what} etype`),
      ...(salt === undefined ? {} : { salt }),
      ...(s2kparams === undefined ? {} : { s2kparams }),
    };
  });
}

/**
 * ETYPE-INFO-ENTRY (RFC 4120 5.2.7.4), the older form whose salt is an OCTET STRING; some KDCs
 * still send it next to (or instead of) ETYPE-INFO2 for RC4.
 */
export function decodeEtypeInfo(buf: Buffer): EtypeInfo2Entry[] {
  const what = 'ETYPE-INFO';
  const r = new DerReader(buf, what);
  return decodeSequenceOf(r.read(), what).map((entry) => {
    if (entry.tag !== KrbTag.SEQUENCE) throw new MalformedMessageError(`${what}: entry not a SEQUENCE`);
    const f = fieldsOf(entry.value, what);
    const salt = optional(f, 1, decodeOctetString, `${what} salt`);
    return {
      etype: decodeInteger(required(f, 0, what), `${what} etype`),
      ...(salt === undefined ? {} : { salt: salt.toString('utf8') }),
    };
  });
}
