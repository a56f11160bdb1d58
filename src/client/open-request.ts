import {
  CreateDisposition,
  CreateOptions,
  FileAccessMask,
  ImpersonationLevel,
  OplockLevel,
  ShareAccess,
  type CreateRequest,
} from '../smb2/commands/create.js';

/** Everything `openRequest` lets a caller say in plain words; the rest gets safe defaults. */
export interface OpenIntent {
  /** What the handle will do; maps to DesiredAccess (MS-SMB2 2.2.13.1). Default 'read'. */
  access?: 'read' | 'write' | 'readwrite' | 'delete' | 'attributes' | number;
  /** Default FILE_OPEN. */
  disposition?: number;
  /** Open a directory (FILE_DIRECTORY_FILE) or insist on a file (FILE_NON_DIRECTORY_FILE). */
  kind?: 'file' | 'directory' | 'any';
  /** Default: share read, write and delete, so benchmark users never collide on locks. */
  shareAccess?: number;
  /** Extra CreateOptions bits, e.g. FILE_DELETE_ON_CLOSE or FILE_WRITE_THROUGH. */
  options?: number;
  fileAttributes?: number;
  oplockLevel?: number;
}

const ACCESS_BY_NAME = {
  read: FileAccessMask.FILE_READ_DATA | FileAccessMask.FILE_READ_ATTRIBUTES | FileAccessMask.SYNCHRONIZE,
  write:
    FileAccessMask.FILE_WRITE_DATA |
    FileAccessMask.FILE_APPEND_DATA |
    FileAccessMask.FILE_READ_ATTRIBUTES |
    FileAccessMask.SYNCHRONIZE,
  readwrite:
    FileAccessMask.FILE_READ_DATA |
    FileAccessMask.FILE_WRITE_DATA |
    FileAccessMask.FILE_APPEND_DATA |
    FileAccessMask.FILE_READ_ATTRIBUTES |
    FileAccessMask.FILE_WRITE_ATTRIBUTES |
    FileAccessMask.SYNCHRONIZE,
  delete: FileAccessMask.DELETE | FileAccessMask.FILE_READ_ATTRIBUTES | FileAccessMask.SYNCHRONIZE,
  attributes:
    FileAccessMask.FILE_READ_ATTRIBUTES | FileAccessMask.FILE_WRITE_ATTRIBUTES | FileAccessMask.SYNCHRONIZE,
} as const;

/**
 * Builds a CREATE request from intent. Paths use either slash and are sent with backslashes and
 * no leading separator, as MS-SMB2 2.2.13 requires for names relative to the share root.
 */
export function openRequest(path: string, intent: OpenIntent = {}): CreateRequest {
  const access = intent.access ?? 'read';
  const kindOption =
    intent.kind === 'directory'
      ? CreateOptions.FILE_DIRECTORY_FILE
      : intent.kind === 'file'
        ? CreateOptions.FILE_NON_DIRECTORY_FILE
        : 0;
  return {
    requestedOplockLevel: intent.oplockLevel ?? OplockLevel.SMB2_OPLOCK_LEVEL_NONE,
    impersonationLevel: ImpersonationLevel.Impersonation,
    desiredAccess: typeof access === 'number' ? access : ACCESS_BY_NAME[access],
    fileAttributes: intent.fileAttributes ?? 0,
    shareAccess:
      intent.shareAccess ??
      ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE | ShareAccess.FILE_SHARE_DELETE,
    createDisposition: intent.disposition ?? CreateDisposition.FILE_OPEN,
    createOptions: kindOption | (intent.options ?? 0),
    name: toSmbPath(path),
    createContexts: [],
  };
}

/** 'a/b/c' or '/a\\b' -> 'a\\b\\c' (MS-SMB2 2.2.13: no leading backslash). */
export function toSmbPath(path: string): string {
  return path.replace(/\//g, '\\').replace(/^\\+/, '').replace(/\\+$/, '');
}
