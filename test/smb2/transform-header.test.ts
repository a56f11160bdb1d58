import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTransformHeader,
  encodeTransformHeader,
  isTransformFrame,
  TRANSFORM_HEADER_SIZE,
  TransformFlags,
} from '../../src/smb2/transform-header.js';
import { MalformedMessageError } from '../../src/errors/smbench-error.js';

// The WRITE request transform header from Microsoft's "Encryption in SMB 3.0" example.
const PUBLISHED = Buffer.from(
  'FD534D4281A286535415445DAE393921E44FA42E66E69A111892584FB5ED524A' +
    '744DA3EE87000000000001001100001400E40800',
  'hex',
);

test('decodes the published header', () => {
  const th = decodeTransformHeader(PUBLISHED);
  assert.equal(th.signature.toString('hex'), '81a286535415445dae393921e44fa42e');
  assert.equal(th.nonce.toString('hex'), '66e69a111892584fb5ed524a744da3ee');
  assert.equal(th.originalMessageSize, 0x87);
  assert.equal(th.flags, TransformFlags.Encrypted);
  assert.equal(th.sessionId, 0x8e40014000011n);
  assert.equal(isTransformFrame(PUBLISHED), true);
});

test('encode is the inverse of decode', () => {
  const out = Buffer.alloc(TRANSFORM_HEADER_SIZE);
  encodeTransformHeader(decodeTransformHeader(PUBLISHED), out);
  assert.deepEqual(out, PUBLISHED);
});

test('short nonce and signature are zero padded to 16 bytes', () => {
  const out = Buffer.alloc(TRANSFORM_HEADER_SIZE + 4, 0xff);
  encodeTransformHeader(
    {
      signature: Buffer.alloc(0),
      nonce: Buffer.from('0102030405060708090a0b', 'hex'),
      originalMessageSize: 4,
      flags: 1,
      sessionId: 2n,
    },
    out,
  );
  const th = decodeTransformHeader(out);
  assert.ok(th.signature.every((b) => b === 0));
  assert.equal(th.nonce.toString('hex'), '0102030405060708090a0b0000000000');
  assert.equal(out.readUInt16LE(40), 0, 'Reserved is zero');
  assert.equal(out[TRANSFORM_HEADER_SIZE], 0xff, 'nothing written past the header');
});

test('rejects truncated frames and other protocol ids', () => {
  assert.throws(() => decodeTransformHeader(PUBLISHED.subarray(0, 51)), MalformedMessageError);
  const smb2 = Buffer.from(PUBLISHED);
  smb2[0] = 0xfe;
  assert.throws(() => decodeTransformHeader(smb2), MalformedMessageError);
  assert.equal(isTransformFrame(smb2), false);
  assert.equal(isTransformFrame(Buffer.alloc(2)), false);
});
