import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSessionKeys, truncatedSessionKey } from '../../src/crypto/session-keys.js';
import { kdfString, sp800108CounterHmacSha256 } from '../../src/crypto/kdf.js';
import { CipherId } from '../../src/crypto/encryption.js';
import { Dialect } from '../../src/smb2/constants.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import {
  SMB30_ENCRYPTION,
  SMB30_KEYS,
  SMB311_ENCRYPTION,
  SMB311_KEYS,
} from './fixtures/microsoft-blog-vectors.js';

test('SMB 3.0: all four keys of the Microsoft multichannel example', () => {
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_0,
    sessionKey: SMB30_KEYS.sessionKey,
    preauthHash: undefined,
    cipherId: CipherId.AES_128_CCM,
  });
  assert.deepEqual(keys.signingKey, SMB30_KEYS.signingKey);
  assert.deepEqual(keys.encryptionKey, SMB30_KEYS.encryptionKey);
  assert.deepEqual(keys.decryptionKey, SMB30_KEYS.decryptionKey);
  assert.deepEqual(keys.applicationKey, SMB30_KEYS.applicationKey);
});

test('SMB 3.0: keys of the "Encryption in SMB 3.0" example (client EncryptionKey = ServerIn)', () => {
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_0,
    sessionKey: SMB30_ENCRYPTION.sessionKey,
    preauthHash: undefined,
    cipherId: CipherId.AES_128_CCM,
  });
  assert.deepEqual(keys.signingKey, SMB30_ENCRYPTION.signingKey);
  assert.deepEqual(keys.encryptionKey, SMB30_ENCRYPTION.encryptionKey);
  assert.deepEqual(keys.decryptionKey, SMB30_ENCRYPTION.decryptionKey);
  assert.deepEqual(keys.applicationKey, SMB30_ENCRYPTION.applicationKey);
});

test('SMB 3.0.2 uses the same labels as 3.0', () => {
  const a = deriveSessionKeys({
    dialect: Dialect.SMB3_0,
    sessionKey: SMB30_KEYS.sessionKey,
    preauthHash: undefined,
    cipherId: 1,
  });
  const b = deriveSessionKeys({
    dialect: Dialect.SMB3_0_2,
    sessionKey: SMB30_KEYS.sessionKey,
    preauthHash: undefined,
    cipherId: 1,
  });
  assert.deepEqual(a, b);
});

test('SMB 3.1.1: all four keys of the Microsoft multichannel example (AES-128-GCM)', () => {
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_1_1,
    sessionKey: SMB311_KEYS.sessionKey,
    preauthHash: SMB311_KEYS.preauthHash,
    cipherId: CipherId.AES_128_GCM,
  });
  assert.deepEqual(keys.signingKey, SMB311_KEYS.signingKey);
  assert.deepEqual(keys.encryptionKey, SMB311_KEYS.encryptionKey);
  assert.deepEqual(keys.decryptionKey, SMB311_KEYS.decryptionKey);
  assert.deepEqual(keys.applicationKey, SMB311_KEYS.applicationKey);
});

test('SMB 3.1.1: cipher keys of the "SMB 3.1.1 Encryption in Windows 10" example', () => {
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_1_1,
    sessionKey: SMB311_ENCRYPTION.sessionKey,
    preauthHash: SMB311_ENCRYPTION.preauthHash,
    cipherId: CipherId.AES_128_GCM,
  });
  assert.deepEqual(keys.encryptionKey, SMB311_ENCRYPTION.encryptionKey);
  assert.deepEqual(keys.decryptionKey, SMB311_ENCRYPTION.decryptionKey);
});

test('SMB 3.1.1 with AES-256: 32-byte cipher keys from the FULL session key, 16-byte signing key', () => {
  const full = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  for (const cipherId of [CipherId.AES_256_CCM, CipherId.AES_256_GCM]) {
    const keys = deriveSessionKeys({
      dialect: Dialect.SMB3_1_1,
      sessionKey: full,
      preauthHash: SMB311_KEYS.preauthHash,
      cipherId,
    });
    const ctx = SMB311_KEYS.preauthHash;
    assert.equal(keys.encryptionKey?.length, 32);
    assert.deepEqual(
      keys.encryptionKey,
      sp800108CounterHmacSha256(full, kdfString('SMBC2SCipherKey'), ctx, 256),
    );
    assert.deepEqual(
      keys.decryptionKey,
      sp800108CounterHmacSha256(full, kdfString('SMBS2CCipherKey'), ctx, 256),
    );
    const first16 = full.subarray(0, 16);
    assert.deepEqual(
      keys.signingKey,
      sp800108CounterHmacSha256(first16, kdfString('SMBSigningKey'), ctx, 128),
    );
    assert.deepEqual(
      keys.applicationKey,
      sp800108CounterHmacSha256(first16, kdfString('SMBAppKey'), ctx, 128),
    );
  }
});

test('SMB 3.1.1 with AES-128 truncates a 32-byte (Kerberos) session key to 16 bytes everywhere', () => {
  const full = Buffer.concat([SMB311_KEYS.sessionKey, Buffer.alloc(16, 0xaa)]);
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_1_1,
    sessionKey: full,
    preauthHash: SMB311_KEYS.preauthHash,
    cipherId: CipherId.AES_128_GCM,
  });
  assert.deepEqual(keys.encryptionKey, SMB311_KEYS.encryptionKey);
  assert.deepEqual(keys.signingKey, SMB311_KEYS.signingKey);
});

test('SMB 2.x: the session key signs directly, no cipher keys', () => {
  for (const dialect of [Dialect.SMB2_0_2, Dialect.SMB2_1]) {
    const keys = deriveSessionKeys({
      dialect,
      sessionKey: SMB30_KEYS.sessionKey,
      preauthHash: undefined,
      cipherId: 0,
    });
    assert.deepEqual(keys.signingKey, SMB30_KEYS.sessionKey);
    assert.deepEqual(keys.applicationKey, SMB30_KEYS.sessionKey);
    assert.equal(keys.encryptionKey, undefined);
    assert.equal(keys.decryptionKey, undefined);
  }
});

test('no negotiated cipher means no cipher keys, but signing still works', () => {
  const keys = deriveSessionKeys({
    dialect: Dialect.SMB3_1_1,
    sessionKey: SMB311_KEYS.sessionKey,
    preauthHash: SMB311_KEYS.preauthHash,
    cipherId: 0,
  });
  assert.deepEqual(keys.signingKey, SMB311_KEYS.signingKey);
  assert.equal(keys.encryptionKey, undefined);
});

test('3.1.1 without a preauth hash and unknown cipher ids are errors', () => {
  assert.throws(
    () =>
      deriveSessionKeys({
        dialect: Dialect.SMB3_1_1,
        sessionKey: SMB311_KEYS.sessionKey,
        preauthHash: undefined,
        cipherId: 2,
      }),
    SmbBenchError,
  );
  assert.throws(
    () =>
      deriveSessionKeys({
        dialect: Dialect.SMB3_1_1,
        sessionKey: SMB311_KEYS.sessionKey,
        preauthHash: SMB311_KEYS.preauthHash,
        cipherId: 9,
      }),
    SmbBenchError,
  );
});

test('truncatedSessionKey pads short keys with zeros and cuts long ones to 16 bytes', () => {
  assert.deepEqual(
    truncatedSessionKey(Buffer.from('0102', 'hex')),
    Buffer.from('01020000000000000000000000000000', 'hex'),
  );
  assert.equal(truncatedSessionKey(Buffer.alloc(32, 5)).length, 16);
});
