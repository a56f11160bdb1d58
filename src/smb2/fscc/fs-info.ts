import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';

/**
 * Volume information classes, MS-FSCC 2.5, queried with InfoType SMB2_0_INFO_FILESYSTEM. Each has a
 * decoder for the client and an encoder for tests and fake servers.
 */

/** FileFsSizeInformation, MS-FSCC 2.5.8. Bytes = units * SectorsPerAllocationUnit * BytesPerSector. */
export interface FileFsSizeInformation {
  totalAllocationUnits: bigint;
  availableAllocationUnits: bigint;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export function decodeFileFsSizeInformation(buf: Buffer): FileFsSizeInformation {
  const r = new ByteReader(buf);
  r.need(24, 'FileFsSizeInformation');
  return {
    totalAllocationUnits: r.u64(),
    availableAllocationUnits: r.u64(),
    sectorsPerAllocationUnit: r.u32(),
    bytesPerSector: r.u32(),
  };
}

export function encodeFileFsSizeInformation(info: FileFsSizeInformation): Buffer {
  const buf = Buffer.alloc(24);
  new ByteWriter(buf)
    .u64(info.totalAllocationUnits)
    .u64(info.availableAllocationUnits)
    .u32(info.sectorsPerAllocationUnit)
    .u32(info.bytesPerSector);
  return buf;
}

/** FileFsFullSizeInformation, MS-FSCC 2.5.4: adds the quota-limited "caller available" figure. */
export interface FileFsFullSizeInformation {
  totalAllocationUnits: bigint;
  callerAvailableAllocationUnits: bigint;
  actualAvailableAllocationUnits: bigint;
  sectorsPerAllocationUnit: number;
  bytesPerSector: number;
}

export function decodeFileFsFullSizeInformation(buf: Buffer): FileFsFullSizeInformation {
  const r = new ByteReader(buf);
  r.need(32, 'FileFsFullSizeInformation');
  return {
    totalAllocationUnits: r.u64(),
    callerAvailableAllocationUnits: r.u64(),
    actualAvailableAllocationUnits: r.u64(),
    sectorsPerAllocationUnit: r.u32(),
    bytesPerSector: r.u32(),
  };
}

export function encodeFileFsFullSizeInformation(info: FileFsFullSizeInformation): Buffer {
  const buf = Buffer.alloc(32);
  new ByteWriter(buf)
    .u64(info.totalAllocationUnits)
    .u64(info.callerAvailableAllocationUnits)
    .u64(info.actualAvailableAllocationUnits)
    .u32(info.sectorsPerAllocationUnit)
    .u32(info.bytesPerSector);
  return buf;
}

/** FileSystemAttributes bits, MS-FSCC 2.5.1 (subset smbench reports on). */
export const FileSystemAttributes = {
  FILE_CASE_SENSITIVE_SEARCH: 0x00000001,
  FILE_CASE_PRESERVED_NAMES: 0x00000002,
  FILE_UNICODE_ON_DISK: 0x00000004,
  FILE_PERSISTENT_ACLS: 0x00000008,
  FILE_FILE_COMPRESSION: 0x00000010,
  FILE_VOLUME_QUOTAS: 0x00000020,
  FILE_SUPPORTS_SPARSE_FILES: 0x00000040,
  FILE_SUPPORTS_REPARSE_POINTS: 0x00000080,
  FILE_SUPPORTS_OBJECT_IDS: 0x00010000,
  FILE_SUPPORTS_ENCRYPTION: 0x00020000,
  FILE_NAMED_STREAMS: 0x00040000,
  FILE_READ_ONLY_VOLUME: 0x00080000,
  FILE_SUPPORTS_BLOCK_REFCOUNTING: 0x08000000,
} as const;

/** FileFsAttributeInformation, MS-FSCC 2.5.1: file system name (e.g. "NTFS") and capabilities. */
export interface FileFsAttributeInformation {
  fileSystemAttributes: number;
  /** Signed in the spec; servers send a positive value such as 255. */
  maximumComponentNameLength: number;
  fileSystemName: string;
}

export function decodeFileFsAttributeInformation(buf: Buffer): FileFsAttributeInformation {
  const r = new ByteReader(buf);
  const fileSystemAttributes = r.u32();
  const maximumComponentNameLength = r.u32() | 0;
  const nameLength = r.u32();
  const fileSystemName = fromUtf16(r.bytes(nameLength, 'FileFsAttributeInformation FileSystemName'));
  return { fileSystemAttributes, maximumComponentNameLength, fileSystemName };
}

export function encodeFileFsAttributeInformation(info: FileFsAttributeInformation): Buffer {
  const nameLength = utf16Length(info.fileSystemName);
  const buf = Buffer.alloc(12 + nameLength);
  new ByteWriter(buf).u32(info.fileSystemAttributes).u32(info.maximumComponentNameLength).u32(nameLength);
  buf.write(info.fileSystemName, 12, nameLength, 'utf16le');
  return buf;
}

/** FileFsVolumeInformation, MS-FSCC 2.5.9. */
export interface FileFsVolumeInformation {
  volumeCreationTime: bigint;
  volumeSerialNumber: number;
  supportsObjects: boolean;
  volumeLabel: string;
}

const VOLUME_FIXED_SIZE = 18;

export function decodeFileFsVolumeInformation(buf: Buffer): FileFsVolumeInformation {
  const r = new ByteReader(buf);
  const volumeCreationTime = r.u64();
  const volumeSerialNumber = r.u32();
  const labelLength = r.u32();
  const supportsObjects = r.u8() !== 0;
  r.skip(1);
  const volumeLabel = fromUtf16(r.bytes(labelLength, 'FileFsVolumeInformation VolumeLabel'));
  return { volumeCreationTime, volumeSerialNumber, supportsObjects, volumeLabel };
}

export function encodeFileFsVolumeInformation(info: FileFsVolumeInformation): Buffer {
  const labelLength = utf16Length(info.volumeLabel);
  const buf = Buffer.alloc(VOLUME_FIXED_SIZE + labelLength);
  new ByteWriter(buf)
    .u64(info.volumeCreationTime)
    .u32(info.volumeSerialNumber)
    .u32(labelLength)
    .u8(info.supportsObjects ? 1 : 0)
    .u8(0);
  buf.write(info.volumeLabel, VOLUME_FIXED_SIZE, labelLength, 'utf16le');
  return buf;
}

/** DeviceType values seen over SMB2, MS-FSCC 2.5.10. */
export const DeviceType = {
  FILE_DEVICE_CD_ROM: 0x00000002,
  FILE_DEVICE_DISK: 0x00000007,
} as const;

/** FileFsDeviceInformation, MS-FSCC 2.5.10. */
export interface FileFsDeviceInformation {
  deviceType: number;
  characteristics: number;
}

export function decodeFileFsDeviceInformation(buf: Buffer): FileFsDeviceInformation {
  const r = new ByteReader(buf);
  return { deviceType: r.u32(), characteristics: r.u32() };
}

export function encodeFileFsDeviceInformation(info: FileFsDeviceInformation): Buffer {
  const buf = Buffer.alloc(8);
  new ByteWriter(buf).u32(info.deviceType).u32(info.characteristics);
  return buf;
}
