/**
 * MD4 message digest (RFC 1320). NTLM needs it for the NT one-way function (MS-NLMP 3.3.1:
 * NTOWFv1 = MD4(UNICODE(Password))), but OpenSSL 3 moved MD4 to the legacy provider, so Node's
 * `crypto.createHash('md4')` is not reliably available. Passwords are short, so a plain
 * implementation is plenty fast.
 */

const BLOCK_SIZE = 64;

/** RFC 1320 3.3: the initial chaining words A, B, C, D. */
const INITIAL_STATE = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476] as const;

type RoundFunction = (x: number, y: number, z: number) => number;

/** RFC 1320 3.4 auxiliary functions F (conditional), G (majority) and H (parity). */
const F: RoundFunction = (x, y, z) => (x & y) | (~x & z);
const G: RoundFunction = (x, y, z) => (x & y) | (x & z) | (y & z);
const H: RoundFunction = (x, y, z) => x ^ y ^ z;

interface Round {
  readonly fn: RoundFunction;
  /** Additive constant: 0, then sqrt(2) and sqrt(3) scaled to 32 bits (RFC 1320 3.4). */
  readonly constant: number;
  /** The shift amount of each of the four operations that repeat through the round. */
  readonly shifts: readonly [number, number, number, number];
  /** Which message word each of the 16 operations reads. */
  readonly order: readonly number[];
}

const ROUNDS: readonly Round[] = [
  {
    fn: F,
    constant: 0,
    shifts: [3, 7, 11, 19],
    order: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  },
  {
    fn: G,
    constant: 0x5a827999,
    shifts: [3, 5, 9, 13],
    order: [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
  },
  {
    fn: H,
    constant: 0x6ed9eba1,
    shifts: [3, 9, 11, 15],
    order: [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
  },
];

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** RFC 1320 3.1/3.2: append 0x80, zeros up to 56 mod 64, then the bit length as 64-bit LE. */
function pad(data: Uint8Array): Buffer {
  const paddedLength = (Math.floor((data.length + 8) / BLOCK_SIZE) + 1) * BLOCK_SIZE;
  const out = Buffer.alloc(paddedLength);
  out.set(data);
  out[data.length] = 0x80;
  out.writeBigUInt64LE(BigInt(data.length) * 8n, paddedLength - 8);
  return out;
}

/** Computes the 16-byte MD4 digest of `data`. */
export function md4(data: Uint8Array): Buffer {
  const msg = pad(data);
  const state = [...INITIAL_STATE] as number[];
  const x = new Array<number>(16).fill(0);
  for (let off = 0; off < msg.length; off += BLOCK_SIZE) {
    for (let j = 0; j < 16; j++) x[j] = msg.readInt32LE(off + j * 4);
    const saved = state.slice();
    for (const round of ROUNDS) {
      for (let i = 0; i < 16; i++) {
        // The operations rotate which word is the target: [abcd], [dabc], [cdab], [bcda] (RFC 1320 3.4).
        const a = (4 - (i & 3)) & 3;
        const b = (a + 1) & 3;
        const c = (a + 2) & 3;
        const d = (a + 3) & 3;
        const sum =
          state[a]! + round.fn(state[b]!, state[c]!, state[d]!) + x[round.order[i]!]! + round.constant;
        state[a] = rotl(sum | 0, round.shifts[i & 3]!);
      }
    }
    for (let j = 0; j < 4; j++) state[j] = (state[j]! + saved[j]!) | 0;
  }
  const out = Buffer.alloc(16);
  for (let j = 0; j < 4; j++) out.writeInt32LE(state[j]!, j * 4);
  return out;
}
