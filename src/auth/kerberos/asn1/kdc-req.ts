import { MalformedMessageError } from '../../../errors/smbench-error.js';
import type { DerElement } from '../../spnego/der.js';
import {
  application,
  decodeInteger,
  decodeKerberosFlags,
  decodeKerberosString,
  decodeKerberosTime,
  decodeSequenceOf,
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
  sequenceOf,
  fieldsOf,
} from './krb-der.js';
import { decodePaDataList, encodePaDataList, type PaData } from './pa-data.js';
import { decodePrincipalName, encodePrincipalName, type PrincipalName } from './principal-name.js';

/** msg-type values (RFC 4120 7.5.7); each is also the message's APPLICATION tag number. */
export const KrbMessageType = {
  KRB_AS_REQ: 10,
  KRB_AS_REP: 11,
  KRB_TGS_REQ: 12,
  KRB_TGS_REP: 13,
  KRB_AP_REQ: 14,
  KRB_AP_REP: 15,
  KRB_ERROR: 30,
} as const;
export type KrbMessageType = (typeof KrbMessageType)[keyof typeof KrbMessageType];

/** KDCOptions bits (RFC 4120 5.4.1). */
export const KdcOptions = {
  forwardable: flagBit(1),
  forwarded: flagBit(2),
  proxiable: flagBit(3),
  renewable: flagBit(8),
  canonicalize: flagBit(15),
  renewable_ok: flagBit(27),
  enc_tkt_in_skey: flagBit(28),
  renew: flagBit(30),
  validate: flagBit(31),
} as const;

/** What Windows clients ask for in AS-REQ/TGS-REQ: forwardable, renewable, canonicalize, renewable-ok. */
export const DEFAULT_KDC_OPTIONS =
  (KdcOptions.forwardable | KdcOptions.renewable | KdcOptions.canonicalize | KdcOptions.renewable_ok) >>> 0;

/** KDC-REQ-BODY (RFC 4120 5.4.1); addresses, enc-authorization-data and additional-tickets are never sent. */
export interface KdcReqBody {
  readonly kdcOptions: number;
  readonly cname?: PrincipalName;
  readonly realm: string;
  readonly sname?: PrincipalName;
  readonly till: Date;
  readonly rtime?: Date;
  readonly nonce: number;
  readonly etypes: readonly number[];
}

export function encodeKdcReqBody(b: KdcReqBody): Buffer {
  return sequence(
    field(0, encodeKerberosFlags(b.kdcOptions)),
    field(1, b.cname && encodePrincipalName(b.cname)),
    field(2, encodeKerberosString(b.realm)),
    field(3, b.sname && encodePrincipalName(b.sname)),
    field(5, encodeKerberosTime(b.till)),
    field(6, b.rtime && encodeKerberosTime(b.rtime)),
    field(7, encodeInteger(b.nonce)),
    field(8, sequenceOf(b.etypes.map(encodeInteger))),
  );
}

/**
 * AS-REQ ::= [APPLICATION 10] KDC-REQ, TGS-REQ ::= [APPLICATION 12] KDC-REQ, with
 * KDC-REQ ::= SEQUENCE { pvno [1] INTEGER (5), msg-type [2], padata [3] OPTIONAL, req-body [4] }.
 * `reqBody` is already encoded because the TGS-REQ authenticator checksums those exact bytes.
 */
export function encodeKdcReq(
  msgType: typeof KrbMessageType.KRB_AS_REQ | typeof KrbMessageType.KRB_TGS_REQ,
  padata: readonly PaData[],
  reqBody: Buffer,
): Buffer {
  return application(
    msgType,
    sequence(
      field(1, encodeInteger(5)),
      field(2, encodeInteger(msgType)),
      field(3, padata.length > 0 ? encodePaDataList(padata) : undefined),
      field(4, reqBody),
    ),
  );
}

export interface DecodedKdcReq {
  readonly msgType: number;
  readonly padata: readonly PaData[];
  readonly body: KdcReqBody;
  /** The exact DER of req-body (what a TGS-REQ checksum covers). */
  readonly bodyBytes: Buffer;
}

/** Decodes an AS-REQ or TGS-REQ; smbench only sends these, so this serves tests and mock KDCs. */
export function decodeKdcReq(buf: Buffer): DecodedKdcReq {
  const tag = buf[0];
  const app =
    tag === 0x6a ? KrbMessageType.KRB_AS_REQ : tag === 0x6c ? KrbMessageType.KRB_TGS_REQ : undefined;
  if (app === undefined) throw new MalformedMessageError('not an AS-REQ or TGS-REQ');
  const what = app === KrbMessageType.KRB_AS_REQ ? 'AS-REQ' : 'TGS-REQ';
  const f = readFields(buf, what, app);
  const bodyEl = required(f, 4, what);
  return {
    msgType: decodeInteger(required(f, 2, what), 'msg-type'),
    padata: optional(f, 3, decodePaDataList, 'padata') ?? [],
    body: decodeKdcReqBody(bodyEl),
    bodyBytes: bodyEl.encoded,
  };
}

function decodeKdcReqBody(el: DerElement): KdcReqBody {
  const what = 'KDC-REQ-BODY';
  if (el.tag !== 0x30) throw new MalformedMessageError(`${what}: not a SEQUENCE`);
  const f = fieldsOf(el.value, what);
  const cname = optional(f, 1, decodePrincipalName, 'cname');
  const sname = optional(f, 3, decodePrincipalName, 'sname');
  const rtime = optional(f, 6, decodeKerberosTime, 'rtime');
  return {
    kdcOptions: decodeKerberosFlags(required(f, 0, what), 'kdc-options'),
    ...(cname ? { cname } : {}),
    realm: decodeKerberosString(required(f, 2, what), 'realm'),
    ...(sname ? { sname } : {}),
    till: decodeKerberosTime(required(f, 5, what), 'till'),
    ...(rtime ? { rtime } : {}),
    nonce: decodeInteger(required(f, 7, what), 'nonce'),
    etypes: decodeSequenceOf(required(f, 8, what), 'etype').map((e) => decodeInteger(e, 'etype')),
  };
}
