/**
 * n-fold (RFC 3961 5.1): stretches or shrinks a constant to a cipher's block size so that key
 * derivation (DR/DK) can encrypt it. The input is repeated, each copy rotated 13 bits further
 * right, until the total length is the least common multiple of the input and output lengths;
 * the output-sized chunks are then added with one's-complement (end-around carry) addition.
 *
 * Only key-derivation constants (a handful of bytes) are ever folded, and the results are cached
 * by the callers, so this favours a literal reading of the RFC over speed.
 */

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Rotates a `bits`-bit unsigned integer right by `by` bits. */
function rotateRight(n: bigint, bits: number, by: number): bigint {
  const shift = BigInt(by % bits);
  if (shift === 0n) return n;
  const mask = (1n << BigInt(bits)) - 1n;
  return ((n >> shift) | (n << (BigInt(bits) - shift))) & mask;
}

/** n-fold(input) to `outBytes` bytes (RFC 3961 5.1; test vectors in appendix A.1). */
export function nFold(input: Uint8Array, outBytes: number): Buffer {
  if (input.length === 0) throw new RangeError('n-fold of an empty string');
  if (!Number.isInteger(outBytes) || outBytes <= 0) throw new RangeError(`bad n-fold size ${outBytes}`);
  const inBits = input.length * 8;
  const outBits = outBytes * 8;
  const lcmBytes = (input.length * outBytes) / gcd(input.length, outBytes);
  const copies = lcmBytes / input.length;
  const value = toBigInt(input);

  // Concatenate the copies: copy k is the input rotated right by 13 * k bits.
  let stream = 0n;
  for (let k = 0; k < copies; k++) stream = (stream << BigInt(inBits)) | rotateRight(value, inBits, 13 * k);

  // One's-complement sum of the outBits-sized chunks: add, then fold any carry back in.
  const mask = (1n << BigInt(outBits)) - 1n;
  let sum = 0n;
  for (let i = 0; i < lcmBytes / outBytes; i++) {
    sum += (stream >> BigInt(i * outBits)) & mask;
    while (sum > mask) sum = (sum & mask) + (sum >> BigInt(outBits));
  }

  const out = Buffer.alloc(outBytes);
  for (let i = outBytes - 1; i >= 0; i--) {
    out[i] = Number(sum & 0xffn);
    sum >>= 8n;
  }
  return out;
}
