import { nFold } from './n-fold.js';
import { AES_BLOCK_SIZE, aesCtsEncrypt } from './aes-cts.js';

/**
 * Key derivation of the simplified profile (RFC 3961 5.1, 5.3) for AES (RFC 3962):
 *   DR(Key, Constant) = k-truncate(E(Key, n-fold(Constant)) || E(Key, previous block) || ...)
 *   DK(Key, Constant) = random-to-key(DR(Key, Constant)); random-to-key is the identity for AES.
 * Per-usage keys (5.3): Kc = DK(base, usage | 0x99), Ke = DK(base, usage | 0xAA),
 * Ki = DK(base, usage | 0x55), with the usage as 4 big-endian bytes.
 */

/** The well-known constant octets that select the key's role (RFC 3961 5.3). */
export const DerivedKeyRole = {
  CHECKSUM: 0x99,
  ENCRYPTION: 0xaa,
  INTEGRITY: 0x55,
} as const;
export type DerivedKeyRole = (typeof DerivedKeyRole)[keyof typeof DerivedKeyRole];

/** DR (RFC 3961 5.1): encrypt the folded constant, then keep encrypting the output block. */
export function deriveRandom(key: Buffer, constant: Uint8Array): Buffer {
  const out = Buffer.alloc(key.length);
  // One block with a zero IV is exactly what the CTS cipher does to a single block; n-fold of a
  // block-sized constant is the identity, so it is always applied.
  let block = aesCtsEncrypt(key, nFold(constant, AES_BLOCK_SIZE));
  let filled = 0;
  for (;;) {
    filled += block.copy(out, filled, 0, Math.min(AES_BLOCK_SIZE, out.length - filled));
    if (filled >= out.length) return out;
    block = aesCtsEncrypt(key, block);
  }
}

/** DK (RFC 3961 5.1) for AES, whose random-to-key is the identity (RFC 3962 6). */
export function deriveKey(key: Buffer, constant: Uint8Array): Buffer {
  return deriveRandom(key, constant);
}

/** The 5-byte constant usage || role that selects Kc, Ke or Ki (RFC 3961 5.3). */
export function usageConstant(usage: number, role: DerivedKeyRole): Buffer {
  const c = Buffer.alloc(5);
  c.writeUInt32BE(usage >>> 0, 0);
  c[4] = role;
  return c;
}

/** DK(base, usage | role). */
export function deriveUsageKey(key: Buffer, usage: number, role: DerivedKeyRole): Buffer {
  return deriveKey(key, usageConstant(usage, role));
}
