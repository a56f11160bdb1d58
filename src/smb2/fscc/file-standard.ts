import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';

/** FileStandardInformation, MS-FSCC 2.4.41 (query only). */
export interface FileStandardInformation {
  allocationSize: bigint;
  endOfFile: bigint;
  numberOfLinks: number;
  deletePending: boolean;
  directory: boolean;
}

/** Two u64 sizes, NumberOfLinks, two booleans and 2 reserved bytes. */
export const FILE_STANDARD_INFORMATION_SIZE = 24;

export function encodeFileStandardInformation(info: FileStandardInformation): Buffer {
  const buf = Buffer.alloc(FILE_STANDARD_INFORMATION_SIZE);
  new ByteWriter(buf)
    .u64(info.allocationSize)
    .u64(info.endOfFile)
    .u32(info.numberOfLinks)
    .u8(info.deletePending ? 1 : 0)
    .u8(info.directory ? 1 : 0)
    .u16(0);
  return buf;
}

export function readFileStandardInformation(r: ByteReader): FileStandardInformation {
  r.need(FILE_STANDARD_INFORMATION_SIZE, 'FileStandardInformation');
  const info = {
    allocationSize: r.u64(),
    endOfFile: r.u64(),
    numberOfLinks: r.u32(),
    deletePending: r.u8() !== 0,
    directory: r.u8() !== 0,
  };
  r.skip(2);
  return info;
}

export function decodeFileStandardInformation(buf: Buffer): FileStandardInformation {
  return readFileStandardInformation(new ByteReader(buf));
}
