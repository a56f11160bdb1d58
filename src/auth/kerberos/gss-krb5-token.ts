import { MalformedMessageError } from '../../errors/smbench-error.js';
import { DerReader, DerTag, encodeTlv, readSingle } from '../spnego/der.js';
import { decodeOidValue, encodeOid, MechOid } from '../spnego/oid.js';

/**
 * The Kerberos GSS-API context tokens (RFC 4121 4.1, RFC 1964 1.1): the InitialContextToken
 * framing of RFC 2743 3.1, [APPLICATION 0] { thisMech OID, innerContextToken }, where the inner
 * token is a two-byte TOK_ID followed by the Kerberos message (AP-REQ, AP-REP or KRB-ERROR).
 */

/** TOK_ID values (RFC 4121 4.1). */
export const Krb5TokenId = {
  KRB_AP_REQ: 0x0100,
  KRB_AP_REP: 0x0200,
  KRB_ERROR: 0x0300,
} as const;
export type Krb5TokenId = (typeof Krb5TokenId)[keyof typeof Krb5TokenId];

/** Frames a Kerberos message as a GSS context token with the standard krb5 mechanism OID. */
export function encodeKrb5Token(tokId: Krb5TokenId, message: Buffer): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(tokId);
  return encodeTlv(DerTag.APPLICATION_0, encodeOid(MechOid.KRB5), id, message);
}

export interface Krb5Token {
  readonly mech: string;
  readonly tokId: number;
  readonly message: Buffer;
}

/**
 * Unframes a Kerberos context token. Acceptors answer with the framing (RFC 4121 4.1), but some
 * send the bare AP-REP or KRB-ERROR; those are recognised by their APPLICATION tags.
 */
export function decodeKrb5Token(token: Buffer): Krb5Token {
  if (token[0] === 0x6f) return { mech: MechOid.KRB5, tokId: Krb5TokenId.KRB_AP_REP, message: token };
  if (token[0] === 0x7e) return { mech: MechOid.KRB5, tokId: Krb5TokenId.KRB_ERROR, message: token };
  const inner = readSingle(token, DerTag.APPLICATION_0, 'Kerberos GSS token').value;
  const r = new DerReader(inner, 'Kerberos GSS token');
  const oid = r.expect(DerTag.OBJECT_IDENTIFIER, 'thisMech');
  const mech = decodeOidValue(oid.value);
  if (mech !== MechOid.KRB5 && mech !== MechOid.MS_KRB5) {
    throw new MalformedMessageError(`GSS token for mechanism ${mech}, not Kerberos`);
  }
  const rest = inner.subarray(oid.encoded.length);
  if (rest.length < 2) throw new MalformedMessageError('Kerberos GSS token without TOK_ID');
  return { mech, tokId: rest.readUInt16BE(0), message: rest.subarray(2) };
}
