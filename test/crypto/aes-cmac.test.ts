import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { AesCmac, aesCmac } from '../../src/crypto/aes-cmac.js';

// RFC 4493 section 4 test vectors.
const KEY = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
const M64 = Buffer.from(
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
    '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  'hex',
);
const VECTORS: readonly [number, string][] = [
  [0, 'bb1d6929e95937287fa37d129b756746'],
  [16, '070a16b46b4d4144f79bdd9dd04a287c'],
  [40, 'dfa66747de9ae63030ca32611497c827'],
  [64, '51f0bebf7e3b9d92fc49741779363cfe'],
];

for (const [len, tag] of VECTORS) {
  test(`RFC 4493 example: Mlen = ${len}`, () => {
    assert.equal(aesCmac(KEY, M64.subarray(0, len)).toString('hex'), tag);
  });
}

test('one AesCmac object gives the same answers in any order (cipher reuse keeps no stale state)', () => {
  const mac = new AesCmac(KEY);
  for (const [len, tag] of [...VECTORS, ...VECTORS.slice().reverse(), ...VECTORS]) {
    assert.equal(mac.mac(M64.subarray(0, len)).toString('hex'), tag);
  }
});

/** Straightforward RFC 4493 over AES-128-ECB, one block at a time: the reference to compare with. */
function referenceCmac(key: Buffer, msg: Buffer): Buffer {
  const aes = (block: Buffer): Buffer => {
    const c = createCipheriv('aes-128-ecb', key, null);
    c.setAutoPadding(false);
    return c.update(block);
  };
  const dbl = (b: Buffer): Buffer => {
    const v = (BigInt('0x' + b.toString('hex')) << 1n) & ((1n << 128n) - 1n);
    const r = b[0]! & 0x80 ? v ^ 0x87n : v;
    return Buffer.from(r.toString(16).padStart(32, '0'), 'hex');
  };
  const k1 = dbl(aes(Buffer.alloc(16)));
  const k2 = dbl(k1);
  const n = Math.max(1, Math.ceil(msg.length / 16));
  const complete = msg.length > 0 && msg.length % 16 === 0;
  let x: Buffer = Buffer.alloc(16);
  for (let i = 0; i < n; i++) {
    const block = Buffer.alloc(16);
    const part = msg.subarray(i * 16, i * 16 + 16);
    block.set(part);
    if (i === n - 1) {
      if (!complete) block[part.length] = 0x80;
      const k = complete ? k1 : k2;
      for (let j = 0; j < 16; j++) block[j]! ^= k[j]!;
    }
    for (let j = 0; j < 16; j++) block[j]! ^= x[j]!;
    x = aes(block);
  }
  return x;
}

test('matches a block-by-block reference on many lengths, including multi-chunk messages', () => {
  const key = randomBytes(16);
  const big = randomBytes(300 * 1024 + 5);
  for (const len of [
    1,
    15,
    17,
    31,
    32,
    33,
    48,
    1000,
    4095,
    4096,
    4097,
    4112,
    4113,
    64 * 1024,
    64 * 1024 + 16,
    200 * 1024 + 7,
    big.length,
  ]) {
    const msg = big.subarray(0, len);
    assert.deepEqual(aesCmac(key, msg), referenceCmac(key, msg), `length ${len}`);
  }
});

test('a Buffer reused for a different key does not hit the stale cache entry', () => {
  const key = Buffer.from(KEY);
  const first = aesCmac(key, M64);
  key[0]! ^= 1;
  assert.notDeepEqual(aesCmac(key, M64), first);
  assert.deepEqual(aesCmac(key, M64), referenceCmac(key, M64));
});

test('rejects keys that are not 16 bytes', () => {
  assert.throws(() => new AesCmac(Buffer.alloc(32)), RangeError);
});
