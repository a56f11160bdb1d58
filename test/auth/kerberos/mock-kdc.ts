/**
 * An in-process KDC and SMB acceptor for unit tests: it speaks the real Kerberos messages (via the
 * same codecs) but keeps its tickets' contents in a simple JSON form sealed with the service key.
 */
import { randomBytes } from 'node:crypto';
import { decodeApReq, decodeAuthenticator } from '../../../src/auth/kerberos/asn1/ap-req.js';
import { encodeApRep, encodeEncApRepPart } from '../../../src/auth/kerberos/asn1/ap-rep.js';
import { decodeKdcReq, KdcOptions, KrbMessageType } from '../../../src/auth/kerberos/asn1/kdc-req.js';
import {
  ENC_AS_REP_PART,
  ENC_TGS_REP_PART,
  encodeEncKdcRepPart,
  encodeKdcRep,
  TicketFlags,
} from '../../../src/auth/kerberos/asn1/kdc-rep.js';
import { KrbErrorCode } from '../../../src/auth/kerberos/asn1/krb-error-codes.js';
import { encodeKrbError } from '../../../src/auth/kerberos/asn1/krb-error.js';
import { decodeEncryptedData } from '../../../src/auth/kerberos/asn1/krb-types.js';
import { decodeKerberosTime, readFields, required } from '../../../src/auth/kerberos/asn1/krb-der.js';
import {
  encodeEtypeInfo2,
  encodePaDataList,
  PaDataType,
  type PaData,
} from '../../../src/auth/kerberos/asn1/pa-data.js';
import { tgsPrincipal, type PrincipalName } from '../../../src/auth/kerberos/asn1/principal-name.js';
import { encodeTicket } from '../../../src/auth/kerberos/asn1/ticket.js';
import { KeyUsage } from '../../../src/auth/kerberos/crypto/key-usage.js';
import { profileFor } from '../../../src/auth/kerberos/crypto/profiles.js';
import { decodeKrb5Token, encodeKrb5Token, Krb5TokenId } from '../../../src/auth/kerberos/gss-krb5-token.js';
import type { KdcTransport } from '../../../src/auth/kerberos/kdc-transport.js';
import { DerReader } from '../../../src/auth/spnego/der.js';
import { decodeNegTokenInit } from '../../../src/auth/spnego/neg-token-init.js';
import { encodeNegTokenResp, NegState } from '../../../src/auth/spnego/neg-token-resp.js';
import { MechOid } from '../../../src/auth/spnego/oid.js';

export const REALM = 'SMBENCH.TEST';

interface TicketBody {
  etype: number;
  key: string;
  cname: string[];
  crealm: string;
  endtime: number;
  renewTill?: number;
}

export interface MockKdcOptions {
  users: Record<string, string>;
  /** Etype of the client keys (and session keys); default aes256. */
  etype?: number;
  now?: () => number;
  lifetimeMs?: number;
  /** Pretend the KDC clock differs by this much (ms) and the skew limit is 5 minutes. */
  kdcSkewMs?: number;
}

export class MockKdc implements KdcTransport {
  readonly description = 'mock-kdc';
  readonly log: string[] = [];
  readonly serviceKeys = new Map<string, Buffer>();
  private readonly tgsKey: Buffer;
  private readonly etype: number;

  constructor(private readonly opts: MockKdcOptions) {
    this.etype = opts.etype ?? 18;
    this.tgsKey = profileFor(this.etype).randomKey();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)() + (this.opts.kdcSkewMs ?? 0);
  }

  salt(user: string): string {
    return `${REALM}${user}`;
  }

  async userKey(user: string): Promise<Buffer> {
    return profileFor(this.etype).stringToKey(this.opts.users[user]!, this.salt(user));
  }

  serviceKey(spn: string): Buffer {
    let k = this.serviceKeys.get(spn.toLowerCase());
    if (!k) {
      k = profileFor(this.etype).randomKey();
      this.serviceKeys.set(spn.toLowerCase(), k);
    }
    return k;
  }

  private error(code: number, sname: PrincipalName, eData?: Buffer): Buffer {
    const now = this.now();
    return encodeKrbError({
      stime: new Date(Math.floor(now / 1000) * 1000),
      susec: 0,
      errorCode: code,
      realm: REALM,
      sname,
      ...(eData ? { eData } : {}),
    });
  }

  private issue(sname: PrincipalName, key: Buffer, body: TicketBody): Buffer {
    const sealed = profileFor(this.etype).encrypt(
      key,
      KeyUsage.KDC_REP_TICKET,
      Buffer.from(JSON.stringify(body)),
    );
    return encodeTicket({ realm: REALM, sname, encPart: { etype: this.etype, kvno: 1, cipher: sealed } });
  }

  openTicket(ticketEncPart: Buffer, key: Buffer): TicketBody {
    return JSON.parse(
      profileFor(this.etype).decrypt(key, KeyUsage.KDC_REP_TICKET, ticketEncPart).toString(),
    ) as TicketBody;
  }

  async send(request: Buffer): Promise<Buffer> {
    const req = decodeKdcReq(request);
    if (req.msgType === KrbMessageType.KRB_AS_REQ) return this.as(req);
    return this.tgs(req);
  }

  private async as(req: ReturnType<typeof decodeKdcReq>): Promise<Buffer> {
    const user = req.body.cname!.nameString.join('/');
    const tgs = tgsPrincipal(REALM);
    if (!(user in this.opts.users)) {
      this.log.push(`AS ${user} unknown`);
      return this.error(KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, tgs);
    }
    const hints = encodeEtypeInfo2([{ etype: this.etype, salt: this.salt(user) }]);
    const ts = req.padata.find((p) => p.type === PaDataType.PA_ENC_TIMESTAMP);
    if (!ts) {
      this.log.push(`AS ${user} preauth-required`);
      const eData = encodePaDataList([
        { type: PaDataType.PA_ETYPE_INFO2, value: hints },
        { type: PaDataType.PA_ENC_TIMESTAMP, value: Buffer.alloc(0) },
      ]);
      return this.error(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED, tgs, eData);
    }
    const key = await this.userKey(user);
    const enc = decodeEncryptedData(new DerReader(ts.value).read());
    let plain: Buffer;
    try {
      plain = profileFor(enc.etype).decrypt(key, KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, enc.cipher);
    } catch {
      this.log.push(`AS ${user} preauth-failed`);
      return this.error(KrbErrorCode.KDC_ERR_PREAUTH_FAILED, tgs);
    }
    const clientTime = decodeKerberosTime(
      required(readFields(plain, 'PA-ENC-TS-ENC'), 0, 'ts'),
      'ts',
    ).getTime();
    if (Math.abs(clientTime - this.now()) > 300_000) {
      this.log.push(`AS ${user} skew`);
      return this.error(KrbErrorCode.KRB_AP_ERR_SKEW, tgs);
    }
    this.log.push(`AS ${user} ok`);
    const padata: PaData[] = [{ type: PaDataType.PA_ETYPE_INFO2, value: hints }];
    return this.reply(
      KrbMessageType.KRB_AS_REP,
      user,
      tgs,
      this.tgsKey,
      key,
      KeyUsage.AS_REP_ENCPART,
      req.body.nonce,
      padata,
      true,
    );
  }

  private reply(
    msgType: number,
    user: string,
    sname: PrincipalName,
    serviceKey: Buffer,
    replyKey: Buffer,
    usage: number,
    nonce: number,
    padata: PaData[],
    renewable: boolean,
    endOverride?: number,
  ): Buffer {
    const profile = profileFor(this.etype);
    const sessionKey = profile.randomKey();
    const now = this.now();
    const endtime = endOverride ?? now + (this.opts.lifetimeMs ?? 10 * 3600_000);
    const renewTill = renewable ? now + 7 * 24 * 3600_000 : undefined;
    const ticket = this.issue(sname, serviceKey, {
      etype: this.etype,
      key: sessionKey.toString('hex'),
      cname: user.split('/'),
      crealm: REALM,
      endtime,
      ...(renewTill ? { renewTill } : {}),
    });
    const encPart = encodeEncKdcRepPart(
      msgType === KrbMessageType.KRB_AS_REP ? ENC_AS_REP_PART : ENC_TGS_REP_PART,
      {
        key: { keytype: this.etype, keyvalue: sessionKey },
        nonce,
        flags: TicketFlags.forwardable | (renewable ? TicketFlags.renewable : 0),
        authtime: new Date(Math.floor(now / 1000) * 1000),
        endtime: new Date(Math.floor(endtime / 1000) * 1000),
        ...(renewTill ? { renewTill: new Date(Math.floor(renewTill / 1000) * 1000) } : {}),
        srealm: REALM,
        sname,
      },
    );
    return encodeKdcRep({
      msgType,
      padata,
      crealm: REALM,
      cname: { nameType: 1, nameString: user.split('/') },
      ticket,
      encPart: { etype: this.etype, cipher: profile.encrypt(replyKey, usage, encPart) },
    });
  }

  private tgs(req: ReturnType<typeof decodeKdcReq>): Buffer {
    const pa = req.padata.find((p) => p.type === PaDataType.PA_TGS_REQ)!;
    const apReq = decodeApReq(pa.value);
    const tgt = this.openTicket(apReq.ticket.encPart.cipher, this.tgsKey);
    const sessionKey = Buffer.from(tgt.key, 'hex');
    const profile = profileFor(this.etype);
    const auth = decodeAuthenticator(
      profile.decrypt(sessionKey, KeyUsage.TGS_REQ_AUTH, apReq.authenticator.cipher),
    );
    const expected = profile.checksum(sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, req.bodyBytes);
    if (!auth.cksum || !auth.cksum.checksum.equals(expected))
      throw new Error('mock KDC: bad TGS-REQ body checksum');
    const sname = req.body.sname!;
    const spn = sname.nameString.join('/');
    const user = tgt.cname.join('/');
    if (req.body.kdcOptions & KdcOptions.renew) {
      this.log.push(`TGS ${user} renew`);
      return this.reply(
        KrbMessageType.KRB_TGS_REP,
        user,
        sname,
        this.tgsKey,
        sessionKey,
        KeyUsage.TGS_REP_ENCPART_SESSION_KEY,
        req.body.nonce,
        [],
        true,
      );
    }
    if (!spn.startsWith('cifs/')) {
      this.log.push(`TGS ${user} ${spn} unknown`);
      return this.error(KrbErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, sname);
    }
    this.log.push(`TGS ${user} ${spn}`);
    return this.reply(
      KrbMessageType.KRB_TGS_REP,
      user,
      sname,
      this.serviceKey(spn),
      sessionKey,
      KeyUsage.TGS_REP_ENCPART_SESSION_KEY,
      req.body.nonce,
      [],
      false,
    );
  }

  /**
   * Plays the SMB server: accepts a SPNEGO NegTokenInit with a Kerberos AP-REQ and returns the
   * final NegTokenResp (with an AP-REP carrying an acceptor subkey unless `noSubkey`) and the
   * session key the server would use.
   */
  accept(
    token: Buffer,
    spn: string,
    opts: { noSubkey?: boolean } = {},
  ): { reply: Buffer; sessionKey: Buffer; flags: number; mechTypes: readonly string[] } {
    const init = decodeNegTokenInit(token);
    const { tokId, message } = decodeKrb5Token(init.mechToken!);
    if (tokId !== Krb5TokenId.KRB_AP_REQ) throw new Error('mock acceptor: not an AP-REQ');
    const apReq = decodeApReq(message);
    const t = this.openTicket(apReq.ticket.encPart.cipher, this.serviceKey(spn));
    const sessionKey = Buffer.from(t.key, 'hex');
    const profile = profileFor(this.etype);
    const auth = decodeAuthenticator(
      profile.decrypt(sessionKey, KeyUsage.AP_REQ_AUTH, apReq.authenticator.cipher),
    );
    const flags = auth.cksum!.checksum.readUInt32LE(20);
    const acceptorSubkey = opts.noSubkey ? undefined : profile.randomKey();
    const encPart = encodeEncApRepPart({
      ctime: auth.ctime,
      cusec: auth.cusec,
      ...(acceptorSubkey ? { subkey: { keytype: this.etype, keyvalue: acceptorSubkey } } : {}),
      seqNumber: randomBytes(4).readUInt32BE(0) & 0x7fffffff,
    });
    const apRep = encodeApRep({
      etype: this.etype,
      cipher: profile.encrypt(sessionKey, KeyUsage.AP_REP_ENCPART, encPart),
    });
    const reply = encodeNegTokenResp({
      negState: NegState.ACCEPT_COMPLETED,
      supportedMech: init.mechTypes[0] ?? MechOid.KRB5,
      responseToken: encodeKrb5Token(Krb5TokenId.KRB_AP_REP, apRep),
    });
    return { reply, sessionKey: acceptorSubkey ?? auth.subkey!.keyvalue, flags, mechTypes: init.mechTypes };
  }
}
