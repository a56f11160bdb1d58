import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileBasicInformation,
  encodeFileBasicInformation,
  FILE_BASIC_INFORMATION_SIZE,
} from '../../../src/smb2/fscc/file-basic.js';
import { FileAttributes } from '../../../src/smb2/fscc/file-attributes.js';
import { FILETIME_NO_CHANGE, FILETIME_SUSPEND_UPDATES } from '../../../src/smb2/fscc/filetime.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileBasicInformation round-trips, including the special SET_INFO times', () => {
  const info = {
    creationTime: 133536836967890000n,
    lastAccessTime: FILETIME_SUSPEND_UPDATES,
    lastWriteTime: FILETIME_NO_CHANGE,
    changeTime: 1n,
    fileAttributes: FileAttributes.FILE_ATTRIBUTE_HIDDEN | FileAttributes.FILE_ATTRIBUTE_ARCHIVE,
  };
  const buf = encodeFileBasicInformation(info);
  assert.equal(buf.length, FILE_BASIC_INFORMATION_SIZE);
  assert.equal(buf.readBigUInt64LE(8), 0xffffffffffffffffn);
  assert.deepEqual(decodeFileBasicInformation(buf), info);
});

test('FileBasicInformation rejects a short buffer', () => {
  assert.throws(() => decodeFileBasicInformation(Buffer.alloc(36)), MalformedMessageError);
});
