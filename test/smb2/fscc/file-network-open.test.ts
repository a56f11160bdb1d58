import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileNetworkOpenInformation,
  encodeFileNetworkOpenInformation,
  FILE_NETWORK_OPEN_INFORMATION_SIZE,
} from '../../../src/smb2/fscc/file-network-open.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileNetworkOpenInformation round-trips', () => {
  const info = {
    creationTime: 1n,
    lastAccessTime: 2n,
    lastWriteTime: 3n,
    changeTime: 4n,
    allocationSize: 4096n,
    endOfFile: 100n,
    fileAttributes: 0x20,
  };
  const buf = encodeFileNetworkOpenInformation(info);
  assert.equal(buf.length, FILE_NETWORK_OPEN_INFORMATION_SIZE);
  assert.deepEqual(decodeFileNetworkOpenInformation(buf), info);
  assert.throws(() => decodeFileNetworkOpenInformation(buf.subarray(0, 50)), MalformedMessageError);
});
