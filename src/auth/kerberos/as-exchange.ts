import { DEFAULT_KDC_OPTIONS, encodeKdcReq, encodeKdcReqBody, KrbMessageType } from './asn1/kdc-req.js';
import { decodeEncKdcRepPart, decodeKdcRep, type KdcRep } from './asn1/kdc-rep.js';
import { decodeKrbError, isKrbError, type KrbError } from './asn1/krb-error.js';
import { KrbErrorCode } from './asn1/krb-error-codes.js';
import {
  decodeEtypeInfo,
  decodeEtypeInfo2,
  decodeMethodData,
  encodePacRequest,
  encodePaEncTsEnc,
  PaDataType,
  type EtypeInfo2Entry,
  type PaData,
} from './asn1/pa-data.js';
import { tgsPrincipal, type PrincipalName } from './asn1/principal-name.js';
import { etypeName, isSupportedEtype, KerberosIntegrityError } from './crypto/etype.js';
import { KeyUsage } from './crypto/key-usage.js';
import { profileFor } from './crypto/profiles.js';
import { newNonce, splitTime, type KdcContext } from './kdc-context.js';
import { KerberosError, kerberosFailure } from './kerberos-errors.js';
import type { LongTermKeys } from './long-term-keys.js';
import type { CachedTicket } from './ticket-cache.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { encodeEncryptedData } from './asn1/krb-types.js';

/**
 * The AS exchange (RFC 4120 3.1) that gets a principal its TGT:
 *   1. Without a known etype/salt, send AS-REQ with only PA-PAC-REQUEST. The KDC answers
 *      KDC_ERR_PREAUTH_REQUIRED with METHOD-DATA listing PA-ETYPE-INFO2 (etype, salt, s2kparams).
 *   2. Send AS-REQ with PA-ENC-TIMESTAMP (RFC 4120 5.2.7.2): the current time sealed with the
 *      long-term key under key usage 1.
 *   3. Decrypt the AS-REP enc-part (key usage 3), check the nonce, keep ticket and session key.
 * The etype info is remembered in LongTermKeys, so later exchanges for the user start at step 2.
 */

export interface AsClient {
  readonly realm: string;
  readonly name: PrincipalName;
  readonly keys: LongTermKeys;
  /** `user@REALM` for error messages. */
  readonly display: string;
}

/** The KDC's etype hints from a PA-DATA list: ETYPE-INFO2, else ETYPE-INFO (RFC 4120 5.2.7.5). */
export function etypeHints(padata: readonly PaData[]): EtypeInfo2Entry[] {
  const info2 = padata.find((p) => p.type === PaDataType.PA_ETYPE_INFO2);
  if (info2) return decodeEtypeInfo2(info2.value);
  const info = padata.find((p) => p.type === PaDataType.PA_ETYPE_INFO);
  return info ? decodeEtypeInfo(info.value) : [];
}

/** The first hint we can make a key for (the KDC lists them in its order of preference). */
function choose(hints: readonly EtypeInfo2Entry[], client: AsClient): EtypeInfo2Entry | undefined {
  return hints.find((h) => isSupportedEtype(h.etype) && client.keys.canUse(h.etype));
}

async function buildRequest(ctx: KdcContext, client: AsClient, nonce: number): Promise<Buffer> {
  const padata: PaData[] = [];
  const info = client.keys.preferred;
  if (info) {
    const key = await client.keys.get(info.etype, info.salt, info.s2kparams);
    const { time, usec } = splitTime(ctx.now());
    const sealed = profileFor(info.etype).encrypt(
      key,
      KeyUsage.AS_REQ_PA_ENC_TIMESTAMP,
      encodePaEncTsEnc(time, usec),
    );
    padata.push({
      type: PaDataType.PA_ENC_TIMESTAMP,
      value: encodeEncryptedDataValue(info.etype, sealed),
    });
  }
  padata.push({ type: PaDataType.PA_PAC_REQUEST, value: encodePacRequest(ctx.includePac) });
  const now = ctx.now();
  const body = encodeKdcReqBody({
    kdcOptions: DEFAULT_KDC_OPTIONS,
    cname: client.name,
    realm: client.realm,
    sname: tgsPrincipal(client.realm),
    till: new Date(now + ctx.ticketLifetimeMs),
    rtime: new Date(now + ctx.renewLifetimeMs),
    nonce,
    // With a known etype, offer it first so the reply is sealed with the key we already have.
    etypes: info ? [info.etype, ...ctx.etypes.filter((e) => e !== info.etype)] : ctx.etypes,
  });
  return encodeKdcReq(KrbMessageType.KRB_AS_REQ, padata, body);
}

/** PA-ENC-TIMESTAMP's value is the DER of an EncryptedData. */
function encodeEncryptedDataValue(etype: number, cipher: Buffer): Buffer {
  return encodeEncryptedData({ etype, cipher });
}

/** Runs the AS exchange and returns the TGT. */
export async function asExchange(ctx: KdcContext, client: AsClient): Promise<CachedTicket> {
  // At most: one round to learn the etype info, one more if the KDC changes its mind (e.g. the
  // password was reset and the salt changed), then the real request.
  for (let attempt = 0; attempt < 3; attempt++) {
    const nonce = newNonce(ctx);
    const reply = await ctx.transport.send(await buildRequest(ctx, client, nonce));
    if (isKrbError(reply)) {
      const error = decodeKrbError(reply);
      if (error.errorCode === KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED && learnFromError(error, client))
        continue;
      throw new KerberosError(error, client.display, ctx.now());
    }
    return await readAsRep(ctx, client, reply, nonce);
  }
  throw kerberosFailure(`AS exchange for ${client.display}: the KDC keeps asking for pre-authentication`);
}

/** Takes the etype info from a PREAUTH_REQUIRED error; false if it tells us nothing new. */
function learnFromError(error: KrbError, client: AsClient): boolean {
  if (!error.eData) return false;
  let hints: EtypeInfo2Entry[];
  try {
    hints = etypeHints(decodeMethodData(error.eData));
  } catch (err) {
    if (err instanceof MalformedMessageError) return false;
    throw err;
  }
  const chosen = choose(hints, client);
  if (!chosen) {
    throw kerberosFailure(
      `KDC offers no usable encryption type for ${client.display} (offered: ${hints.map((h) => etypeName(h.etype)).join(', ') || 'none'})`,
    );
  }
  const before = client.keys.preferred;
  const same =
    before !== undefined &&
    before.etype === chosen.etype &&
    before.salt === chosen.salt &&
    (before.s2kparams?.equals(chosen.s2kparams ?? Buffer.alloc(0)) ?? chosen.s2kparams === undefined);
  client.keys.preferred = chosen;
  return !same;
}

async function readAsRep(
  ctx: KdcContext,
  client: AsClient,
  reply: Buffer,
  nonce: number,
): Promise<CachedTicket> {
  let rep: KdcRep;
  try {
    rep = decodeKdcRep(reply);
  } catch (err) {
    throw kerberosFailure(
      `AS exchange for ${client.display}: unreadable reply from ${ctx.transport.description}`,
      err,
    );
  }
  if (rep.msgType !== KrbMessageType.KRB_AS_REP) {
    throw kerberosFailure(`AS exchange for ${client.display}: reply is not an AS-REP`);
  }
  const etype = rep.encPart.etype;
  if (!isSupportedEtype(etype)) {
    throw kerberosFailure(`AS-REP for ${client.display} sealed with unsupported ${etypeName(etype)}`);
  }
  // RFC 4120 3.1.5: the reply may be sealed with another etype than the one we pre-authenticated
  // with; its PA-ETYPE-INFO2 then says which salt to use.
  const info = client.keys.infoFor(etype, etypeHints(rep.padata));
  const key = await client.keys.get(etype, info.salt, info.s2kparams);
  let plain: Buffer;
  try {
    plain = profileFor(etype).decrypt(key, KeyUsage.AS_REP_ENCPART, rep.encPart.cipher);
  } catch (err) {
    if (err instanceof KerberosIntegrityError) {
      throw kerberosFailure(`cannot decrypt the AS-REP for ${client.display}: wrong password?`, err);
    }
    throw err;
  }
  const enc = decodeEncKdcRepPart(plain);
  if (enc.nonce !== nonce)
    throw kerberosFailure(`AS-REP for ${client.display} answers another request (nonce)`);
  if (!isSupportedEtype(enc.key.keytype)) {
    throw kerberosFailure(
      `TGT session key for ${client.display} has unsupported ${etypeName(enc.key.keytype)}`,
    );
  }
  // Remember what worked so that the next AS exchange pre-authenticates straight away.
  client.keys.preferred = info;
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
