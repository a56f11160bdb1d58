import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileEndOfFileInformation,
  encodeFileEndOfFileInformation,
} from '../../../src/smb2/fscc/file-end-of-file.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileEndOfFileInformation round-trips a 64-bit size', () => {
  const info = { endOfFile: (1n << 50n) + 3n };
  const buf = encodeFileEndOfFileInformation(info);
  assert.equal(buf.length, 8);
  assert.deepEqual(decodeFileEndOfFileInformation(buf), info);
  assert.throws(() => decodeFileEndOfFileInformation(buf.subarray(0, 7)), MalformedMessageError);
});
