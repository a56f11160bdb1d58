import { pbkdf2 } from 'node:crypto';
import { deriveKey } from './derive-key.js';

/**
 * AES string-to-key (RFC 3962 4):
 *   tkey = random-to-key(PBKDF2-HMAC-SHA1(passphrase, salt, iteration count, key length))
 *   key  = DK(tkey, "kerberos")
 * PBKDF2 with 4096 iterations costs milliseconds of CPU, so it runs on libuv's thread pool
 * (crypto.pbkdf2, not pbkdf2Sync) and callers cache the result per user.
 */

/** RFC 3962 4: the default iteration count when the KDC sends no s2kparams. */
export const AES_DEFAULT_ITERATIONS = 4096;

/** Guards against a hostile KDC asking for a CPU-burning iteration count. */
const MAX_ITERATIONS = 1 << 24;

const KERBEROS_CONSTANT = Buffer.from('kerberos', 'latin1');

/** s2kparams for AES is the iteration count as 4 big-endian bytes (RFC 3962 4). */
export function aesIterations(params: Buffer | undefined): number {
  if (!params || params.length === 0) return AES_DEFAULT_ITERATIONS;
  if (params.length !== 4) throw new RangeError(`AES s2kparams must be 4 bytes, got ${params.length}`);
  const n = params.readUInt32BE(0);
  // RFC 3962 4: a count of 0 means 2^32, which no KDC sends and nobody can wait for.
  if (n === 0 || n > MAX_ITERATIONS) throw new RangeError(`AES s2kparams iteration count ${n} refused`);
  return n;
}

function pbkdf2Async(password: Buffer, salt: Buffer, iterations: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, 'sha1', (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Derives an AES key of `keySize` bytes (16 or 32) from a password and salt. */
export async function aesStringToKey(
  password: string,
  salt: string,
  keySize: number,
  params?: Buffer,
): Promise<Buffer> {
  // RFC 3962 4 and MIT/Windows practice: the password and salt are UTF-8 octet strings.
  const tkey = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    Buffer.from(salt, 'utf8'),
    aesIterations(params),
    keySize,
  );
  return deriveKey(tkey, KERBEROS_CONSTANT);
}
