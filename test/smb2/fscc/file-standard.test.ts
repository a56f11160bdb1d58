import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileStandardInformation,
  encodeFileStandardInformation,
  FILE_STANDARD_INFORMATION_SIZE,
} from '../../../src/smb2/fscc/file-standard.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileStandardInformation round-trips', () => {
  const info = {
    allocationSize: 1n << 40n,
    endOfFile: 12345n,
    numberOfLinks: 2,
    deletePending: true,
    directory: false,
  };
  const buf = encodeFileStandardInformation(info);
  assert.equal(buf.length, FILE_STANDARD_INFORMATION_SIZE);
  assert.equal(buf[20], 1);
  assert.deepEqual(decodeFileStandardInformation(buf), info);
  assert.throws(() => decodeFileStandardInformation(buf.subarray(0, 22)), MalformedMessageError);
});
