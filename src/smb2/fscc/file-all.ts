import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import {
  encodeFileBasicInformation,
  readFileBasicInformation,
  type FileBasicInformation,
} from './file-basic.js';
import {
  encodeFileStandardInformation,
  readFileStandardInformation,
  type FileStandardInformation,
} from './file-standard.js';

/**
 * FileAllInformation, MS-FSCC 2.4.2 (query only): Basic, Standard, Internal, Ea, Access, Position,
 * Mode, Alignment and Name information back to back. Servers may truncate the name with
 * STATUS_BUFFER_OVERFLOW; the decoder then returns what fits and sets `nameTruncated`.
 */
export interface FileAllInformation {
  basic: FileBasicInformation;
  standard: FileStandardInformation;
  /** FileInternalInformation.IndexNumber: the file id on the server's volume. */
  indexNumber: bigint;
  eaSize: number;
  accessFlags: number;
  currentByteOffset: bigint;
  mode: number;
  alignmentRequirement: number;
  fileName: string;
  nameTruncated: boolean;
}

/** Everything up to and including FileNameInformation.FileNameLength. */
export const FILE_ALL_INFORMATION_FIXED_SIZE = 100;

export function decodeFileAllInformation(buf: Buffer): FileAllInformation {
  const r = new ByteReader(buf);
  r.need(FILE_ALL_INFORMATION_FIXED_SIZE, 'FileAllInformation');
  const basic = readFileBasicInformation(r);
  const standard = readFileStandardInformation(r);
  const indexNumber = r.u64();
  const eaSize = r.u32();
  const accessFlags = r.u32();
  const currentByteOffset = r.u64();
  const mode = r.u32();
  const alignmentRequirement = r.u32();
  const nameLength = r.u32();
  // A partial name is legitimate (STATUS_BUFFER_OVERFLOW); keep whole UTF-16 code units only.
  const available = Math.min(nameLength, r.remaining) & ~1;
  const fileName = fromUtf16(r.bytes(available, 'FileAllInformation FileName'));
  return {
    basic,
    standard,
    indexNumber,
    eaSize,
    accessFlags,
    currentByteOffset,
    mode,
    alignmentRequirement,
    fileName,
    nameTruncated: available < nameLength,
  };
}

/** For tests and fake servers; never sent by a client. */
export function encodeFileAllInformation(info: Omit<FileAllInformation, 'nameTruncated'>): Buffer {
  const nameLength = utf16Length(info.fileName);
  const buf = Buffer.alloc(FILE_ALL_INFORMATION_FIXED_SIZE + nameLength);
  new ByteWriter(buf)
    .bytes(encodeFileBasicInformation(info.basic))
    .bytes(encodeFileStandardInformation(info.standard))
    .u64(info.indexNumber)
    .u32(info.eaSize)
    .u32(info.accessFlags)
    .u64(info.currentByteOffset)
    .u32(info.mode)
    .u32(info.alignmentRequirement)
    .u32(nameLength);
  buf.write(info.fileName, FILE_ALL_INFORMATION_FIXED_SIZE, nameLength, 'utf16le');
  return buf;
}
