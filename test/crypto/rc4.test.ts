import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rc4, rc4 } from '../../src/crypto/rc4.js';

/** RFC 6229 section 2: keystream bytes at a given offset, for a key given in hex. */
const RFC6229: readonly { key: string; offset: number; keystream: string }[] = [
  { key: '0102030405', offset: 0, keystream: 'b2396305f03dc027ccc3524a0a1118a8' },
  { key: '0102030405', offset: 16, keystream: '6982944f18fc82d589c403a47a0d0919' },
  { key: '0102030405', offset: 240, keystream: '28cb1132c96ce286421dcaadb8b69eae' },
  { key: '0102030405060708090a0b0c0d0e0f10', offset: 0, keystream: '9ac7cc9a609d1ef7b2932899cde41b97' },
  { key: '0102030405060708090a0b0c0d0e0f10', offset: 4096, keystream: 'a36a4c301ae8ac13610ccbc12256cacc' },
];

for (const v of RFC6229) {
  test(`RC4 keystream matches RFC 6229 (key ${v.key}, offset ${v.offset})`, () => {
    const stream = rc4(Buffer.from(v.key, 'hex'), Buffer.alloc(v.offset + 16));
    assert.equal(stream.subarray(v.offset).toString('hex'), v.keystream);
  });
}

test('RC4 with the classic "Key"/"Plaintext" vector', () => {
  assert.equal(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex'), 'bbf316e8d940af0ad3');
});

test('Rc4 keeps its keystream across update() calls', () => {
  const key = Buffer.from('0102030405', 'hex');
  const whole = rc4(key, Buffer.alloc(48));
  const cipher = new Rc4(key);
  const parts = Buffer.concat([
    cipher.update(Buffer.alloc(5)),
    cipher.update(Buffer.alloc(30)),
    cipher.update(Buffer.alloc(13)),
  ]);
  assert.deepEqual(parts, whole);
});

test('RC4 decrypts what it encrypts', () => {
  const key = Buffer.from('secret key');
  const plain = Buffer.from('the quick brown fox');
  assert.deepEqual(rc4(key, rc4(key, plain)), plain);
});
