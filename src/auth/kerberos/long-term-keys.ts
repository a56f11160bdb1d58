import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import type { EtypeInfo2Entry } from './asn1/pa-data.js';
import { EncryptionType, etypeName } from './crypto/etype.js';
import { findProfile } from './crypto/profiles.js';

/**
 * A principal's long-term keys, derived from its password on demand and remembered, so thousands
 * of users pay for PBKDF2 (RFC 3962 4) once each rather than at every login. The etype and salt
 * the KDC prefers (learned from PA-ETYPE-INFO2, RFC 4120 5.2.7.5) are remembered too, which lets
 * every AS exchange after the first go straight to pre-authentication.
 */

export interface PrincipalSecret {
  readonly password?: string;
  /** RC4-HMAC's key is the NT hash; with only a hash, only rc4-hmac can be used (RFC 4757 2). */
  readonly ntHash?: Buffer;
}

/** RFC 4120 4: the default salt is the realm followed by the name components, without separators. */
export function defaultSalt(realm: string, nameComponents: readonly string[]): string {
  return realm + nameComponents.join('');
}

export class LongTermKeys {
  /** The etype/salt/s2kparams the KDC told us to use, if it has. */
  preferred: EtypeInfo2Entry | undefined;
  private readonly derived = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly secret: PrincipalSecret,
    private readonly fallbackSalt: string,
    private readonly principal: string,
  ) {
    if (secret.password === undefined && secret.ntHash === undefined) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `Kerberos credentials for ${principal} need a password or NT hash`,
      );
    }
    if (secret.ntHash !== undefined && secret.ntHash.length !== 16) {
      throw new SmbBenchError(ErrorCode.USAGE, `NT hash for ${principal} must be 16 bytes`);
    }
  }

  /** Whether a key of this etype can be produced at all from what we were given. */
  canUse(etype: number): boolean {
    if (!findProfile(etype)) return false;
    return this.secret.password !== undefined || etype === EncryptionType.RC4_HMAC;
  }

  /** The key for `etype` with the given (or default) salt; concurrent callers share one derivation. */
  get(etype: number, salt?: string, s2kparams?: Buffer): Promise<Buffer> {
    const profile = findProfile(etype);
    if (!profile || !this.canUse(etype)) {
      return Promise.reject(
        new SmbBenchError(ErrorCode.AUTH, `cannot make a ${etypeName(etype)} key for ${this.principal}`),
      );
    }
    const useSalt = salt ?? this.fallbackSalt;
    const id = `${etype}\0${useSalt}\0${s2kparams?.toString('hex') ?? ''}`;
    let key = this.derived.get(id);
    if (!key) {
      key =
        etype === EncryptionType.RC4_HMAC && this.secret.ntHash
          ? Promise.resolve(this.secret.ntHash)
          : profile.stringToKey(this.secret.password!, useSalt, s2kparams);
      // A failed derivation (bad s2kparams) must not poison the cache.
      key.catch(() => this.derived.delete(id));
      this.derived.set(id, key);
    }
    return key;
  }

  /** The salt and parameters to use for `etype`: the KDC's if it sent them for that etype. */
  infoFor(etype: number, fromReply?: readonly EtypeInfo2Entry[]): EtypeInfo2Entry {
    const match = fromReply?.find((e) => e.etype === etype);
    if (match) return match;
    if (this.preferred?.etype === etype) return this.preferred;
    return { etype };
  }
}
