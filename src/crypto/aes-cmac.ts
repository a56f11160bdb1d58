import { createCipheriv } from 'node:crypto';
import type { Cipher } from 'node:crypto';

/**
 * AES-128-CMAC (RFC 4493), the SMB 3.0/3.0.2 signing MAC and the 3.1.1 default (MS-SMB2 3.1.4.1).
 * Node has no CMAC primitive, so this runs CBC-MAC over node:crypto's AES-128-CBC and applies the
 * RFC 4493 subkey tweak to the last block.
 *
 * Signing sits on the hot path of every request and response, so each key keeps ONE long-lived
 * CBC cipher object instead of creating one per message. CBC's only state is the previous
 * ciphertext block C, and the cipher computes AES(C xor input); feeding `M1 xor C` as the first
 * block therefore yields AES(M1), i.e. a fresh CBC-MAC with a zero IV, without resetting the cipher.
 * We never call `final()`, so the cipher stays usable forever.
 */

const BLOCK = 16;
/** R_128 from RFC 4493 section 2.3: the constant folded in when doubling in GF(2^128). */
const CONST_RB = 0x87;
/** Feed big messages in slices so one MAC never allocates an output buffer as large as the message. */
const CHUNK = 64 * 1024;
/** Up to this size a message is MACed with a single cipher call over a scratch copy. */
const SMALL_MESSAGE = 4096;
/**
 * Scratch space shared by all instances: `mac` is synchronous and never re-entered, and one buffer
 * per process beats 4 KiB per session when a load test holds thousands of sessions.
 */
const scratch = Buffer.alloc(SMALL_MESSAGE + BLOCK);
const lastBlock = Buffer.alloc(BLOCK);

export const AES_CMAC_SIZE = BLOCK;

export class AesCmac {
  private readonly cipher: Cipher;
  /** The CBC chaining value the cipher currently holds (its last output block). */
  private chain: Buffer = Buffer.alloc(BLOCK);
  private readonly k1: Buffer;
  private readonly k2: Buffer;

  constructor(readonly key: Buffer) {
    if (key.length !== 16) throw new RangeError(`AES-128-CMAC needs a 16-byte key, got ${key.length}`);
    this.cipher = createCipheriv('aes-128-cbc', key, Buffer.alloc(BLOCK));
    this.cipher.setAutoPadding(false);
    // RFC 4493 2.3 Generate_Subkey: L = AES-128(K, 0^128); K1 = dbl(L); K2 = dbl(K1).
    const l = this.encryptBlocks(Buffer.alloc(BLOCK));
    this.k1 = double(l);
    this.k2 = double(this.k1);
  }

  /** Returns the 16-byte tag of `msg` (RFC 4493 2.4 AES-CMAC with Tlen = 128). */
  mac(msg: Uint8Array): Buffer {
    const n = msg.length;
    const blocks = n === 0 ? 1 : Math.ceil(n / BLOCK);
    const lastStart = (blocks - 1) * BLOCK;
    const last = lastBlock;
    if (n > 0 && n % BLOCK === 0) {
      // Complete final block: M_last = M_n xor K1.
      xorInto(last, msg.subarray(lastStart), this.k1);
    } else {
      // Incomplete (or empty) final block: M_last = padding(M_n) xor K2, padding = 10^i.
      last.fill(0);
      last.set(msg.subarray(lastStart));
      last[n - lastStart] = 0x80;
      xorInto(last, last, this.k2);
    }
    if (n <= SMALL_MESSAGE) {
      // Typical signed messages are a few hundred bytes: one copy and one native call beat three.
      const len = lastStart + BLOCK;
      const buf = scratch.subarray(0, len);
      buf.set(msg.subarray(0, lastStart));
      buf.set(last, lastStart);
      xorInto(buf, buf, this.chain);
      return this.encryptBlocks(buf);
    }
    const first = Buffer.allocUnsafe(BLOCK);
    xorInto(first, msg.subarray(0, BLOCK), this.chain);
    this.encryptBlocks(first);
    for (let off = BLOCK; off < lastStart; off += CHUNK) {
      this.encryptBlocks(msg.subarray(off, Math.min(off + CHUNK, lastStart)));
    }
    return this.encryptBlocks(last);
  }

  /** Runs whole blocks through the CBC cipher and returns (a copy of) the new chaining value. */
  private encryptBlocks(data: Uint8Array): Buffer {
    const out = this.cipher.update(data);
    this.chain = Buffer.from(out.subarray(out.length - BLOCK));
    return this.chain;
  }
}

/**
 * Per-key cache so callers can pass a raw key Buffer each time. Keyed by Buffer identity (a
 * session's signing key lives as long as the session), and re-checked by content in case a caller
 * reuses a Buffer for a different key.
 */
const cache = new WeakMap<Buffer, AesCmac>();

/** AES-128-CMAC of `msg` under `key`; reuses the key's cipher object across calls. */
export function aesCmac(key: Buffer, msg: Uint8Array): Buffer {
  let mac = cache.get(key);
  if (!mac || !mac.key.equals(key)) {
    mac = new AesCmac(Buffer.from(key));
    cache.set(key, mac);
  }
  return mac.mac(msg);
}

/** Multiplication by x in GF(2^128): shift left one bit, folding in Rb when the top bit falls off. */
function double(block: Buffer): Buffer {
  const out = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const next = i + 1 < BLOCK ? block[i + 1]! : 0;
    out[i] = ((block[i]! << 1) | (next >> 7)) & 0xff;
  }
  if (block[0]! & 0x80) out[BLOCK - 1] = out[BLOCK - 1]! ^ CONST_RB;
  return out;
}

/** out[i] = a[i] xor b[i] for i < 16; `out` may alias `a`. `a` shorter than 16 reads as zeros. */
function xorInto(out: Uint8Array, a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < BLOCK; i++) out[i] = (a[i] ?? 0) ^ b[i]!;
}
