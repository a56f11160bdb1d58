import { MalformedMessageError } from '../../../errors/smbench-error.js';
import { DerReader } from '../../spnego/der.js';
import {
  application,
  applicationTag,
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
  sequenceOf,
} from './krb-der.js';
import { KrbMessageType } from './kdc-req.js';
import {
  decodeEncryptedData,
  decodeEncryptionKey,
  encodeEncryptedData,
  encodeEncryptionKey,
  type EncryptedData,
  type EncryptionKeyValue,
} from './krb-types.js';
import { decodePaDataList, encodePaDataList, type PaData } from './pa-data.js';
import { decodePrincipalName, encodePrincipalName, type PrincipalName } from './principal-name.js';
import { decodeTicket, type Ticket } from './ticket.js';

/** TicketFlags (RFC 4120 5.3). */
export const TicketFlags = {
  forwardable: flagBit(1),
  proxiable: flagBit(3),
  renewable: flagBit(8),
  initial: flagBit(9),
  pre_authent: flagBit(10),
  ok_as_delegate: flagBit(13),
  enc_pa_rep: flagBit(15),
} as const;

/**
 * KDC-REP ::= SEQUENCE { pvno [0] INTEGER (5), msg-type [1] INTEGER (11 -- AS -- | 13 -- TGS --),
 *   padata [2] OPTIONAL, crealm [3] Realm, cname [4] PrincipalName, ticket [5] Ticket,
 *   enc-part [6] EncryptedData } (RFC 4120 5.4.2).
 */
export interface KdcRep {
  readonly msgType: number;
  readonly padata: readonly PaData[];
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly ticket: Ticket;
  readonly encPart: EncryptedData;
}

export function decodeKdcRep(buf: Buffer): KdcRep {
  const app =
    buf[0] === applicationTag(KrbMessageType.KRB_AS_REP)
      ? KrbMessageType.KRB_AS_REP
      : KrbMessageType.KRB_TGS_REP;
  const what = app === KrbMessageType.KRB_AS_REP ? 'AS-REP' : 'TGS-REP';
  if (buf[0] !== applicationTag(app)) throw new MalformedMessageError('not an AS-REP or TGS-REP');
  const f = readFields(buf, what, app);
  const msgType = decodeInteger(required(f, 1, what), 'msg-type');
  if (msgType !== app) throw new MalformedMessageError(`${what}: msg-type ${msgType}`);
  return {
    msgType,
    padata: optional(f, 2, decodePaDataList, 'padata') ?? [],
    crealm: decodeKerberosString(required(f, 3, what), 'crealm'),
    cname: decodePrincipalName(required(f, 4, what), 'cname'),
    ticket: decodeTicket(required(f, 5, what).encoded),
    encPart: decodeEncryptedData(required(f, 6, what), 'enc-part'),
  };
}

/** Encodes an AS-REP/TGS-REP (used by tests and mock KDCs). */
export function encodeKdcRep(rep: Omit<KdcRep, 'ticket'> & { readonly ticket: Buffer }): Buffer {
  return application(
    rep.msgType,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeInteger(rep.msgType)),
      field(2, rep.padata.length > 0 ? encodePaDataList(rep.padata) : undefined),
      field(3, encodeKerberosString(rep.crealm)),
      field(4, encodePrincipalName(rep.cname)),
      field(5, rep.ticket),
      field(6, encodeEncryptedData(rep.encPart)),
    ),
  );
}

/** EncKDCRepPart (RFC 4120 5.4.2), the part of the reply sealed for the client. */
export interface EncKdcRepPart {
  readonly key: EncryptionKeyValue;
  readonly nonce: number;
  readonly flags: number;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
  readonly srealm: string;
  readonly sname: PrincipalName;
}

/** EncASRepPart is [APPLICATION 25], EncTGSRepPart [APPLICATION 26]. */
export const ENC_AS_REP_PART = 25;
export const ENC_TGS_REP_PART = 26;

export function decodeEncKdcRepPart(buf: Buffer): EncKdcRepPart {
  // RFC 4120 5.4.2: some KDCs seal an AS reply with the TGS tag, so either is accepted.
  const app = buf[0] === applicationTag(ENC_AS_REP_PART) ? ENC_AS_REP_PART : ENC_TGS_REP_PART;
  const what = 'EncKDCRepPart';
  // The plaintext may carry padding after the DER element (RFC 3961 allows it for some etypes).
  const el = new DerReader(buf, what).read();
  const f = readFields(el.encoded, what, app);
  const starttime = optional(f, 6, decodeKerberosTime, 'starttime');
  const renewTill = optional(f, 8, decodeKerberosTime, 'renew-till');
  return {
    key: decodeEncryptionKey(required(f, 0, what), 'key'),
    nonce: decodeInteger(required(f, 2, what), 'nonce'),
    flags: decodeKerberosFlags(required(f, 4, what), 'flags'),
    authtime: decodeKerberosTime(required(f, 5, what), 'authtime'),
    ...(starttime ? { starttime } : {}),
    endtime: decodeKerberosTime(required(f, 7, what), 'endtime'),
    ...(renewTill ? { renewTill } : {}),
    srealm: decodeKerberosString(required(f, 9, what), 'srealm'),
    sname: decodePrincipalName(required(f, 10, what), 'sname'),
  };
}

/** Encodes EncASRepPart/EncTGSRepPart (used by tests and mock KDCs). */
export function encodeEncKdcRepPart(app: number, p: EncKdcRepPart): Buffer {
  const lastReq = sequenceOf([
    sequence(field(0, encodeInteger(0)), field(1, encodeKerberosTime(p.authtime))),
  ]);
  return application(
    app,
    sequence(
      field(0, encodeEncryptionKey(p.key)),
      field(1, lastReq),
      field(2, encodeInteger(p.nonce)),
      field(4, encodeKerberosFlags(p.flags)),
      field(5, encodeKerberosTime(p.authtime)),
      field(6, p.starttime && encodeKerberosTime(p.starttime)),
      field(7, encodeKerberosTime(p.endtime)),
      field(8, p.renewTill && encodeKerberosTime(p.renewTill)),
      field(9, encodeKerberosString(p.srealm)),
      field(10, encodePrincipalName(p.sname)),
    ),
  );
}
