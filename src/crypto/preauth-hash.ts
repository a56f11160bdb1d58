import { createHash } from 'node:crypto';

/**
 * SMB 3.1.1 pre-authentication integrity (MS-SMB2 3.1.4.2, 3.2.5.2, 3.2.5.3.1): both peers hash every
 * NEGOTIATE and SESSION_SETUP message exchanged so far, and the final value becomes the KDF context,
 * which binds the derived keys to the exact (untampered) negotiation. SHA-512 is the only algorithm
 * defined (SMB2_PREAUTH_INTEGRITY_CAPABILITIES HashAlgorithms, MS-SMB2 2.2.3.1.1).
 */

/** Size of a SHA-512 digest, the PreauthIntegrityHashValue length. */
export const PREAUTH_HASH_SIZE = 64;

/**
 * Connection.PreauthIntegrityHashValue starts as 64 zero bytes (MS-SMB2 3.2.4.2.2.2). Frozen by
 * convention: callers never mutate it, `nextPreauthHash` always returns a new Buffer.
 */
export const PREAUTH_HASH_INITIAL: Buffer = Buffer.alloc(PREAUTH_HASH_SIZE);

/**
 * One step of the chain: SHA-512(previous || message), where `message` is the whole plaintext SMB2
 * message (header included) as sent or received.
 */
export function nextPreauthHash(previous: Buffer, message: Buffer): Buffer {
  return createHash('sha512').update(previous).update(message).digest();
}
