import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { kdfString, sp800108CounterHmacSha256 } from '../../src/crypto/kdf.js';
import { SMB30_KEYS, SMB311_KEYS } from './fixtures/microsoft-blog-vectors.js';

test('kdfString keeps the trailing NUL MS-SMB2 includes in labels', () => {
  assert.deepEqual(kdfString('SmbSign'), Buffer.from('536d625369676e00', 'hex'));
  assert.equal(kdfString('SMB2AESCMAC').length, 12);
});

test('SMB 3.0 signing key from the Microsoft example (label SMB2AESCMAC, context SmbSign)', () => {
  const key = sp800108CounterHmacSha256(
    SMB30_KEYS.sessionKey,
    kdfString('SMB2AESCMAC'),
    kdfString('SmbSign'),
    128,
  );
  assert.deepEqual(key, SMB30_KEYS.signingKey);
});

test('SMB 3.1.1 signing key from the Microsoft example (context = preauth hash)', () => {
  const key = sp800108CounterHmacSha256(
    SMB311_KEYS.sessionKey,
    kdfString('SMBSigningKey'),
    SMB311_KEYS.preauthHash,
    128,
  );
  assert.deepEqual(key, SMB311_KEYS.signingKey);
});

test('L = 256 is one HMAC block with [L] = 0x00000100 in the input', () => {
  const ki = Buffer.alloc(16, 7);
  const label = kdfString('L');
  const ctx = kdfString('C');
  const expected = createHmac('sha256', ki)
    .update(
      Buffer.concat([
        Buffer.from('00000001', 'hex'),
        label,
        Buffer.alloc(1),
        ctx,
        Buffer.from('00000100', 'hex'),
      ]),
    )
    .digest();
  assert.deepEqual(sp800108CounterHmacSha256(ki, label, ctx, 256), expected);
  // L is part of the PRF input, so the 128-bit key is not a prefix of the 256-bit one.
  assert.notDeepEqual(sp800108CounterHmacSha256(ki, label, ctx, 128), expected.subarray(0, 16));
});

test('longer outputs concatenate counter blocks 1, 2, ...', () => {
  const ki = Buffer.alloc(16, 1);
  const out = sp800108CounterHmacSha256(ki, kdfString('L'), kdfString('C'), 384);
  assert.equal(out.length, 48);
  const block2 = createHmac('sha256', ki)
    .update(
      Buffer.concat([
        Buffer.from('00000002', 'hex'),
        kdfString('L'),
        Buffer.alloc(1),
        kdfString('C'),
        Buffer.from('00000180', 'hex'),
      ]),
    )
    .digest();
  assert.deepEqual(out.subarray(32), block2.subarray(0, 16));
});

test('rejects output lengths that are not whole bytes', () => {
  assert.throws(
    () => sp800108CounterHmacSha256(Buffer.alloc(16), Buffer.alloc(1), Buffer.alloc(1), 100),
    RangeError,
  );
});
