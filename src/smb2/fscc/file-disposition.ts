import { ByteReader } from '../../bytes/byte-reader.js';

/**
 * FileDispositionInformation, MS-FSCC 2.4.11 (set only): DeletePending as one byte. Setting it marks
 * the file for deletion when the last handle closes.
 */
export interface FileDispositionInformation {
  deletePending: boolean;
}

export const FILE_DISPOSITION_INFORMATION_SIZE = 1;

export function encodeFileDispositionInformation(info: FileDispositionInformation): Buffer {
  return Buffer.from([info.deletePending ? 1 : 0]);
}

export function decodeFileDispositionInformation(buf: Buffer): FileDispositionInformation {
  return { deletePending: new ByteReader(buf).u8() !== 0 };
}
