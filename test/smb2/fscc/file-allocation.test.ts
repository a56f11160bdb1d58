import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileAllocationInformation,
  encodeFileAllocationInformation,
} from '../../../src/smb2/fscc/file-allocation.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileAllocationInformation round-trips a 64-bit size', () => {
  const info = { allocationSize: 1n << 33n };
  const buf = encodeFileAllocationInformation(info);
  assert.equal(buf.length, 8);
  assert.deepEqual(decodeFileAllocationInformation(buf), info);
  assert.throws(() => decodeFileAllocationInformation(Buffer.alloc(4)), MalformedMessageError);
});
