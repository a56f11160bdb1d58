import { createHmac } from 'node:crypto';

/**
 * NIST SP 800-108 KDF in counter mode with HMAC-SHA256 as the PRF, as MS-SMB2 3.1.4.2 uses it to
 * derive SMB 3.x signing, encryption and application keys:
 *
 *   K(i) = HMAC-SHA256(Ki, [i]_32 || Label || 0x00 || Context || [L]_32)
 *
 * with r = 32 (the counter is a 32-bit big-endian integer starting at 1) and L the output length in
 * bits, also big-endian. MS-SMB2 only asks for L = 128 or L = 256, i.e. a single PRF block, but the
 * loop keeps the function a faithful SP 800-108 implementation for any L that is a multiple of 8.
 *
 * Note the labels MS-SMB2 gives ("SMB2AESCMAC\0", "SMBSigningKey\0", ...) already end in a NUL, and
 * SP 800-108 adds its own 0x00 separator after the label: both bytes are on the wire.
 */
export function sp800108CounterHmacSha256(
  ki: Buffer,
  label: Buffer,
  context: Buffer,
  lengthBits: number,
): Buffer {
  if (lengthBits <= 0 || lengthBits % 8 !== 0)
    throw new RangeError(`KDF output length must be whole bytes, got ${lengthBits}`);
  const outLen = lengthBits / 8;
  const counter = Buffer.alloc(4);
  const separator = Buffer.alloc(1);
  const l = Buffer.alloc(4);
  l.writeUInt32BE(lengthBits);
  const out = Buffer.alloc(outLen);
  for (let i = 1, filled = 0; filled < outLen; i++) {
    counter.writeUInt32BE(i);
    const block = createHmac('sha256', ki)
      .update(counter)
      .update(label)
      .update(separator)
      .update(context)
      .update(l)
      .digest();
    filled += block.copy(out, filled);
  }
  return out;
}

/** Encodes an ASCII KDF label or context the way MS-SMB2 writes them, with the trailing NUL included. */
export function kdfString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'latin1');
}
