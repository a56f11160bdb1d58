import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';

/**
 * FileRenameInformation for SMB2, i.e. FILE_RENAME_INFORMATION_TYPE_2 (MS-FSCC 2.4.37.2): the 64-bit
 * layout with an 8-byte RootDirectory, which SMB2 requires to be 0. FileName is relative to the
 * share root, without a leading backslash.
 */
export interface FileRenameInformation {
  replaceIfExists: boolean;
  /** MUST be 0 over SMB2 (MS-SMB2 3.3.5.21.1); kept for decoding captures faithfully. */
  rootDirectory: bigint;
  fileName: string;
}

/** ReplaceIfExists, 7 reserved bytes, RootDirectory, FileNameLength. */
const FIXED_SIZE = 20;
/**
 * Windows rejects a buffer shorter than sizeof(FILE_RENAME_INFORMATION_TYPE_2), which is 24 with the
 * struct's tail padding (MS-FSA 2.1.5.14.11); short names are zero-padded up to that.
 */
const MIN_BUFFER_SIZE = 24;

export function encodeFileRenameInformation(info: FileRenameInformation): Buffer {
  const nameLength = utf16Length(info.fileName);
  const buf = Buffer.alloc(Math.max(MIN_BUFFER_SIZE, FIXED_SIZE + nameLength));
  new ByteWriter(buf)
    .u8(info.replaceIfExists ? 1 : 0)
    .zeros(7)
    .u64(info.rootDirectory)
    .u32(nameLength);
  buf.write(info.fileName, FIXED_SIZE, nameLength, 'utf16le');
  return buf;
}

export function decodeFileRenameInformation(buf: Buffer): FileRenameInformation {
  const r = new ByteReader(buf);
  const replaceIfExists = r.u8() !== 0;
  r.skip(7);
  const rootDirectory = r.u64();
  const nameLength = r.u32();
  const fileName = fromUtf16(r.bytes(nameLength, 'FileRenameInformation FileName'));
  return { replaceIfExists, rootDirectory, fileName };
}
