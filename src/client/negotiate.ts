import { randomBytes } from 'node:crypto';
import { nextPreauthHash, PREAUTH_HASH_INITIAL } from '../crypto/preauth-hash.js';
import { SigningAlgorithm } from '../crypto/signing.js';
import { CipherId } from '../crypto/encryption.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { negotiateCodec, type NegotiateResponse } from '../smb2/commands/negotiate.js';
import { ALL_DIALECTS, Capabilities, Dialect, SecurityMode, dialectName } from '../smb2/constants.js';
import { NegotiateContextType, HashAlgorithm, type NegotiateContext } from '../smb2/negotiate-contexts.js';
import type { Connection } from './connection.js';

export interface NegotiateOptions {
  dialects?: readonly Dialect[];
  /** Client requires signing (MS-SMB2 3.2.4.2.2.2 SecurityMode). */
  requireSigning?: boolean;
  /** Ciphers offered for 3.1.1, most preferred first (MS-SMB2 2.2.3.1.2). */
  ciphers?: readonly number[];
  /** Signing algorithms offered for 3.1.1 (MS-SMB2 2.2.3.1.7). */
  signingAlgorithms?: readonly number[];
  clientGuid?: Buffer;
  /** Server name for SMB2_NETNAME_NEGOTIATE_CONTEXT_ID (MS-SMB2 2.2.3.1.4). */
  serverName?: string;
}

/** Everything NEGOTIATE settled, plus what the client sent (for FSCTL_VALIDATE_NEGOTIATE_INFO). */
export interface Negotiation {
  readonly dialect: Dialect;
  readonly serverGuid: Buffer;
  readonly serverCapabilities: number;
  readonly serverSecurityMode: number;
  readonly serverRequiresSigning: boolean;
  readonly maxTransactSize: number;
  readonly maxReadSize: number;
  readonly maxWriteSize: number;
  /** 0 when no encryption is possible (2.x, or 3.x without SMB2_GLOBAL_CAP_ENCRYPTION). */
  readonly cipherId: number;
  readonly signingAlgorithm: SigningAlgorithm;
  /** Connection.PreauthIntegrityHashValue after NEGOTIATE (3.1.1 only). */
  readonly preauthHash: Buffer | undefined;
  /** The server's GSS token (SPNEGO NegTokenInit2), possibly empty. */
  readonly securityBuffer: Buffer;
  readonly clientGuid: Buffer;
  readonly clientSecurityMode: number;
  readonly clientCapabilities: number;
  readonly clientDialects: readonly Dialect[];
}

const DEFAULT_CIPHERS = [
  CipherId.AES_128_GCM,
  CipherId.AES_128_CCM,
  CipherId.AES_256_GCM,
  CipherId.AES_256_CCM,
];
const DEFAULT_SIGNING = [SigningAlgorithm.AES_GMAC, SigningAlgorithm.AES_CMAC, SigningAlgorithm.HMAC_SHA256];

/**
 * Sends NEGOTIATE (MS-SMB2 3.2.4.2.2.2) as MessageId 0 and records the outcome on the connection
 * (dialect, multi-credit, cipher). For 3.1.1 it offers preauth integrity (SHA-512), encryption and
 * signing capabilities and starts the preauth hash (3.2.5.2).
 */
export async function negotiate(conn: Connection, options: NegotiateOptions = {}): Promise<Negotiation> {
  const dialects = [...(options.dialects ?? ALL_DIALECTS)];
  if (dialects.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'no SMB dialect to offer');
  const clientGuid = options.clientGuid ?? randomBytes(16);
  const securityMode = options.requireSigning
    ? SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED
    : SecurityMode.SMB2_NEGOTIATE_SIGNING_ENABLED;
  const offers3 = dialects.some((d) => d >= Dialect.SMB3_0);
  const capabilities =
    Capabilities.SMB2_GLOBAL_CAP_DFS |
    Capabilities.SMB2_GLOBAL_CAP_LEASING |
    Capabilities.SMB2_GLOBAL_CAP_LARGE_MTU |
    (offers3 ? Capabilities.SMB2_GLOBAL_CAP_ENCRYPTION : 0);
  const ciphers = options.ciphers ?? DEFAULT_CIPHERS;
  const negotiateContexts: NegotiateContext[] = dialects.includes(Dialect.SMB3_1_1)
    ? buildContexts(ciphers, options.signingAlgorithms ?? DEFAULT_SIGNING, options.serverName)
    : [];

  let preauth = PREAUTH_HASH_INITIAL;
  const reply = await conn.request(
    negotiateCodec,
    { dialects, securityMode, capabilities, clientGuid, negotiateContexts },
    {
      onEncoded: (msg) => (preauth = nextPreauthHash(preauth, msg)),
      // NEGOTIATE is part of connecting: a peer that accepts TCP but never speaks SMB2 is a
      // failed connect, reported within the connect timeout rather than the (longer) request one.
      timeoutMs: conn.settings.connectTimeoutMs,
    },
  );
  const res = reply.body;
  const dialect = res.dialectRevision as Dialect;
  if (!dialects.includes(dialect)) {
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `server chose dialect ${dialectName(dialect)} which was not offered`,
    );
  }
  const is311 = dialect === Dialect.SMB3_1_1;
  if (is311) preauth = nextPreauthHash(preauth, reply.raw);

  const negotiation: Negotiation = {
    dialect,
    serverGuid: Buffer.from(res.serverGuid),
    serverCapabilities: res.capabilities,
    serverSecurityMode: res.securityMode,
    serverRequiresSigning: (res.securityMode & SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED) !== 0,
    maxTransactSize: res.maxTransactSize,
    maxReadSize: res.maxReadSize,
    maxWriteSize: res.maxWriteSize,
    cipherId: chosenCipher(dialect, res, ciphers),
    signingAlgorithm: chosenSigning(dialect, res),
    preauthHash: is311 ? preauth : undefined,
    securityBuffer: Buffer.from(res.securityBuffer),
    clientGuid,
    clientSecurityMode: securityMode,
    clientCapabilities: capabilities,
    clientDialects: dialects,
  };
  conn.negotiated = {
    dialect,
    multiCredit:
      dialect !== Dialect.SMB2_0_2 && (res.capabilities & Capabilities.SMB2_GLOBAL_CAP_LARGE_MTU) !== 0,
    cipherId: negotiation.cipherId,
  };
  return negotiation;
}

function buildContexts(
  ciphers: readonly number[],
  signing: readonly number[],
  serverName?: string,
): NegotiateContext[] {
  const contexts: NegotiateContext[] = [
    {
      type: NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
      hashAlgorithms: [HashAlgorithm.SHA_512],
      salt: randomBytes(32),
    },
    { type: NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, ciphers: [...ciphers] },
    { type: NegotiateContextType.SMB2_SIGNING_CAPABILITIES, signingAlgorithms: [...signing] },
  ];
  if (serverName)
    contexts.push({ type: NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID, netName: serverName });
  return contexts;
}

/** MS-SMB2 3.2.5.2: 3.1.1 takes the cipher from the context; 3.0/3.0.2 use AES-128-CCM when capable. */
function chosenCipher(dialect: Dialect, res: NegotiateResponse, offered: readonly number[]): number {
  if (dialect === Dialect.SMB3_1_1) {
    for (const ctx of res.negotiateContexts) {
      if (ctx.type === NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES) {
        const id = ctx.ciphers[0] ?? 0;
        return offered.includes(id) ? id : 0;
      }
    }
    return 0;
  }
  if (dialect >= Dialect.SMB3_0 && (res.capabilities & Capabilities.SMB2_GLOBAL_CAP_ENCRYPTION) !== 0) {
    return CipherId.AES_128_CCM;
  }
  return 0;
}

/** MS-SMB2 3.1.4.1: 2.x HMAC-SHA256, 3.0/3.0.2 AES-CMAC, 3.1.1 per SMB2_SIGNING_CAPABILITIES else AES-CMAC. */
function chosenSigning(dialect: Dialect, res: NegotiateResponse): SigningAlgorithm {
  if (dialect < Dialect.SMB3_0) return SigningAlgorithm.HMAC_SHA256;
  if (dialect === Dialect.SMB3_1_1) {
    for (const ctx of res.negotiateContexts) {
      if (ctx.type === NegotiateContextType.SMB2_SIGNING_CAPABILITIES) {
        return (ctx.signingAlgorithms[0] ?? SigningAlgorithm.AES_CMAC) as SigningAlgorithm;
      }
    }
  }
  return SigningAlgorithm.AES_CMAC;
}
