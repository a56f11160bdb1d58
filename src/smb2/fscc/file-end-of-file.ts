import { ByteReader } from '../../bytes/byte-reader.js';

/** FileEndOfFileInformation, MS-FSCC 2.4.13 (set only): truncates or extends the file. */
export interface FileEndOfFileInformation {
  endOfFile: bigint;
}

export const FILE_END_OF_FILE_INFORMATION_SIZE = 8;

export function encodeFileEndOfFileInformation(info: FileEndOfFileInformation): Buffer {
  const buf = Buffer.alloc(FILE_END_OF_FILE_INFORMATION_SIZE);
  buf.writeBigUInt64LE(info.endOfFile);
  return buf;
}

export function decodeFileEndOfFileInformation(buf: Buffer): FileEndOfFileInformation {
  return { endOfFile: new ByteReader(buf).u64() };
}
