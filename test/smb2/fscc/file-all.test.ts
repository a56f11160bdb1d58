import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileAllInformation,
  encodeFileAllInformation,
  FILE_ALL_INFORMATION_FIXED_SIZE,
} from '../../../src/smb2/fscc/file-all.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

const info = {
  basic: {
    creationTime: 10n,
    lastAccessTime: 11n,
    lastWriteTime: 12n,
    changeTime: 13n,
    fileAttributes: 0x20,
  },
  standard: {
    allocationSize: 4096n,
    endOfFile: 10n,
    numberOfLinks: 1,
    deletePending: false,
    directory: false,
  },
  indexNumber: 0x2146600n,
  eaSize: 0,
  accessFlags: 0x0012019f,
  currentByteOffset: 0n,
  mode: 0x20,
  alignmentRequirement: 0,
  fileName: '\\docs\\final.bin',
};

test('FileAllInformation round-trips with every embedded class at its offset', () => {
  const buf = encodeFileAllInformation(info);
  assert.equal(buf.length, FILE_ALL_INFORMATION_FIXED_SIZE + 30);
  assert.equal(buf.readBigUInt64LE(64), 0x2146600n); // InternalInformation
  assert.equal(buf.readUInt32LE(96), 30); // FileNameLength
  assert.deepEqual(decodeFileAllInformation(buf), { ...info, nameTruncated: false });
});

test('a name cut short by STATUS_BUFFER_OVERFLOW decodes as truncated', () => {
  const buf = encodeFileAllInformation(info).subarray(0, FILE_ALL_INFORMATION_FIXED_SIZE + 11);
  const decoded = decodeFileAllInformation(buf);
  assert.equal(decoded.fileName, '\\docs');
  assert.equal(decoded.nameTruncated, true);
});

test('a buffer shorter than the fixed part is rejected', () => {
  assert.throws(() => decodeFileAllInformation(Buffer.alloc(99)), MalformedMessageError);
});
