import { Dialect } from '../smb2/constants.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { cipherKeyLength } from './encryption.js';
import { kdfString, sp800108CounterHmacSha256 } from './kdf.js';

/**
 * Session key schedule, MS-SMB2 3.2.5.3.1 (client) / 3.3.5.5.3 (server) with the KDF of 3.1.4.2.
 *
 * - 2.0.2 / 2.1: no derivation, Session.SessionKey signs directly (HMAC-SHA256) and there is no
 *   encryption.
 * - 3.0 / 3.0.2: constant labels and contexts.
 * - 3.1.1: new labels; the context is Session.PreauthIntegrityHashValue, which binds every key to
 *   the exact NEGOTIATE/SESSION_SETUP bytes exchanged.
 *
 * Key sizes: Session.SessionKey is the first 16 bytes of the GSS session key (zero padded if
 * shorter, MS-SMB2 3.2.1.3). Signing and application keys always come from it with L = 128. Only
 * for AES-256-CCM/GCM are the cipher keys derived with L = 256 from Session.FullSessionKey (the
 * whole GSS key; 32 bytes with Kerberos AES-256, 16 with NTLM).
 */

export interface SessionKeyInputs {
  readonly dialect: Dialect;
  /** The GSS/SPNEGO session key (NTLM ExportedSessionKey, Kerberos subkey), any length. */
  readonly sessionKey: Buffer;
  /** Session.PreauthIntegrityHashValue after the final SESSION_SETUP request (3.1.1 only). */
  readonly preauthHash: Buffer | undefined;
  /** Connection.CipherId; 0 when no encryption was negotiated. */
  readonly cipherId: number;
}

export interface SessionKeys {
  /** Session.SigningKey (2.x: Session.SessionKey itself). */
  readonly signingKey: Buffer;
  /** Session.EncryptionKey: client-to-server ("ServerIn " / SMBC2SCipherKey). Undefined without a cipher. */
  readonly encryptionKey: Buffer | undefined;
  /** Session.DecryptionKey: server-to-client ("ServerOut" / SMBS2CCipherKey). Undefined without a cipher. */
  readonly decryptionKey: Buffer | undefined;
  /** Session.ApplicationKey, handed to upper layers such as DCE/RPC (2.x: Session.SessionKey). */
  readonly applicationKey: Buffer;
}

/** Labels and contexts for 3.0 / 3.0.2 (MS-SMB2 3.2.5.3.1). Note "ServerIn " has a trailing space. */
const SMB30 = {
  signing: { label: kdfString('SMB2AESCMAC'), context: kdfString('SmbSign') },
  clientToServer: { label: kdfString('SMB2AESCCM'), context: kdfString('ServerIn ') },
  serverToClient: { label: kdfString('SMB2AESCCM'), context: kdfString('ServerOut') },
  application: { label: kdfString('SMB2APP'), context: kdfString('SmbRpc') },
} as const;

/** Labels for 3.1.1 (MS-SMB2 3.2.5.3.1); the context is always the preauth integrity hash. */
const SMB311_LABELS = {
  signing: kdfString('SMBSigningKey'),
  clientToServer: kdfString('SMBC2SCipherKey'),
  serverToClient: kdfString('SMBS2CCipherKey'),
  application: kdfString('SMBAppKey'),
} as const;

const SESSION_KEY_SIZE = 16;

/** Session.SessionKey: first 16 bytes of the GSS key, right-padded with zeros (MS-SMB2 3.2.1.3). */
export function truncatedSessionKey(fullKey: Buffer): Buffer {
  const key = Buffer.alloc(SESSION_KEY_SIZE);
  fullKey.copy(key, 0, 0, Math.min(fullKey.length, SESSION_KEY_SIZE));
  return key;
}

export function deriveSessionKeys(inputs: SessionKeyInputs): SessionKeys {
  const { dialect, cipherId } = inputs;
  const sessionKey = truncatedSessionKey(inputs.sessionKey);
  if (dialect < Dialect.SMB3_0 || dialect === Dialect.SMB2_WILDCARD) {
    return {
      signingKey: sessionKey,
      encryptionKey: undefined,
      decryptionKey: undefined,
      applicationKey: sessionKey,
    };
  }
  const hasCipher = cipherId !== 0;
  // Throws for an id we do not know, so a bad negotiation surfaces here, not at the first request.
  const cipherBits = hasCipher ? cipherKeyLength(cipherId) * 8 : 128;
  // MS-SMB2 3.2.5.3.1: the 256-bit ciphers derive from the full, untruncated GSS key.
  const cipherKi = cipherBits === 256 ? inputs.sessionKey : sessionKey;

  if (dialect === Dialect.SMB3_1_1) {
    const context = inputs.preauthHash;
    if (!context) {
      throw new SmbBenchError(
        ErrorCode.PROTOCOL,
        'SMB 3.1.1 key derivation needs the preauth integrity hash',
      );
    }
    return {
      signingKey: sp800108CounterHmacSha256(sessionKey, SMB311_LABELS.signing, context, 128),
      encryptionKey: hasCipher
        ? sp800108CounterHmacSha256(cipherKi, SMB311_LABELS.clientToServer, context, cipherBits)
        : undefined,
      decryptionKey: hasCipher
        ? sp800108CounterHmacSha256(cipherKi, SMB311_LABELS.serverToClient, context, cipherBits)
        : undefined,
      applicationKey: sp800108CounterHmacSha256(sessionKey, SMB311_LABELS.application, context, 128),
    };
  }

  // 3.0 / 3.0.2 only know AES-128-CCM (MS-SMB2 3.2.5.2), so cipherBits is 128 here.
  const derive = (ki: Buffer, p: { label: Buffer; context: Buffer }, bits: number): Buffer =>
    sp800108CounterHmacSha256(ki, p.label, p.context, bits);
  return {
    signingKey: derive(sessionKey, SMB30.signing, 128),
    encryptionKey: hasCipher ? derive(cipherKi, SMB30.clientToServer, cipherBits) : undefined,
    decryptionKey: hasCipher ? derive(cipherKi, SMB30.serverToClient, cipherBits) : undefined,
    applicationKey: derive(sessionKey, SMB30.application, 128),
  };
}
