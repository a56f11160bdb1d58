import { ErrorCode, MalformedMessageError, SmbBenchError } from '../../errors/smbench-error.js';
import type { SessionAuthenticator } from '../authenticator.js';
import { decodeNegTokenInit, encodeMechTypeList, encodeNegTokenInit } from '../spnego/neg-token-init.js';
import {
  decodeNegTokenResp,
  encodeNegTokenResp,
  NegState,
  type NegTokenResp,
} from '../spnego/neg-token-resp.js';
import { MechOid } from '../spnego/oid.js';
import { ApOptions, encodeApReq, encodeAuthenticator } from './asn1/ap-req.js';
import { decodeApRep, decodeEncApRepPart } from './asn1/ap-rep.js';
import { decodeKrbError } from './asn1/krb-error.js';
import { isSupportedEtype, KerberosIntegrityError, type KerberosKey } from './crypto/etype.js';
import { KeyUsage } from './crypto/key-usage.js';
import { profileFor } from './crypto/profiles.js';
import { gssAuthenticatorChecksum, SMB_GSS_FLAGS } from './gss-checksum.js';
import { decodeKrb5Token, encodeKrb5Token, Krb5TokenId } from './gss-krb5-token.js';
import { getMic, verifyAcceptorMic, type MicContext } from './gss-mic.js';
import { splitTime } from './kdc-context.js';
import type { KerberosClient, KerberosUser } from './kerberos-client.js';
import { KerberosError, kerberosFailure } from './kerberos-errors.js';
import type { CachedTicket } from './ticket-cache.js';

/**
 * A Kerberos initiator inside SPNEGO for SMB2 SESSION_SETUP (MS-KILE 3.2.5.2, MS-SPNG, RFC 4121):
 *   step(hint)   -> NegTokenInit { mechTypes [MS-KRB5, KRB5], mechToken = GSS AP-REQ } after
 *                   getting a cifs/<host> ticket from the shared KerberosClient
 *   step(resp)   -> only if the server continues (accept-incomplete / request-mic): checks its
 *                   AP-REP and answers with our mechListMIC (RFC 4178 5)
 *   finish(resp) -> checks accept-completed, the AP-REP (key usage 12) and any mechListMIC
 * The session key (MS-KILE 3.1.1.2) is the AP-REP subkey if the server sent one, else the subkey
 * we put in the authenticator. With AES256 it is 32 bytes; SMB uses the first 16 except for the
 * 256-bit ciphers (MS-SMB2 3.2.5.3, see src/crypto/session-keys.ts).
 */

export interface KerberosAuthenticatorOptions {
  /** Target server host name: the SPN is `cifs/<host>` unless `spn` is given. */
  readonly host?: string;
  /** Full service principal name, e.g. `cifs/fs1.example.com`. */
  readonly spn?: string;
  /** GSS context flags for the authenticator checksum (RFC 4121 4.1.1.1); default SMB_GSS_FLAGS. */
  readonly gssFlags?: number;
  /** Mechanism list to offer; default [MS_KRB5, KRB5] like Windows. */
  readonly mechTypes?: readonly string[];
}

type State = 'initial' | 'ap-req-sent' | 'mic-sent' | 'done' | 'failed';

const DEFAULT_MECH_TYPES = [MechOid.MS_KRB5, MechOid.KRB5] as const;
const KRB5_MECHS: ReadonlySet<string> = new Set([MechOid.KRB5, MechOid.MS_KRB5]);

function authFailure(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.AUTH, message);
}

class KerberosAuthenticator implements SessionAuthenticator {
  readonly mechanism = 'Kerberos';
  readonly principal: string;
  private state: State = 'initial';
  private readonly spn: string;
  private readonly mechTypes: readonly string[];
  private ticket: CachedTicket | undefined;
  private subkey: KerberosKey | undefined;
  private acceptorSubkey: KerberosKey | undefined;
  private ctimeMs = 0;
  private seqNumber = 0;
  private apRepSeen = false;

  constructor(
    private readonly client: KerberosClient,
    private readonly user: KerberosUser,
    private readonly opts: KerberosAuthenticatorOptions,
  ) {
    if (!user.user) throw new SmbBenchError(ErrorCode.USAGE, 'Kerberos credentials need a user name');
    const spn = opts.spn ?? (opts.host ? `cifs/${opts.host}` : undefined);
    if (!spn)
      throw new SmbBenchError(ErrorCode.USAGE, `Kerberos for ${user.user} needs the server host name or SPN`);
    this.spn = spn;
    this.principal =
      user.realm && !user.user.includes('@') ? `${user.user}@${user.realm.toUpperCase()}` : user.user;
    this.mechTypes = opts.mechTypes ?? DEFAULT_MECH_TYPES;
  }

  async step(serverToken: Buffer | undefined): Promise<Buffer> {
    switch (this.state) {
      case 'initial':
        return this.apReq(serverToken);
      case 'ap-req-sent':
        return this.continueAfterApReq(serverToken);
      default:
        throw authFailure(
          `Kerberos for ${this.principal}: server asked for another round after the mechListMIC`,
        );
    }
  }

  /** First leg: check the server offers Kerberos, get a ticket, send the AP-REQ. */
  private async apReq(hint: Buffer | undefined): Promise<Buffer> {
    if (hint && hint.length > 0) {
      const offered = decodeNegTokenInit(hint).mechTypes;
      if (offered.length > 0 && !offered.some((m) => KRB5_MECHS.has(m))) {
        throw authFailure(`server does not offer Kerberos (mechanisms: ${offered.join(', ')})`);
      }
    }
    this.state = 'failed';
    const ticket = await this.client.getServiceTicket(this.user, this.spn);
    const profile = profileFor(ticket.sessionKey.etype);
    // RFC 4121 / MS-KILE 3.2.5.2: a fresh subkey of the session key's type; it becomes the
    // SMB session key unless the server replaces it in the AP-REP.
    this.subkey = { etype: ticket.sessionKey.etype, value: profile.randomKey() };
    this.seqNumber = this.client.randomBytes(4).readUInt32BE(0) & 0x7fffffff;
    this.ctimeMs = this.client.now();
    const { time, usec } = splitTime(this.ctimeMs);
    const authenticator = encodeAuthenticator({
      crealm: ticket.crealm,
      cname: ticket.cname,
      cksum: gssAuthenticatorChecksum(this.opts.gssFlags ?? SMB_GSS_FLAGS),
      cusec: usec,
      ctime: time,
      subkey: { keytype: this.subkey.etype, keyvalue: this.subkey.value },
      seqNumber: this.seqNumber,
    });
    const apReq = encodeApReq(ApOptions.mutual_required, ticket.ticket.encoded, {
      etype: ticket.sessionKey.etype,
      cipher: profile.encrypt(ticket.sessionKey.value, KeyUsage.AP_REQ_AUTH, authenticator),
    });
    this.ticket = ticket;
    this.state = 'ap-req-sent';
    return encodeNegTokenInit({
      mechTypes: this.mechTypes,
      mechToken: encodeKrb5Token(Krb5TokenId.KRB_AP_REQ, apReq),
    });
  }

  /**
   * The server did not complete in one leg (RFC 4178 5: accept-incomplete or request-mic, e.g. a
   * server that insists on mechListMIC): verify its AP-REP and MIC, and send ours.
   */
  private continueAfterApReq(serverToken: Buffer | undefined): Buffer {
    this.state = 'failed';
    const resp = this.readResponse(serverToken);
    if (!this.apRepSeen) {
      throw authFailure(`Kerberos for ${this.principal}: server continued without an AP-REP`);
    }
    const mic = this.micContext();
    if (!mic) {
      throw authFailure(
        `Kerberos for ${this.principal}: server wants a mechListMIC, unsupported with rc4-hmac`,
      );
    }
    this.checkServerMic(resp);
    this.state = 'mic-sent';
    return encodeNegTokenResp({
      mechListMIC: getMic(mic, encodeMechTypeList(this.mechTypes), BigInt(this.seqNumber)),
    });
  }

  finish(serverToken: Buffer | undefined): void {
    if (this.state !== 'ap-req-sent' && this.state !== 'mic-sent') {
      throw authFailure(`Kerberos for ${this.principal}: server accepted the session before the AP-REQ`);
    }
    const previous = this.state;
    this.state = 'failed';
    // An empty final token: the server sent no AP-REP (no mutual authentication); the session
    // key is then our authenticator subkey, which the signed final response proves it knows.
    if (serverToken && serverToken.length > 0) {
      const resp = this.readResponse(serverToken);
      if (resp.negState !== undefined && resp.negState !== NegState.ACCEPT_COMPLETED) {
        throw authFailure(`server ended SPNEGO in state ${resp.negState} instead of accept-completed`);
      }
      if (previous === 'ap-req-sent') this.checkServerMic(resp);
    }
    this.state = 'done';
  }

  /** Parses a NegTokenResp and processes an AP-REP or KRB-ERROR it carries. */
  private readResponse(serverToken: Buffer | undefined): NegTokenResp {
    if (!serverToken || serverToken.length === 0) {
      throw new MalformedMessageError('SPNEGO: empty token where the Kerberos AP-REP was expected');
    }
    const resp = decodeNegTokenResp(serverToken);
    if (resp.supportedMech !== undefined && !KRB5_MECHS.has(resp.supportedMech)) {
      throw authFailure(`server chose mechanism ${resp.supportedMech}, not Kerberos`);
    }
    if (resp.responseToken && resp.responseToken.length > 0) this.readMechToken(resp.responseToken);
    if (resp.negState === NegState.REJECT)
      throw authFailure(`server rejected Kerberos for ${this.principal}`);
    return resp;
  }

  private readMechToken(token: Buffer): void {
    const { tokId, message } = decodeKrb5Token(token);
    if (tokId === Krb5TokenId.KRB_ERROR) {
      throw new KerberosError(decodeKrbError(message), `${this.principal} at ${this.spn}`, this.client.now());
    }
    if (tokId !== Krb5TokenId.KRB_AP_REP) {
      throw new MalformedMessageError(
        `Kerberos token with TOK_ID 0x${tokId.toString(16)} where AP-REP was expected`,
      );
    }
    const key = this.ticket!.sessionKey;
    let plain: Buffer;
    try {
      plain = profileFor(key.etype).decrypt(key.value, KeyUsage.AP_REP_ENCPART, decodeApRep(message).cipher);
    } catch (err) {
      if (err instanceof KerberosIntegrityError) {
        throw kerberosFailure(`AP-REP from ${this.spn} does not decrypt with the ticket session key`, err);
      }
      throw err;
    }
    const part = decodeEncApRepPart(plain);
    // RFC 4120 3.2.5 / 5.5.2: the server proves itself by echoing our ctime and cusec.
    const { time, usec } = splitTime(this.ctimeMs);
    if (part.ctime.getTime() !== time.getTime() || part.cusec !== usec) {
      throw kerberosFailure(
        `AP-REP from ${this.spn} does not echo our authenticator time (mutual authentication failed)`,
      );
    }
    if (part.subkey) {
      if (!isSupportedEtype(part.subkey.keytype)) {
        throw kerberosFailure(
          `AP-REP from ${this.spn} has a subkey of unsupported etype ${part.subkey.keytype}`,
        );
      }
      this.acceptorSubkey = { etype: part.subkey.keytype, value: Buffer.from(part.subkey.keyvalue) };
    }
    this.apRepSeen = true;
  }

  /** RFC 4121 CFX MIC context; undefined for rc4-hmac, whose MIC format smbench does not implement. */
  private micContext(): MicContext | undefined {
    const key = this.acceptorSubkey ?? this.subkey!;
    if (key.etype === 23) return undefined;
    return {
      profile: profileFor(key.etype),
      key: key.value,
      acceptorSubkey: this.acceptorSubkey !== undefined,
    };
  }

  /** Verifies the server's mechListMIC when it sent one (RFC 4178 5); optional for the first mech. */
  private checkServerMic(resp: NegTokenResp): void {
    if (!resp.mechListMIC || resp.mechListMIC.length === 0) return;
    const mic = this.micContext();
    // MS-SPNG 3.3.5.1: older servers echo the response token as a fake MIC; nothing to verify then.
    if (!mic || (resp.responseToken && resp.mechListMIC.equals(resp.responseToken))) return;
    if (!verifyAcceptorMic(mic, encodeMechTypeList(this.mechTypes), resp.mechListMIC)) {
      throw authFailure(`server mechListMIC does not verify for ${this.principal}`);
    }
  }

  sessionKey(): Buffer {
    if (this.state !== 'done' || !this.subkey) {
      throw authFailure(`Kerberos for ${this.principal}: no session key before the exchange completes`);
    }
    return (this.acceptorSubkey ?? this.subkey).value;
  }
}

/** Creates a single-use Kerberos-in-SPNEGO authenticator for one SESSION_SETUP exchange. */
export function createKerberosAuthenticator(
  client: KerberosClient,
  user: KerberosUser,
  opts: KerberosAuthenticatorOptions,
): SessionAuthenticator {
  return new KerberosAuthenticator(client, user, opts);
}
