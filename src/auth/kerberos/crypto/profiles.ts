import { aes128CtsHmacSha1, aes256CtsHmacSha1 } from './aes-profile.js';
import { etypeName, type EncryptionProfile } from './etype.js';
import { rc4Hmac } from './rc4-hmac-profile.js';

const PROFILES: ReadonlyMap<number, EncryptionProfile> = new Map(
  [aes256CtsHmacSha1, aes128CtsHmacSha1, rc4Hmac].map((p) => [p.etype, p]),
);

/** The profile of a supported etype, or undefined (e.g. DES, which AD disables). */
export function findProfile(etype: number): EncryptionProfile | undefined {
  return PROFILES.get(etype);
}

/** The profile of an etype the peer used; throws a RangeError naming it if unsupported. */
export function profileFor(etype: number): EncryptionProfile {
  const p = PROFILES.get(etype);
  if (!p) throw new RangeError(`unsupported Kerberos encryption type ${etypeName(etype)}`);
  return p;
}
