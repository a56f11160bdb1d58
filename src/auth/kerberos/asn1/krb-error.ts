import {
  application,
  decodeInteger,
  decodeKerberosString,
  decodeKerberosTime,
  decodeOctetString,
  encodeInteger,
  encodeKerberosString,
  encodeKerberosTime,
  encodeOctetString,
  field,
  optional,
  readFields,
  required,
  sequence,
} from './krb-der.js';
import { KrbMessageType } from './kdc-req.js';
import { decodePrincipalName, encodePrincipalName, type PrincipalName } from './principal-name.js';

/**
 * KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno [0], msg-type [1], ctime [2] OPTIONAL,
 *   cusec [3] OPTIONAL, stime [4] KerberosTime, susec [5] Microseconds, error-code [6] Int32,
 *   crealm [7] OPTIONAL, cname [8] OPTIONAL, realm [9] Realm, sname [10] PrincipalName,
 *   e-text [11] OPTIONAL, e-data [12] OPTIONAL } (RFC 4120 5.9.1).
 */
export interface KrbError {
  readonly stime: Date;
  readonly susec: number;
  readonly errorCode: number;
  readonly crealm?: string;
  readonly cname?: PrincipalName;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly eText?: string;
  readonly eData?: Buffer;
}

export function isKrbError(buf: Buffer): boolean {
  return buf[0] === 0x7e;
}

export function decodeKrbError(buf: Buffer): KrbError {
  const what = 'KRB-ERROR';
  const f = readFields(buf, what, KrbMessageType.KRB_ERROR);
  const crealm = optional(f, 7, decodeKerberosString, 'crealm');
  const cname = optional(f, 8, decodePrincipalName, 'cname');
  const eText = optional(f, 11, decodeKerberosString, 'e-text');
  const eData = optional(f, 12, decodeOctetString, 'e-data');
  return {
    stime: decodeKerberosTime(required(f, 4, what), 'stime'),
    susec: decodeInteger(required(f, 5, what), 'susec'),
    errorCode: decodeInteger(required(f, 6, what), 'error-code'),
    ...(crealm === undefined ? {} : { crealm }),
    ...(cname === undefined ? {} : { cname }),
    realm: decodeKerberosString(required(f, 9, what), 'realm'),
    sname: decodePrincipalName(required(f, 10, what), 'sname'),
    ...(eText === undefined ? {} : { eText }),
    ...(eData === undefined ? {} : { eData }),
  };
}

/** Encodes a KRB-ERROR (used by tests and mock KDCs). */
export function encodeKrbError(e: KrbError): Buffer {
  return application(
    KrbMessageType.KRB_ERROR,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeInteger(KrbMessageType.KRB_ERROR)),
      field(4, encodeKerberosTime(e.stime)),
      field(5, encodeInteger(e.susec)),
      field(6, encodeInteger(e.errorCode)),
      field(7, e.crealm === undefined ? undefined : encodeKerberosString(e.crealm)),
      field(8, e.cname && encodePrincipalName(e.cname)),
      field(9, encodeKerberosString(e.realm)),
      field(10, encodePrincipalName(e.sname)),
      field(11, e.eText === undefined ? undefined : encodeKerberosString(e.eText)),
      field(12, e.eData && encodeOctetString(e.eData)),
    ),
  );
}
