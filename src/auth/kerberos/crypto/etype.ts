/**
 * Kerberos encryption and checksum types (RFC 3961 8, RFC 3962 7, RFC 4757) and the contract every
 * encryption profile implements. smbench speaks the three types Active Directory and Samba issue:
 * AES256/AES128-CTS-HMAC-SHA1-96 and RC4-HMAC.
 */

/** RFC 3961 8 / RFC 3962 7 / RFC 4757 etype numbers. */
export const EncryptionType = {
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  RC4_HMAC: 23,
} as const;
export type EncryptionType = (typeof EncryptionType)[keyof typeof EncryptionType];

/** Checksum types (RFC 3962 7, RFC 4757 4, RFC 4121 4.1.1). */
export const ChecksumType = {
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  /** KERB_CHECKSUM_HMAC_MD5, the checksum of RC4-HMAC keys (RFC 4757 4). */
  HMAC_MD5: -138,
  /** The GSS-API authenticator checksum, which carries flags rather than a hash (RFC 4121 4.1.1). */
  GSSAPI: 0x8003,
} as const;
export type ChecksumType = (typeof ChecksumType)[keyof typeof ChecksumType];

/** Preference order offered to the KDC: strongest first, as Windows clients do. */
export const DEFAULT_ETYPES: readonly EncryptionType[] = [
  EncryptionType.AES256_CTS_HMAC_SHA1_96,
  EncryptionType.AES128_CTS_HMAC_SHA1_96,
  EncryptionType.RC4_HMAC,
];

export function isSupportedEtype(n: number): n is EncryptionType {
  return n === 17 || n === 18 || n === 23;
}

/** The name RFC 3961 8 gives an etype, for messages. */
export function etypeName(n: number): string {
  switch (n) {
    case EncryptionType.AES128_CTS_HMAC_SHA1_96:
      return 'aes128-cts-hmac-sha1-96';
    case EncryptionType.AES256_CTS_HMAC_SHA1_96:
      return 'aes256-cts-hmac-sha1-96';
    case EncryptionType.RC4_HMAC:
      return 'rc4-hmac';
    default:
      return `etype ${n}`;
  }
}

/** A protocol key: its type and raw bytes (EncryptionKey, RFC 4120 5.2.9). */
export interface KerberosKey {
  readonly etype: EncryptionType;
  readonly value: Buffer;
}

/**
 * The operations RFC 3961 3 requires of an encryption profile, with keys as raw bytes. Usage
 * numbers are RFC 4120 7.5.1 (see key-usage.ts); profiles translate them as their RFC says.
 */
export interface EncryptionProfile {
  readonly etype: EncryptionType;
  readonly keySize: number;
  readonly checksumType: ChecksumType;
  /** Bytes of the checksum `checksum()` returns. */
  readonly checksumSize: number;
  /** string-to-key; `params` is PA-ETYPE-INFO2 s2kparams (RFC 4120 5.2.7.5) when the KDC sent any. */
  stringToKey(password: string, salt: string, params?: Buffer): Promise<Buffer>;
  /** Encrypts with a fresh confounder (or `confounder`, for known-answer tests). */
  encrypt(key: Buffer, usage: number, plain: Buffer, confounder?: Buffer): Buffer;
  /** Decrypts and verifies integrity; throws KerberosIntegrityError on a bad key or tampering. */
  decrypt(key: Buffer, usage: number, cipher: Buffer): Buffer;
  /** The keyed checksum of this etype (RFC 3961 4 get_mic). */
  checksum(key: Buffer, usage: number, data: Buffer): Buffer;
  /** A fresh random key (e.g. an authenticator subkey). */
  randomKey(): Buffer;
}

/** Decryption failed its integrity check: wrong key (password) or modified ciphertext. */
export class KerberosIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KerberosIntegrityError';
  }
}
