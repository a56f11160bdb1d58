import { ByteReader } from '../../bytes/byte-reader.js';

/** FileAllocationInformation, MS-FSCC 2.4.4 (set only): reserves disk space without changing EOF. */
export interface FileAllocationInformation {
  allocationSize: bigint;
}

export const FILE_ALLOCATION_INFORMATION_SIZE = 8;

export function encodeFileAllocationInformation(info: FileAllocationInformation): Buffer {
  const buf = Buffer.alloc(FILE_ALLOCATION_INFORMATION_SIZE);
  buf.writeBigUInt64LE(info.allocationSize);
  return buf;
}

export function decodeFileAllocationInformation(buf: Buffer): FileAllocationInformation {
  return { allocationSize: new ByteReader(buf).u64() };
}
