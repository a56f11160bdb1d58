import { CreateDisposition } from '../smb2/commands/create.js';
import { iterateDirectoryEntries, type DirectoryEntry } from '../smb2/fscc/directory-entries.js';
import { decodeFileBasicInformation, type FileBasicInformation } from '../smb2/fscc/file-basic.js';
import { encodeFileDispositionInformation } from '../smb2/fscc/file-disposition.js';
import { encodeFileEndOfFileInformation } from '../smb2/fscc/file-end-of-file.js';
import { encodeFileRenameInformation } from '../smb2/fscc/file-rename.js';
import { decodeFileStandardInformation, type FileStandardInformation } from '../smb2/fscc/file-standard.js';
import { FileInformationClass, InfoType } from '../smb2/fscc/info-classes.js';
import type { OpenFile } from './open-file.js';
import { toSmbPath } from './open-request.js';
import type { Tree } from './tree.js';

/**
 * The everyday metadata operations expressed through QUERY_INFO/SET_INFO with MS-FSCC classes,
 * so callers (the runner, tests, library users) never hand-encode info buffers.
 */

/** FileRenameInformation (MS-FSCC 2.4.42.2): the new name is relative to the share root. */
export async function renameOpen(file: OpenFile, newPath: string, replaceIfExists = false): Promise<void> {
  const info = encodeFileRenameInformation({
    replaceIfExists,
    rootDirectory: 0n,
    fileName: toSmbPath(newPath),
  });
  await file.setInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileRenameInformation, info);
}

/** FileDispositionInformation (MS-FSCC 2.4.11): delete when the last handle closes. */
export async function setDeletePending(file: OpenFile, deletePending = true): Promise<void> {
  const info = encodeFileDispositionInformation({ deletePending });
  await file.setInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileDispositionInformation, info);
}

/** FileEndOfFileInformation (MS-FSCC 2.4.13): truncate or extend. */
export async function setEndOfFile(file: OpenFile, endOfFile: bigint): Promise<void> {
  const info = encodeFileEndOfFileInformation({ endOfFile });
  await file.setInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileEndOfFileInformation, info);
}

export async function queryStandardInfo(file: OpenFile): Promise<FileStandardInformation> {
  const buf = await file.queryInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileStandardInformation, {
    outputBufferLength: 24,
  });
  return decodeFileStandardInformation(buf);
}

export async function queryBasicInfo(file: OpenFile): Promise<FileBasicInformation> {
  const buf = await file.queryInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileBasicInformation, {
    outputBufferLength: 40,
  });
  return decodeFileBasicInformation(buf);
}

/** Lists a directory completely (QUERY_DIRECTORY until STATUS_NO_MORE_FILES), without . and .. */
export async function listDirectory(tree: Tree, path: string, pattern = '*'): Promise<DirectoryEntry[]> {
  const dir = await tree.open(path, { access: 'read', kind: 'directory' });
  const entries: DirectoryEntry[] = [];
  try {
    const infoClass = FileInformationClass.FileIdBothDirectoryInformation;
    for (;;) {
      const buf = await dir.queryDirectory(infoClass, pattern);
      if (!buf) break;
      for (const e of iterateDirectoryEntries(buf, infoClass)) {
        if (e.fileName !== '.' && e.fileName !== '..') entries.push(e);
      }
    }
  } finally {
    await dir.close();
  }
  return entries;
}

/** Creates a directory; an existing one is fine (FILE_OPEN_IF). */
export async function makeDirectory(tree: Tree, path: string): Promise<void> {
  const dir = await tree.open(path, {
    access: 'read',
    kind: 'directory',
    disposition: CreateDisposition.FILE_OPEN_IF,
  });
  await dir.close();
}

/** Deletes a file or an empty directory by opening it delete-on-close (MS-SMB2 2.2.13). */
export async function removePath(
  tree: Tree,
  path: string,
  kind: 'file' | 'directory' | 'any' = 'any',
): Promise<void> {
  const f = await tree.open(path, { access: 'delete', kind, options: 0x00001000 /* FILE_DELETE_ON_CLOSE */ });
  await f.close();
}
