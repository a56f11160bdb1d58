import type { SigningAlgorithm } from '../crypto/signing.js';

/**
 * What a connection needs to know about an authenticated session to sign, verify, encrypt and
 * decrypt its messages (MS-SMB2 3.2.1.3 Session.SigningKey, EncryptionKey, DecryptionKey,
 * SigningRequired, EncryptData). The Session object owns it; the connection looks it up by SessionId
 * for inbound messages.
 */
export interface SessionSecurity {
  readonly sessionId: bigint;
  signingKey: Buffer | undefined;
  signingAlgorithm: SigningAlgorithm;
  encryptionKey: Buffer | undefined;
  decryptionKey: Buffer | undefined;
  /** Sign every request not sent encrypted (MS-SMB2 3.2.4.1.1). */
  signingRequired: boolean;
  /** Encrypt every request of this session (SMB2_SESSION_FLAG_ENCRYPT_DATA, MS-SMB2 3.2.5.3.1). */
  encryptData: boolean;
}
