import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import { entryChain, layOutChain } from './entry-chain.js';

/** FILE_NOTIFY_INFORMATION Action, MS-FSCC 2.7.1. */
export const FileAction = {
  FILE_ACTION_ADDED: 0x00000001,
  FILE_ACTION_REMOVED: 0x00000002,
  FILE_ACTION_MODIFIED: 0x00000003,
  FILE_ACTION_RENAMED_OLD_NAME: 0x00000004,
  FILE_ACTION_RENAMED_NEW_NAME: 0x00000005,
  FILE_ACTION_ADDED_STREAM: 0x00000006,
  FILE_ACTION_REMOVED_STREAM: 0x00000007,
  FILE_ACTION_MODIFIED_STREAM: 0x00000008,
  FILE_ACTION_REMOVED_BY_DELETE: 0x00000009,
  FILE_ACTION_ID_NOT_TUNNELLED: 0x0000000a,
  FILE_ACTION_TUNNELLED_ID_COLLISION: 0x0000000b,
} as const;
export type FileAction = (typeof FileAction)[keyof typeof FileAction];

/** One change: what happened to which path (relative to the watched directory). */
export interface NotifyEntry {
  action: number;
  fileName: string;
}

/** NextEntryOffset, Action, FileNameLength. */
const FIXED_SIZE = 12;

/** Lazily decodes a CHANGE_NOTIFY output buffer (MS-SMB2 2.2.36) of FILE_NOTIFY_INFORMATION entries. */
export function* iterateNotifyEntries(buf: Buffer): Generator<NotifyEntry, void, undefined> {
  for (const entry of entryChain(buf, FIXED_SIZE, 'FILE_NOTIFY_INFORMATION')) {
    const r = new ByteReader(entry, 4);
    const action = r.u32();
    const nameLength = r.u32();
    yield { action, fileName: fromUtf16(r.bytes(nameLength, 'FILE_NOTIFY_INFORMATION FileName')) };
  }
}

/** Builds a CHANGE_NOTIFY output buffer (entries DWORD aligned); for tests and fake servers. */
export function encodeNotifyEntries(entries: readonly NotifyEntry[]): Buffer {
  return layOutChain(
    entries.map((e) => {
      const nameLength = utf16Length(e.fileName);
      const buf = Buffer.alloc(FIXED_SIZE + nameLength);
      new ByteWriter(buf, 4).u32(e.action).u32(nameLength);
      buf.write(e.fileName, FIXED_SIZE, nameLength, 'utf16le');
      return buf;
    }),
    4,
  );
}
