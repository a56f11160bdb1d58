import { encodeApReq } from './asn1/ap-req.js';
import { encodeAuthenticator } from './asn1/ap-req.js';
import {
  DEFAULT_KDC_OPTIONS,
  encodeKdcReq,
  encodeKdcReqBody,
  KdcOptions,
  KrbMessageType,
} from './asn1/kdc-req.js';
import { decodeEncKdcRepPart, decodeKdcRep, type KdcRep } from './asn1/kdc-rep.js';
import { decodeKrbError, isKrbError } from './asn1/krb-error.js';
import { PaDataType } from './asn1/pa-data.js';
import { principalToString, type PrincipalName } from './asn1/principal-name.js';
import { etypeName, isSupportedEtype, KerberosIntegrityError } from './crypto/etype.js';
import { KeyUsage } from './crypto/key-usage.js';
import { profileFor } from './crypto/profiles.js';
import { newNonce, splitTime, type KdcContext } from './kdc-context.js';
import { KerberosError, kerberosFailure } from './kerberos-errors.js';
import type { CachedTicket } from './ticket-cache.js';

/**
 * The TGS exchange (RFC 4120 3.3): present the TGT in a PA-TGS-REQ AP-REQ whose authenticator
 * (key usage 7) carries a checksum of the exact req-body bytes (key usage 6), and get a ticket for
 * `sname`. With `renew`, sname is the TGT's own service and the TGT itself is renewed (3.3.3.1).
 * Only same-realm services are supported (no referrals to other realms).
 */

export interface TgsRequest {
  readonly sname: PrincipalName;
  readonly renew?: boolean;
}

export async function tgsExchange(
  ctx: KdcContext,
  tgt: CachedTicket,
  req: TgsRequest,
): Promise<CachedTicket> {
  const realm = tgt.ticket.realm;
  const who = `${principalToString(tgt.cname, tgt.crealm)} -> ${principalToString(req.sname, realm)}`;
  const nonce = newNonce(ctx);
  const now = ctx.now();
  let kdcOptions = DEFAULT_KDC_OPTIONS & ~KdcOptions.renewable_ok;
  if (req.renew) kdcOptions = (kdcOptions | KdcOptions.renew) >>> 0;
  const body = encodeKdcReqBody({
    kdcOptions: kdcOptions >>> 0,
    realm,
    sname: req.sname,
    till: new Date(now + ctx.ticketLifetimeMs),
    ...(req.renew && tgt.renewTill ? { rtime: tgt.renewTill } : {}),
    nonce,
    etypes: ctx.etypes,
  });
  const key = tgt.sessionKey;
  const profile = profileFor(key.etype);
  const { time, usec } = splitTime(now);
  const authenticator = encodeAuthenticator({
    crealm: tgt.crealm,
    cname: tgt.cname,
    // RFC 4120 7.5.1 usage 6: binds the authenticator to this request body.
    cksum: {
      cksumtype: profile.checksumType,
      checksum: profile.checksum(key.value, KeyUsage.TGS_REQ_AUTH_CKSUM, body),
    },
    cusec: usec,
    ctime: time,
  });
  const apReq = encodeApReq(0, tgt.ticket.encoded, {
    etype: key.etype,
    cipher: profile.encrypt(key.value, KeyUsage.TGS_REQ_AUTH, authenticator),
  });
  const request = encodeKdcReq(
    KrbMessageType.KRB_TGS_REQ,
    [{ type: PaDataType.PA_TGS_REQ, value: apReq }],
    body,
  );

  const reply = await ctx.transport.send(request);
  if (isKrbError(reply)) throw new KerberosError(decodeKrbError(reply), who, ctx.now());
  let rep: KdcRep;
  try {
    rep = decodeKdcRep(reply);
  } catch (err) {
    throw kerberosFailure(`TGS exchange ${who}: unreadable reply from ${ctx.transport.description}`, err);
  }
  if (rep.msgType !== KrbMessageType.KRB_TGS_REP)
    throw kerberosFailure(`TGS exchange ${who}: reply is not a TGS-REP`);
  if (rep.encPart.etype !== key.etype) {
    throw kerberosFailure(
      `TGS-REP ${who} sealed with ${etypeName(rep.encPart.etype)}, not the TGT session key`,
    );
  }
  let plain: Buffer;
  try {
    plain = profile.decrypt(key.value, KeyUsage.TGS_REP_ENCPART_SESSION_KEY, rep.encPart.cipher);
  } catch (err) {
    if (err instanceof KerberosIntegrityError)
      throw kerberosFailure(`cannot decrypt the TGS-REP ${who}`, err);
    throw err;
  }
  const enc = decodeEncKdcRepPart(plain);
  if (enc.nonce !== nonce) throw kerberosFailure(`TGS-REP ${who} answers another request (nonce)`);
  if (!isSupportedEtype(enc.key.keytype)) {
    throw kerberosFailure(
      `service ticket ${who} has a session key of unsupported ${etypeName(enc.key.keytype)}`,
    );
  }
  return {
    ticket: rep.ticket,
    sessionKey: { etype: enc.key.keytype, value: Buffer.from(enc.key.keyvalue) },
    crealm: rep.crealm,
    cname: rep.cname,
    flags: enc.flags,
    authtime: enc.authtime,
    starttime: enc.starttime,
    endtime: enc.endtime,
    renewTill: enc.renewTill,
  };
}
