import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AES_BLOCK_SIZE, aesCtsDecrypt, aesCtsEncrypt } from './aes-cts.js';
import { aesStringToKey } from './aes-string-to-key.js';
import { DerivedKeyRole, deriveUsageKey } from './derive-key.js';
import { ChecksumType, EncryptionType, KerberosIntegrityError, type EncryptionProfile } from './etype.js';

/**
 * aes128-cts-hmac-sha1-96 and aes256-cts-hmac-sha1-96 (RFC 3962), built on the simplified profile
 * of RFC 3961 5.3:
 *   encrypt: C = AES-CTS(Ke, confounder || plaintext), H = HMAC-SHA1(Ki, confounder || plaintext)
 *            truncated to 96 bits; the ciphertext is C || H.
 *   checksum: HMAC-SHA1(Kc, data) truncated to 96 bits.
 * Each operation derives its usage keys (two or three AES block encryptions), which is cheap next
 * to a network round trip, so nothing is cached here.
 */

const HMAC_SIZE = 12;

function hmacSha1_96(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha1', key);
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, HMAC_SIZE);
}

function checkKey(key: Buffer, size: number): void {
  if (key.length !== size) throw new RangeError(`AES key must be ${size} bytes, got ${key.length}`);
}

function aesProfile(etype: EncryptionType, keySize: number, checksumType: ChecksumType): EncryptionProfile {
  return {
    etype,
    keySize,
    checksumType,
    checksumSize: HMAC_SIZE,
    stringToKey: (password, salt, params) => aesStringToKey(password, salt, keySize, params),
    encrypt(key, usage, plain, confounder = randomBytes(AES_BLOCK_SIZE)): Buffer {
      checkKey(key, keySize);
      if (confounder.length !== AES_BLOCK_SIZE) throw new RangeError('AES confounder must be one block');
      const ke = deriveUsageKey(key, usage, DerivedKeyRole.ENCRYPTION);
      const ki = deriveUsageKey(key, usage, DerivedKeyRole.INTEGRITY);
      const data = Buffer.concat([confounder, plain]);
      return Buffer.concat([aesCtsEncrypt(ke, data), hmacSha1_96(ki, data)]);
    },
    decrypt(key, usage, cipher): Buffer {
      checkKey(key, keySize);
      if (cipher.length < AES_BLOCK_SIZE + HMAC_SIZE) {
        throw new KerberosIntegrityError(`AES ciphertext of ${cipher.length} bytes is too short`);
      }
      const ke = deriveUsageKey(key, usage, DerivedKeyRole.ENCRYPTION);
      const ki = deriveUsageKey(key, usage, DerivedKeyRole.INTEGRITY);
      const body = cipher.subarray(0, cipher.length - HMAC_SIZE);
      const mac = cipher.subarray(cipher.length - HMAC_SIZE);
      const data = aesCtsDecrypt(ke, body);
      if (!timingSafeEqual(hmacSha1_96(ki, data), mac)) {
        throw new KerberosIntegrityError(`integrity check failed (key usage ${usage})`);
      }
      return data.subarray(AES_BLOCK_SIZE);
    },
    checksum(key, usage, data): Buffer {
      checkKey(key, keySize);
      return hmacSha1_96(deriveUsageKey(key, usage, DerivedKeyRole.CHECKSUM), data);
    },
    randomKey: () => randomBytes(keySize),
  };
}

export const aes128CtsHmacSha1 = aesProfile(
  EncryptionType.AES128_CTS_HMAC_SHA1_96,
  16,
  ChecksumType.HMAC_SHA1_96_AES128,
);

export const aes256CtsHmacSha1 = aesProfile(
  EncryptionType.AES256_CTS_HMAC_SHA1_96,
  32,
  ChecksumType.HMAC_SHA1_96_AES256,
);
