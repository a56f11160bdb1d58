import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES in CBC mode with ciphertext stealing, as RFC 3962 2 defines it for Kerberos (the "CS3"
 * variant: the last two ciphertext blocks are always swapped, so no length padding is ever sent).
 * Kerberos always starts from a zero IV (RFC 3962 6, cipher state); Node's OpenSSL does the block
 * work and only the stealing step is done here.
 */

export const AES_BLOCK_SIZE = 16;

const ZERO_IV = Buffer.alloc(AES_BLOCK_SIZE);

function cipherName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES key of ${key.length} bytes`);
  return `aes-${key.length * 8}-${mode}`;
}

function cbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv(cipherName(key, 'cbc'), key, iv).setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

function cbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv(cipherName(key, 'cbc'), key, iv).setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

function ecbDecryptBlock(key: Uint8Array, block: Uint8Array): Buffer {
  const d = createDecipheriv(cipherName(key, 'ecb'), key, null).setAutoPadding(false);
  return Buffer.concat([d.update(block), d.final()]);
}

/** Encrypts `plain` (at least one block) with AES-CTS; the output has the same length. */
export function aesCtsEncrypt(key: Uint8Array, plain: Uint8Array, iv: Uint8Array = ZERO_IV): Buffer {
  const n = plain.length;
  if (n < AES_BLOCK_SIZE) throw new RangeError(`AES-CTS needs at least one block, got ${n} bytes`);
  const blocks = Math.ceil(n / AES_BLOCK_SIZE);
  const padded = Buffer.alloc(blocks * AES_BLOCK_SIZE);
  padded.set(plain);
  const cbc = cbcEncrypt(key, iv, padded);
  if (blocks === 1) return cbc;
  // Swap the last two blocks and cut the (now last) penultimate block to the tail's length.
  const tail = n - (blocks - 1) * AES_BLOCK_SIZE;
  const lastStart = (blocks - 1) * AES_BLOCK_SIZE;
  const penultimateStart = lastStart - AES_BLOCK_SIZE;
  return Buffer.concat([
    cbc.subarray(0, penultimateStart),
    cbc.subarray(lastStart),
    cbc.subarray(penultimateStart, penultimateStart + tail),
  ]);
}

/** Decrypts AES-CTS ciphertext (at least one block); the inverse of `aesCtsEncrypt`. */
export function aesCtsDecrypt(key: Uint8Array, cipher: Uint8Array, iv: Uint8Array = ZERO_IV): Buffer {
  const n = cipher.length;
  if (n < AES_BLOCK_SIZE) throw new RangeError(`AES-CTS needs at least one block, got ${n} bytes`);
  const blocks = Math.ceil(n / AES_BLOCK_SIZE);
  if (blocks === 1) return cbcDecrypt(key, iv, cipher);
  const tail = n - (blocks - 1) * AES_BLOCK_SIZE;
  const swappedStart = (blocks - 2) * AES_BLOCK_SIZE;
  const head = cipher.subarray(0, swappedStart);
  // The full block sent second to last is E(P_last padded XOR C_{n-1}); decrypting it yields the
  // last plaintext (XOR the stolen tail) and the bytes of C_{n-1} that were not transmitted.
  const lastCipherBlock = cipher.subarray(swappedStart, swappedStart + AES_BLOCK_SIZE);
  const stolen = cipher.subarray(swappedStart + AES_BLOCK_SIZE);
  const d = ecbDecryptBlock(key, lastCipherBlock);
  const lastPlain = Buffer.alloc(tail);
  for (let i = 0; i < tail; i++) lastPlain[i] = d[i]! ^ stolen[i]!;
  const penultimateCipher = Buffer.concat([stolen, d.subarray(tail)]);
  const front = cbcDecrypt(key, iv, Buffer.concat([head, penultimateCipher]));
  return Buffer.concat([front, lastPlain]);
}
