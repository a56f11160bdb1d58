import type { ByteReader } from '../bytes/byte-reader.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import type { FileId } from './constants.js';

/** SMB2_FILEID, MS-SMB2 2.2.14.1: Persistent then Volatile, 8 bytes each. */
export function readFileId(r: ByteReader): FileId {
  const persistent = r.u64();
  const volatile = r.u64();
  return { persistent, volatile };
}

export function writeFileId(w: ByteWriter, id: FileId): void {
  w.u64(id.persistent).u64(id.volatile);
}

export function fileIdKey(id: FileId): string {
  return `${id.persistent.toString(16)}:${id.volatile.toString(16)}`;
}
