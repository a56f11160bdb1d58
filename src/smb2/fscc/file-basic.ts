import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';

/**
 * FileBasicInformation, MS-FSCC 2.4.7 (query and set). Times are FILETIME bigints; in SET_INFO a 0
 * time means "unchanged" and a 0 FileAttributes means "unchanged" too (see filetime.ts).
 */
export interface FileBasicInformation {
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  fileAttributes: number;
}

/** Four FILETIMEs, FileAttributes, and 4 reserved bytes. */
export const FILE_BASIC_INFORMATION_SIZE = 40;

export function encodeFileBasicInformation(info: FileBasicInformation): Buffer {
  const buf = Buffer.alloc(FILE_BASIC_INFORMATION_SIZE);
  new ByteWriter(buf)
    .u64(info.creationTime)
    .u64(info.lastAccessTime)
    .u64(info.lastWriteTime)
    .u64(info.changeTime)
    .u32(info.fileAttributes)
    .u32(0);
  return buf;
}

/** Reads from a reader so FileAllInformation can embed it. */
export function readFileBasicInformation(r: ByteReader): FileBasicInformation {
  r.need(FILE_BASIC_INFORMATION_SIZE, 'FileBasicInformation');
  const info = {
    creationTime: r.u64(),
    lastAccessTime: r.u64(),
    lastWriteTime: r.u64(),
    changeTime: r.u64(),
    fileAttributes: r.u32(),
  };
  r.skip(4);
  return info;
}

export function decodeFileBasicInformation(buf: Buffer): FileBasicInformation {
  return readFileBasicInformation(new ByteReader(buf));
}
