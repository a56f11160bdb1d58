import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileFsAttributeInformation,
  decodeFileFsDeviceInformation,
  decodeFileFsFullSizeInformation,
  decodeFileFsSizeInformation,
  decodeFileFsVolumeInformation,
  DeviceType,
  encodeFileFsAttributeInformation,
  encodeFileFsDeviceInformation,
  encodeFileFsFullSizeInformation,
  encodeFileFsSizeInformation,
  encodeFileFsVolumeInformation,
  FileSystemAttributes,
} from '../../../src/smb2/fscc/fs-info.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileFsSizeInformation and FileFsFullSizeInformation round-trip', () => {
  const size = {
    totalAllocationUnits: 264212084n,
    availableAllocationUnits: 83361668n,
    sectorsPerAllocationUnit: 2,
    bytesPerSector: 512,
  };
  assert.deepEqual(decodeFileFsSizeInformation(encodeFileFsSizeInformation(size)), size);
  // Known bytes from a Samba 4.17 reply in the sample capture.
  assert.deepEqual(
    decodeFileFsSizeInformation(Buffer.from('748ebf0f0000000084fff704000000000200000000020000', 'hex')),
    size,
  );
  const full = {
    totalAllocationUnits: 100n,
    callerAvailableAllocationUnits: 40n,
    actualAvailableAllocationUnits: 50n,
    sectorsPerAllocationUnit: 8,
    bytesPerSector: 4096,
  };
  assert.deepEqual(decodeFileFsFullSizeInformation(encodeFileFsFullSizeInformation(full)), full);
  assert.throws(() => decodeFileFsSizeInformation(Buffer.alloc(20)), MalformedMessageError);
  assert.throws(() => decodeFileFsFullSizeInformation(Buffer.alloc(24)), MalformedMessageError);
});

test('FileFsAttributeInformation round-trips and bounds-checks the name', () => {
  const info = {
    fileSystemAttributes:
      FileSystemAttributes.FILE_CASE_SENSITIVE_SEARCH | FileSystemAttributes.FILE_UNICODE_ON_DISK,
    maximumComponentNameLength: 255,
    fileSystemName: 'NTFS',
  };
  const buf = encodeFileFsAttributeInformation(info);
  assert.equal(buf.length, 20);
  assert.deepEqual(decodeFileFsAttributeInformation(buf), info);
  buf.writeUInt32LE(10, 8);
  assert.throws(() => decodeFileFsAttributeInformation(buf), MalformedMessageError);
});

test('FileFsVolumeInformation round-trips', () => {
  const info = {
    volumeCreationTime: 133536836967890000n,
    volumeSerialNumber: 0xdeadbeef,
    supportsObjects: false,
    volumeLabel: 'bench',
  };
  const buf = encodeFileFsVolumeInformation(info);
  assert.equal(buf.length, 18 + 10);
  assert.deepEqual(decodeFileFsVolumeInformation(buf), info);
  assert.throws(() => decodeFileFsVolumeInformation(buf.subarray(0, 20)), MalformedMessageError);
});

test('FileFsDeviceInformation round-trips', () => {
  const info = { deviceType: DeviceType.FILE_DEVICE_DISK, characteristics: 0x20 };
  assert.deepEqual(decodeFileFsDeviceInformation(encodeFileFsDeviceInformation(info)), info);
  assert.throws(() => decodeFileFsDeviceInformation(Buffer.alloc(6)), MalformedMessageError);
});
