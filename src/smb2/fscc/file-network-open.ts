import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';

/**
 * FileNetworkOpenInformation, MS-FSCC 2.4.29 (query only): times, sizes and attributes in one
 * round trip, the same set CREATE returns.
 */
export interface FileNetworkOpenInformation {
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  allocationSize: bigint;
  endOfFile: bigint;
  fileAttributes: number;
}

/** Six u64 fields, FileAttributes, 4 reserved bytes. */
export const FILE_NETWORK_OPEN_INFORMATION_SIZE = 56;

export function encodeFileNetworkOpenInformation(info: FileNetworkOpenInformation): Buffer {
  const buf = Buffer.alloc(FILE_NETWORK_OPEN_INFORMATION_SIZE);
  new ByteWriter(buf)
    .u64(info.creationTime)
    .u64(info.lastAccessTime)
    .u64(info.lastWriteTime)
    .u64(info.changeTime)
    .u64(info.allocationSize)
    .u64(info.endOfFile)
    .u32(info.fileAttributes)
    .u32(0);
  return buf;
}

export function decodeFileNetworkOpenInformation(buf: Buffer): FileNetworkOpenInformation {
  const r = new ByteReader(buf);
  r.need(FILE_NETWORK_OPEN_INFORMATION_SIZE, 'FileNetworkOpenInformation');
  return {
    creationTime: r.u64(),
    lastAccessTime: r.u64(),
    lastWriteTime: r.u64(),
    changeTime: r.u64(),
    allocationSize: r.u64(),
    endOfFile: r.u64(),
    fileAttributes: r.u32(),
  };
}
