import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextPreauthHash, PREAUTH_HASH_INITIAL, PREAUTH_HASH_SIZE } from '../../src/crypto/preauth-hash.js';
import {
  SMB311_FINAL_SETUP_REQUEST,
  SMB311_HASH_AFTER_NEGOTIATE_REQUEST,
  SMB311_HASH_BEFORE_FINAL_SETUP,
  SMB311_KEYS,
  SMB311_NEGOTIATE_REQUEST,
} from './fixtures/microsoft-blog-vectors.js';

test('the initial hash value is 64 zero bytes', () => {
  assert.equal(PREAUTH_HASH_INITIAL.length, PREAUTH_HASH_SIZE);
  assert.ok(PREAUTH_HASH_INITIAL.every((b) => b === 0));
});

test('Microsoft 3.1.1 example: hashing the NEGOTIATE request into the initial value', () => {
  assert.deepEqual(
    nextPreauthHash(PREAUTH_HASH_INITIAL, SMB311_NEGOTIATE_REQUEST),
    SMB311_HASH_AFTER_NEGOTIATE_REQUEST,
  );
});

test('Microsoft 3.1.1 example: the final SESSION_SETUP request yields the KDF context', () => {
  assert.deepEqual(
    nextPreauthHash(SMB311_HASH_BEFORE_FINAL_SETUP, SMB311_FINAL_SETUP_REQUEST),
    SMB311_KEYS.preauthHash,
  );
});

test('nextPreauthHash never mutates its inputs and returns a fresh buffer', () => {
  const prev = Buffer.from(SMB311_HASH_BEFORE_FINAL_SETUP);
  const out = nextPreauthHash(prev, SMB311_FINAL_SETUP_REQUEST);
  assert.deepEqual(prev, SMB311_HASH_BEFORE_FINAL_SETUP);
  assert.notEqual(out, prev);
  assert.ok(PREAUTH_HASH_INITIAL.every((b) => b === 0));
});
