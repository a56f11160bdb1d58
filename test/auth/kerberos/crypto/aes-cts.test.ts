import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aesCtsDecrypt, aesCtsEncrypt } from '../../../../src/auth/kerberos/crypto/aes-cts.js';

/** RFC 3962 appendix B: AES-128 "chicken teriyaki", zero IV. */
const KEY = Buffer.from('636869636b656e207465726979616b69', 'hex');
const PLAIN = Buffer.from("I would like the General Gau's Chicken, please, and wonton soup.", 'latin1');

const VECTORS: readonly [number, string][] = [
  [17, 'c6353568f2bf8cb4d8a580362da7ff7f97'],
  [31, 'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5'],
  [32, '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584'],
  [47, '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5'],
  [48, '97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8'],
  [
    64,
    '97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8',
  ],
];

for (const [length, expected] of VECTORS) {
  test(`AES-CTS RFC 3962 vector, ${length} bytes`, () => {
    const plain = PLAIN.subarray(0, length);
    const cipher = aesCtsEncrypt(KEY, plain);
    assert.equal(cipher.toString('hex'), expected);
    assert.deepEqual(aesCtsDecrypt(KEY, cipher), plain);
  });
}

test('AES-256-CTS round-trips every length from one to four blocks', () => {
  const key = Buffer.alloc(32, 7);
  for (let n = 16; n <= 64; n++) {
    const plain = Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) & 0xff));
    const cipher = aesCtsEncrypt(key, plain);
    assert.equal(cipher.length, n);
    assert.deepEqual(aesCtsDecrypt(key, cipher), plain);
  }
});

test('AES-CTS rejects input shorter than a block', () => {
  assert.throws(() => aesCtsEncrypt(KEY, Buffer.alloc(15)), RangeError);
});
