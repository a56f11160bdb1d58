import { MalformedMessageError } from '../../../errors/smbench-error.js';
import { DerReader } from '../../spnego/der.js';
import {
  application,
  decodeInteger,
  decodeKerberosFlags,
  decodeKerberosString,
  decodeKerberosTime,
  encodeInteger,
  encodeKerberosFlags,
  encodeKerberosString,
  encodeKerberosTime,
  field,
  flagBit,
  optional,
  readFields,
  required,
  sequence,
} from './krb-der.js';
import { KrbMessageType } from './kdc-req.js';
import {
  decodeChecksum,
  decodeEncryptedData,
  decodeEncryptionKey,
  encodeChecksum,
  encodeEncryptedData,
  encodeEncryptionKey,
  type ChecksumValue,
  type EncryptedData,
  type EncryptionKeyValue,
} from './krb-types.js';
import { decodePrincipalName, encodePrincipalName, type PrincipalName } from './principal-name.js';
import { decodeTicket, type Ticket } from './ticket.js';

/** APOptions (RFC 4120 5.5.1). */
export const ApOptions = {
  use_session_key: flagBit(1),
  mutual_required: flagBit(2),
} as const;

/**
 * AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0] INTEGER (5), msg-type [1] INTEGER (14),
 *   ap-options [2] APOptions, ticket [3] Ticket, authenticator [4] EncryptedData } (RFC 4120 5.5.1).
 * `ticket` is the ticket's exact DER as the KDC issued it.
 */
export function encodeApReq(apOptions: number, ticket: Buffer, authenticator: EncryptedData): Buffer {
  return application(
    KrbMessageType.KRB_AP_REQ,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeInteger(KrbMessageType.KRB_AP_REQ)),
      field(2, encodeKerberosFlags(apOptions)),
      field(3, ticket),
      field(4, encodeEncryptedData(authenticator)),
    ),
  );
}

export interface ApReq {
  readonly apOptions: number;
  readonly ticket: Ticket;
  readonly authenticator: EncryptedData;
}

export function decodeApReq(buf: Buffer): ApReq {
  const what = 'AP-REQ';
  const f = readFields(buf, what, KrbMessageType.KRB_AP_REQ);
  const msgType = decodeInteger(required(f, 1, what), 'msg-type');
  if (msgType !== KrbMessageType.KRB_AP_REQ) throw new MalformedMessageError(`AP-REQ: msg-type ${msgType}`);
  return {
    apOptions: decodeKerberosFlags(required(f, 2, what), 'ap-options'),
    ticket: decodeTicket(required(f, 3, what).encoded),
    authenticator: decodeEncryptedData(required(f, 4, what), 'authenticator'),
  };
}

/** Authenticator (RFC 4120 5.5.1), sealed with the ticket session key. */
export interface Authenticator {
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly cksum?: ChecksumValue;
  readonly cusec: number;
  readonly ctime: Date;
  readonly subkey?: EncryptionKeyValue;
  readonly seqNumber?: number;
}

export const AUTHENTICATOR_APPLICATION = 2;

export function encodeAuthenticator(a: Authenticator): Buffer {
  return application(
    AUTHENTICATOR_APPLICATION,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeKerberosString(a.crealm)),
      field(2, encodePrincipalName(a.cname)),
      field(3, a.cksum && encodeChecksum(a.cksum)),
      field(4, encodeInteger(a.cusec)),
      field(5, encodeKerberosTime(a.ctime)),
      field(6, a.subkey && encodeEncryptionKey(a.subkey)),
      field(7, a.seqNumber === undefined ? undefined : encodeInteger(a.seqNumber)),
    ),
  );
}

export function decodeAuthenticator(buf: Buffer): Authenticator {
  const what = 'Authenticator';
  const el = new DerReader(buf, what).read();
  const f = readFields(el.encoded, what, AUTHENTICATOR_APPLICATION);
  const cksum = optional(f, 3, decodeChecksum, 'cksum');
  const subkey = optional(f, 6, decodeEncryptionKey, 'subkey');
  const seqNumber = optional(f, 7, decodeInteger, 'seq-number');
  return {
    crealm: decodeKerberosString(required(f, 1, what), 'crealm'),
    cname: decodePrincipalName(required(f, 2, what), 'cname'),
    ...(cksum ? { cksum } : {}),
    cusec: decodeInteger(required(f, 4, what), 'cusec'),
    ctime: decodeKerberosTime(required(f, 5, what), 'ctime'),
    ...(subkey ? { subkey } : {}),
    ...(seqNumber === undefined ? {} : { seqNumber }),
  };
}
