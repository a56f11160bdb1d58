import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileRenameInformation,
  encodeFileRenameInformation,
} from '../../../src/smb2/fscc/file-rename.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileRenameInformation (type 2) round-trips with the 20-byte fixed part', () => {
  const info = { replaceIfExists: true, rootDirectory: 0n, fileName: 'dir\\new name.txt' };
  const buf = encodeFileRenameInformation(info);
  assert.equal(buf.length, 20 + 32);
  assert.equal(buf[0], 1);
  assert.equal(buf.readUInt32LE(16), 32);
  assert.deepEqual(decodeFileRenameInformation(buf), info);
});

test('short names are padded to 24 bytes but decode to the same name', () => {
  const buf = encodeFileRenameInformation({ replaceIfExists: false, rootDirectory: 0n, fileName: 'a' });
  assert.equal(buf.length, 24);
  assert.equal(decodeFileRenameInformation(buf).fileName, 'a');
});

test('FileNameLength past the buffer is rejected', () => {
  const buf = encodeFileRenameInformation({ replaceIfExists: false, rootDirectory: 0n, fileName: 'abc' });
  buf.writeUInt32LE(100, 16);
  assert.throws(() => decodeFileRenameInformation(buf), MalformedMessageError);
});
