import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md4 } from '../../src/crypto/md4.js';

// RFC 1320 Appendix A.5 test suite.
const RFC1320_SUITE: readonly (readonly [string, string])[] = [
  ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
  ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
  ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
  ['message digest', 'd9130a8164549fe818874806e1c7014b'],
  ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
  [
    '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
    'e33b4ddc9c38f2199c3e7b164fcc0536',
  ],
];

for (const [input, digest] of RFC1320_SUITE) {
  test(`MD4("${input.slice(0, 20)}${input.length > 20 ? '...' : ''}") matches RFC 1320`, () => {
    assert.equal(md4(Buffer.from(input, 'latin1')).toString('hex'), digest);
  });
}

test('MD4 handles inputs around the 56-byte padding boundary (values from OpenSSL legacy provider)', () => {
  // 55 bytes fit padding in one block; 56 and 64 force a second block.
  assert.equal(md4(Buffer.alloc(55, 0x61)).toString('hex'), 'c889c81dd86c4d2e025778944ea02881');
  assert.equal(md4(Buffer.alloc(56, 0x61)).toString('hex'), 'd5f9a9e9257077a5f08b0b92f348b0ad');
  assert.equal(md4(Buffer.alloc(64, 0x61)).toString('hex'), '52f5076fabd22680234a3fa9f9dc5732');
});

test('MD4 of UTF-16LE "Password" is the MS-NLMP 4.2.2.1.2 NTOWFv1', () => {
  assert.equal(md4(Buffer.from('Password', 'utf16le')).toString('hex'), 'a4f49c406510bdcab6824ee7c30fd852');
});

test('MD4 accepts a Uint8Array view with a non-zero byteOffset', () => {
  const backing = Buffer.from('xxabcxx', 'latin1');
  assert.equal(md4(backing.subarray(2, 5)).toString('hex'), 'a448017aaf21d8525fc10ae87aa6729d');
});
