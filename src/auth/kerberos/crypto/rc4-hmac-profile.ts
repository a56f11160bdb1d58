import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { utf16 } from '../../../bytes/utf16.js';
import { md4 } from '../../../crypto/md4.js';
import { rc4 } from '../../../crypto/rc4.js';
import { ChecksumType, EncryptionType, KerberosIntegrityError, type EncryptionProfile } from './etype.js';

/**
 * rc4-hmac (RFC 4757), the etype Windows 2000 introduced and Active Directory still accepts:
 *   key       = MD4(UTF-16LE(password)), the NT hash; no salt (RFC 4757 2)
 *   K1        = HMAC-MD5(key, usage as 4 little-endian bytes), K2 = K1 (non-export)
 *   checksum  = HMAC-MD5(K2, confounder || plaintext)
 *   K3        = HMAC-MD5(K1, checksum)
 *   output    = checksum || RC4(K3, confounder || plaintext)   (8-byte confounder)
 */

const CONFOUNDER_SIZE = 8;
const CHECKSUM_SIZE = 16;
const KEY_SIZE = 16;
const SIGNATURE_KEY_CONSTANT = Buffer.from('signaturekey\0', 'latin1');

function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

function le32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/**
 * RFC 4757 3 (and MIT's arcfour usage table): Microsoft uses 8 for both the AS-REP and TGS-REP
 * encrypted parts, and 13 where RFC 4121 says 23; every other usage is sent unchanged.
 */
export function rc4Usage(usage: number): number {
  switch (usage) {
    case 3:
    case 9:
      return 8;
    case 23:
      return 13;
    default:
      return usage;
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_SIZE) throw new RangeError(`RC4-HMAC key must be 16 bytes, got ${key.length}`);
}

export const rc4Hmac: EncryptionProfile = {
  etype: EncryptionType.RC4_HMAC,
  keySize: KEY_SIZE,
  checksumType: ChecksumType.HMAC_MD5,
  checksumSize: CHECKSUM_SIZE,
  // The NT hash takes microseconds; async only to honour the profile contract.
  stringToKey: (password) => Promise.resolve(md4(utf16(password))),
  encrypt(key, usage, plain, confounder = randomBytes(CONFOUNDER_SIZE)): Buffer {
    checkKey(key);
    if (confounder.length !== CONFOUNDER_SIZE) throw new RangeError('RC4-HMAC confounder must be 8 bytes');
    const k1 = hmacMd5(key, le32(rc4Usage(usage)));
    const data = Buffer.concat([confounder, plain]);
    const checksum = hmacMd5(k1, data);
    const k3 = hmacMd5(k1, checksum);
    return Buffer.concat([checksum, rc4(k3, data)]);
  },
  decrypt(key, usage, cipher): Buffer {
    checkKey(key);
    if (cipher.length < CHECKSUM_SIZE + CONFOUNDER_SIZE) {
      throw new KerberosIntegrityError(`RC4-HMAC ciphertext of ${cipher.length} bytes is too short`);
    }
    const k1 = hmacMd5(key, le32(rc4Usage(usage)));
    const checksum = cipher.subarray(0, CHECKSUM_SIZE);
    const k3 = hmacMd5(k1, checksum);
    const data = rc4(k3, cipher.subarray(CHECKSUM_SIZE));
    if (!timingSafeEqual(hmacMd5(k1, data), checksum)) {
      throw new KerberosIntegrityError(`integrity check failed (key usage ${usage})`);
    }
    return data.subarray(CONFOUNDER_SIZE);
  },
  /** KERB_CHECKSUM_HMAC_MD5 (RFC 4757 4): HMAC-MD5(Ksign, MD5(usage || data)). */
  checksum(key, usage, data): Buffer {
    checkKey(key);
    const ksign = hmacMd5(key, SIGNATURE_KEY_CONSTANT);
    const inner = createHash('md5')
      .update(le32(rc4Usage(usage)))
      .update(data)
      .digest();
    return hmacMd5(ksign, inner);
  },
  randomKey: () => randomBytes(KEY_SIZE),
};
