import { randomBytes } from 'node:crypto';
import { utf16 } from '../../bytes/utf16.js';
import { ErrorCode, MalformedMessageError, SmbBenchError } from '../../errors/smbench-error.js';
import { rc4 } from '../../crypto/rc4.js';
import type { SessionAuthenticator } from '../authenticator.js';
import { decodeNegTokenInit, encodeMechTypeList, encodeNegTokenInit } from '../spnego/neg-token-init.js';
import { decodeNegTokenResp, encodeNegTokenResp, NegState } from '../spnego/neg-token-resp.js';
import { MechOid } from '../spnego/oid.js';
import { AUTHENTICATE_MIC_OFFSET, encodeAuthenticateMessage } from './authenticate-message.js';
import { avPairFlags, avPairTimestamp, encodeAvPairs, type AvPair } from './av-pairs.js';
import { decodeChallengeMessage, type ChallengeMessage } from './challenge-message.js';
import {
  AvId,
  MsvAvFlags,
  NegotiateFlags,
  NTLM_CHALLENGE_LENGTH,
  NTLM_SESSION_KEY_LENGTH,
  SMBENCH_NTLM_VERSION,
} from './constants.js';
import { encodeNegotiateMessage } from './negotiate-message.js';
import { createClientSecurity, type NtlmClientSecurity } from './ntlm-session-security.js';
import { computeNtlmv2Response, fileTimeNow, hmacMd5, ntHash, ntowfv2 } from './ntlmv2.js';

export interface NtlmCredentials {
  user: string;
  /** The password; or give `ntHash` instead. */
  password?: string;
  /** NTOWFv1 = MD4(UTF-16LE(password)) (MS-NLMP 3.3.1), to skip hashing for thousands of users. */
  ntHash?: Buffer;
  /** The account's domain; empty (the default) lets the server use its own. */
  domain?: string;
  /** The client machine name sent in AUTHENTICATE; default empty. */
  workstation?: string;
}

export interface NtlmAuthenticatorOptions {
  /** Service principal for MsvAvTargetName (MS-NLMP 2.2.2.1), e.g. `cifs/fileserver`; omitted if unset. */
  targetName?: string;
  /** Randomness source (client challenge, exported session key); tests inject a fixed one. */
  randomBytes?: (n: number) => Buffer;
  /** Current time as FILETIME, used when the server sends no MsvAvTimestamp. */
  now?: () => bigint;
}

/**
 * What smbench asks for in NEGOTIATE (MS-NLMP 2.2.2.5): Unicode, NTLMv2 with extended session
 * security, 128-bit keys with key exchange, signing (SMB3 keys derive from the session key) and the
 * target info that NTLMv2 needs. SEAL and 56 are requested like Windows clients do so that servers
 * pick the same key strengths they would for Windows.
 */
export const NTLM_CLIENT_FLAGS = [
  NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE,
  NegotiateFlags.NTLMSSP_REQUEST_TARGET,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN,
  NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL,
  NegotiateFlags.NTLMSSP_NEGOTIATE_NTLM,
  NegotiateFlags.NTLMSSP_NEGOTIATE_ALWAYS_SIGN,
  NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
  NegotiateFlags.NTLMSSP_NEGOTIATE_TARGET_INFO,
  NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION,
  NegotiateFlags.NTLMSSP_NEGOTIATE_128,
  NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH,
  NegotiateFlags.NTLMSSP_NEGOTIATE_56,
].reduce((all, flag) => (all | flag) >>> 0, 0);

const MECH_TYPES = [MechOid.NTLMSSP] as const;

type State = 'initial' | 'negotiate-sent' | 'authenticate-sent' | 'done' | 'failed';

function authFailure(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.AUTH, message);
}

/**
 * An NTLMv2 initiator inside SPNEGO (RFC 4178, MS-SPNG) for SMB2 SESSION_SETUP:
 *   step(hint)       -> NegTokenInit { mechTypes [NTLMSSP], mechToken NEGOTIATE }
 *   step(challenge)  -> NegTokenResp { responseToken AUTHENTICATE (with MIC), mechListMIC }
 *   finish(final)    -> checks accept-completed and the server's mechListMIC
 */
class NtlmAuthenticator implements SessionAuthenticator {
  readonly mechanism = 'NTLM';
  readonly principal: string;
  private state: State = 'initial';
  private negotiateMessage: Buffer | undefined;
  private exportedSessionKey: Buffer | undefined;
  private security: NtlmClientSecurity | undefined;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => bigint;

  constructor(
    private readonly creds: NtlmCredentials,
    private readonly opts: NtlmAuthenticatorOptions,
  ) {
    if (!creds.user) throw new SmbBenchError(ErrorCode.USAGE, 'NTLM credentials need a user name');
    if (creds.password === undefined && creds.ntHash === undefined) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `NTLM credentials for ${creds.user} need a password or ntHash`,
      );
    }
    if (creds.ntHash !== undefined && creds.ntHash.length !== 16) {
      throw new SmbBenchError(ErrorCode.USAGE, `NT hash for ${creds.user} must be 16 bytes`);
    }
    this.principal = creds.domain ? `${creds.domain}\\${creds.user}` : creds.user;
    this.random = opts.randomBytes ?? randomBytes;
    this.now = opts.now ?? (() => fileTimeNow());
  }

  step(serverToken: Buffer | undefined): Buffer {
    switch (this.state) {
      case 'initial':
        return this.negotiate(serverToken);
      case 'negotiate-sent':
        return this.authenticate(serverToken);
      default:
        throw authFailure(`NTLM for ${this.principal}: server asked for another round after AUTHENTICATE`);
    }
  }

  /** First leg: optionally check the server's NegTokenInit2 hint, then send NEGOTIATE. */
  private negotiate(hint: Buffer | undefined): Buffer {
    // MS-SMB2 3.3.5.4: the NEGOTIATE response may carry the server's mechanism list, or nothing.
    if (hint && hint.length > 0) {
      const offered = decodeNegTokenInit(hint).mechTypes;
      if (offered.length > 0 && !offered.includes(MechOid.NTLMSSP)) {
        throw authFailure(`server does not offer NTLM (mechanisms: ${offered.join(', ')})`);
      }
    }
    this.negotiateMessage = encodeNegotiateMessage({
      negotiateFlags: NTLM_CLIENT_FLAGS,
      version: SMBENCH_NTLM_VERSION,
    });
    this.state = 'negotiate-sent';
    return encodeNegTokenInit({ mechTypes: MECH_TYPES, mechToken: this.negotiateMessage });
  }

  /** Second leg: parse CHALLENGE, answer with AUTHENTICATE and the SPNEGO mechListMIC. */
  private authenticate(serverToken: Buffer | undefined): Buffer {
    if (!serverToken || serverToken.length === 0) {
      throw new MalformedMessageError('SPNEGO: empty token where CHALLENGE was expected');
    }
    const resp = decodeNegTokenResp(serverToken);
    if (resp.negState === NegState.REJECT) throw authFailure(`server rejected NTLM for ${this.principal}`);
    if (resp.supportedMech !== undefined && resp.supportedMech !== MechOid.NTLMSSP) {
      throw authFailure(`server chose mechanism ${resp.supportedMech}, not NTLM`);
    }
    if (!resp.responseToken) {
      throw new MalformedMessageError('SPNEGO: NegTokenResp without the NTLM CHALLENGE');
    }
    const challengeBytes = resp.responseToken;
    const challenge = decodeChallengeMessage(challengeBytes);
    // The AUTHENTICATE flags are what both sides support (MS-NLMP 3.1.5.1.2).
    const flags = (challenge.negotiateFlags & NTLM_CLIENT_FLAGS) >>> 0;
    if (
      !(flags & NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) ||
      !(flags & NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE)
    ) {
      throw authFailure(
        `server does not support NTLMv2 with extended session security and Unicode (flags 0x${challenge.negotiateFlags.toString(16)})`,
      );
    }
    const timestamp = avPairTimestamp(challenge.targetInfoPairs);
    const withMic = timestamp !== undefined;
    const responseKeyNT = ntowfv2(
      this.creds.ntHash ?? ntHash(this.creds.password!),
      this.creds.user,
      this.creds.domain ?? '',
    );
    const v2 = computeNtlmv2Response({
      responseKeyNT,
      serverChallenge: challenge.serverChallenge,
      clientChallenge: this.random(NTLM_CHALLENGE_LENGTH),
      time: timestamp ?? this.now(),
      avPairs: this.clientAvPairs(challenge, withMic),
      zeroLmResponse: timestamp !== undefined,
    });
    // KXKEY for NTLMv2 is the SessionBaseKey (3.4.5.1); with KEY_EXCH the client picks a random
    // ExportedSessionKey and sends it RC4-encrypted with KXKEY (3.1.5.1.2).
    const keyExchangeKey = v2.sessionBaseKey;
    let encryptedRandomSessionKey: Buffer = Buffer.alloc(0);
    let exportedSessionKey: Buffer = keyExchangeKey;
    if (flags & NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH) {
      exportedSessionKey = this.random(NTLM_SESSION_KEY_LENGTH);
      encryptedRandomSessionKey = rc4(keyExchangeKey, exportedSessionKey);
    }
    const message = encodeAuthenticateMessage({
      negotiateFlags: flags,
      lmChallengeResponse: v2.lmChallengeResponse,
      ntChallengeResponse: v2.ntChallengeResponse,
      domainName: this.creds.domain ?? '',
      userName: this.creds.user,
      workstation: this.creds.workstation ?? '',
      encryptedRandomSessionKey,
      // Version is debugging data, meaningful only when NEGOTIATE_VERSION was agreed (2.2.2.10).
      ...(flags & NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION ? { version: SMBENCH_NTLM_VERSION } : {}),
    });
    if (withMic) {
      // MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE with MIC zeroed).
      hmacMd5(exportedSessionKey, this.negotiateMessage!, challengeBytes, message).copy(
        message,
        AUTHENTICATE_MIC_OFFSET,
      );
    }
    this.exportedSessionKey = exportedSessionKey;
    this.state = 'authenticate-sent';
    // RFC 4178 5: mechListMIC protects the mechanism list against downgrade; Samba and Windows
    // demand it once the NTLM MIC is in use. It is an NTLM signature with sequence number 0.
    let mechListMIC: Buffer | undefined;
    if (flags & NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN) {
      this.security = createClientSecurity(exportedSessionKey, flags);
      mechListMIC = this.security.outbound.sign(encodeMechTypeList(MECH_TYPES));
    }
    return encodeNegTokenResp(
      mechListMIC ? { responseToken: message, mechListMIC } : { responseToken: message },
    );
  }

  /**
   * The AV pairs of the NTLMv2 client blob (MS-NLMP 3.1.5.1.2): the server's TargetInfo, with
   * MsvAvFlags gaining MIC_PROVIDED when a MIC is sent, an all-zero MsvAvChannelBindings (no TLS
   * channel under SMB) and the optional MsvAvTargetName.
   */
  private clientAvPairs(challenge: ChallengeMessage, withMic: boolean): Buffer {
    const pairs: AvPair[] = challenge.targetInfoPairs.filter(
      (p) => p.id !== AvId.MsvAvFlags && p.id !== AvId.MsvAvChannelBindings && p.id !== AvId.MsvAvTargetName,
    );
    let avFlags = avPairFlags(challenge.targetInfoPairs);
    if (withMic) avFlags |= MsvAvFlags.MIC_PROVIDED;
    if (avFlags !== 0) {
      const value = Buffer.alloc(4);
      value.writeUInt32LE(avFlags >>> 0);
      pairs.push({ id: AvId.MsvAvFlags, value });
    }
    pairs.push({ id: AvId.MsvAvChannelBindings, value: Buffer.alloc(16) });
    if (this.opts.targetName) pairs.push({ id: AvId.MsvAvTargetName, value: utf16(this.opts.targetName) });
    return encodeAvPairs(pairs);
  }

  finish(serverToken: Buffer | undefined): void {
    if (this.state !== 'authenticate-sent') {
      throw authFailure(`NTLM for ${this.principal}: server accepted the session before AUTHENTICATE`);
    }
    this.state = 'failed';
    this.validateFinalToken(serverToken);
    this.state = 'done';
  }

  private validateFinalToken(serverToken: Buffer | undefined): void {
    // Some servers end with an empty SecurityBuffer; SMB 3.x still signs the final response.
    if (!serverToken || serverToken.length === 0) return;
    const resp = decodeNegTokenResp(serverToken);
    if (resp.negState === NegState.REJECT) throw authFailure(`server rejected NTLM for ${this.principal}`);
    if (resp.negState !== undefined && resp.negState !== NegState.ACCEPT_COMPLETED) {
      throw authFailure(`server ended SPNEGO in state ${resp.negState} instead of accept-completed`);
    }
    if (resp.mechListMIC && this.security) {
      if (!this.security.inbound.verify(encodeMechTypeList(MECH_TYPES), resp.mechListMIC)) {
        throw authFailure(`server mechListMIC does not verify for ${this.principal}`);
      }
    }
  }

  sessionKey(): Buffer {
    if (this.state !== 'done' || !this.exportedSessionKey) {
      throw authFailure(`NTLM for ${this.principal}: no session key before the exchange completes`);
    }
    return this.exportedSessionKey;
  }
}

/** Creates a single-use NTLMv2-in-SPNEGO authenticator for one SESSION_SETUP exchange. */
export function createNtlmAuthenticator(
  creds: NtlmCredentials,
  opts: NtlmAuthenticatorOptions = {},
): SessionAuthenticator {
  return new NtlmAuthenticator(creds, opts);
}
