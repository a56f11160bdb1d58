/**
 * What a capture that began mid-session assumes (docs/compiler.md, "Captures that begin
 * mid-session"): requests on SessionIds, TreeIds and FileIds whose SESSION_SETUP, TREE_CONNECT and
 * CREATE came before the recording. Like a trace replayer's initial file-system image, the compiler
 * supplies them: a user per unknown session, a tree per unknown TreeId (mapped to the replay's
 * share) and, per unknown FileId, a file that exists before the trace and a CREATE that opens it.
 */
import { Command } from '../../smb2/constants.js';
import { Fsctl } from '../../smb2/fsctl.js';
import { QueryDirectoryFlags } from '../../smb2/commands/query-directory.js';
import { NtStatus } from '../../smb2/nt-status.js';
import {
  CreateAction,
  CreateDisposition,
  FileAccessMask,
  ImpersonationLevel,
  ShareAccess,
} from '../../smb2/commands/create-constants.js';
import type { IrPath } from '../../ir/types.js';
import { HandleRef } from './handle-ref.js';
import { PendingOp } from './pending-op.js';
import { TreeKind, type TreeState } from './session-state.js';
import type { UserState } from './user-state.js';

const SMB2_RESTART_SCANS = QueryDirectoryFlags.SMB2_RESTART_SCANS;
const SMB2_REOPEN = QueryDirectoryFlags.SMB2_REOPEN;

/** Directory (under the user's tree) holding the files of FileIds opened before the capture. */
export const PREOPENED_DIR = 'smbench-preopened';

/**
 * Access for a pre-opened handle. Its CREATE is emitted before the later uses are known, so it asks
 * for everything a data handle may need (MS-SMB2 2.2.13.1.1); the replay owns the file it prepared.
 */
export const PREOPEN_DESIRED_ACCESS =
  FileAccessMask.FILE_READ_DATA |
  FileAccessMask.FILE_WRITE_DATA |
  FileAccessMask.FILE_APPEND_DATA |
  FileAccessMask.FILE_READ_EA |
  FileAccessMask.FILE_WRITE_EA |
  FileAccessMask.FILE_READ_ATTRIBUTES |
  FileAccessMask.FILE_WRITE_ATTRIBUTES |
  FileAccessMask.DELETE |
  FileAccessMask.READ_CONTROL |
  FileAccessMask.SYNCHRONIZE;

/** Share everything, so the pre-opened handle never blocks the trace's own opens. */
const PREOPEN_SHARE_ACCESS =
  ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE | ShareAccess.FILE_SHARE_DELETE;

/**
 * Pipes clients open on IPC$ (MS-SRVS, MS-WKST, MS-LSAD, MS-SAMR, MS-NRPC, MS-RPRN, MS-RRP, ...):
 * the first CREATE of an unknown tree naming one of these says the tree is IPC$.
 */
const WELL_KNOWN_PIPES = new Set([
  'srvsvc',
  'wkssvc',
  'lsarpc',
  'lsass',
  'samr',
  'netlogon',
  'spoolss',
  'winreg',
  'svcctl',
  'eventlog',
  'atsvc',
  'browser',
  'epmapper',
  'ntsvcs',
  'dssetup',
  'protected_storage',
  'mdssvc',
  'rpcecho',
  'initshutdown',
  'winspipe',
]);

export function isWellKnownPipe(path: IrPath): boolean {
  return !path.includes('/') && WELL_KNOWN_PIPES.has(path.toLowerCase());
}

/** FSCTL_PIPE_* codes all have DeviceType FILE_DEVICE_NAMED_PIPE (0x11) (MS-FSCC 2.3). */
export function isPipeFsctl(ctlCode: unknown): boolean {
  return typeof ctlCode === 'number' && ctlCode >>> 16 === 0x11;
}

/** FSCTLs only sent on IPC$: pipe FSCTLs, and DFS referral requests (MS-SMB2 3.2.4.20.3). */
export function isIpcFsctl(ctlCode: unknown): boolean {
  return (
    isPipeFsctl(ctlCode) ||
    ctlCode === Fsctl.FSCTL_DFS_GET_REFERRALS ||
    ctlCode === Fsctl.FSCTL_DFS_GET_REFERRALS_EX
  );
}

/**
 * A tree for a TreeId the capture never connected: the replay's share, until evidence says IPC.
 * Its share name is unknown, so its paths are the user's root (prefix ''), not a `<share>/`.
 */
export function synthesizedTree(treeId: number): TreeState {
  return { share: `tree-${treeId}`, kind: TreeKind.DISK, prefix: '', synthetic: true };
}

/**
 * Stable name of the file behind a FileId opened before the capture (MS-SMB2 2.2.14.1): its
 * Persistent and Volatile halves in hex without leading zeros, kept short because name-bearing
 * QUERY_INFO answers (FileAllInformation, MS-FSCC 2.4.2) must fit the buffers the trace used.
 */
export function preopenedName(pLo: number, pHi: number, vLo: number, vHi: number): string {
  return `${PREOPENED_DIR}\\fid-${compactHex(pLo, pHi)}-${compactHex(vLo, vHi)}`;
}

function compactHex(lo: number, hi: number): string {
  return hi === 0 ? lo.toString(16) : `${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

/**
 * The CREATE a pre-opened FileId stands for: FILE_OPEN of `path`, answered at once at `op`'s time,
 * so `op` (and every later use of the FileId) depends on it like on a real CREATE.
 */
export function preopenCreate(op: PendingOp, path: IrPath, isDirectory: boolean): PendingOp {
  const create = new PendingOp(op.conn, -1, Command.CREATE, op.tReq);
  create.kind = 'create';
  create.user = op.user;
  create.session = op.session;
  create.tree = op.tree;
  create.frame = op.frame;
  create.fields = {
    path,
    desiredAccess: PREOPEN_DESIRED_ACCESS,
    fileAttributes: 0,
    shareAccess: PREOPEN_SHARE_ACCESS,
    createDisposition: CreateDisposition.FILE_OPEN,
    // Neither FILE_DIRECTORY_FILE nor FILE_NON_DIRECTORY_FILE: opens whatever prepare made.
    createOptions: 0,
    oplockLevel: 0,
    impersonationLevel: ImpersonationLevel.Impersonation,
    createAction: CreateAction.FILE_OPENED,
    isDirectory,
    synthetic: true,
  };
  create.status = 0;
  create.tResp = op.tReq;
  create.complete = true;
  const handle = new HandleRef(path, create, false);
  handle.isDirectory = isDirectory;
  create.newHandle = handle;
  return create;
}

/** The handle stands for a FileId opened before the capture. */
export function isPreopened(handle: HandleRef): boolean {
  return handle.create.fields['synthetic'] === true;
}

/**
 * A later op showed that a pre-opened FileId is a directory (a listing, a watch, directory
 * attributes): prepare must make a directory. Its synthesised CREATE, with neither
 * FILE_DIRECTORY_FILE nor FILE_NON_DIRECTORY_FILE, opens either kind, so it needs no change.
 */
export function learnedDirectory(user: UserState, handle: HandleRef): void {
  if (handle.isDirectory === true) return;
  handle.isDirectory = true;
  user.namespace.exists(handle.path, 'dir');
}

/**
 * A listing of a pre-opened directory whose first QUERY_DIRECTORY in the capture already answered
 * STATUS_NO_MORE_FILES continues an enumeration begun before the capture (MS-SMB2 3.3.5.18: the
 * open keeps its position). A fresh open would list from the start, so the listing's start is
 * synthesised too: one `*` QUERY_DIRECTORY (which always returns at least `.` and `..`) between the
 * CREATE and `op`, which then waits for it. Returns false when `op` is not such a continuation.
 */
export function continueListing(op: PendingOp, status: number): boolean {
  const preludes = op.preludes;
  const create = preludes?.[0];
  const flags = op.fields['flags'];
  if (status !== NtStatus.STATUS_NO_MORE_FILES || preludes?.length !== 1 || create?.newHandle !== op.handle)
    return false;
  if (typeof flags !== 'number' || (flags & (SMB2_RESTART_SCANS | SMB2_REOPEN)) !== 0) return false;
  const start = new PendingOp(op.conn, -1, Command.QUERY_DIRECTORY, op.tReq);
  start.kind = 'query_directory';
  start.user = op.user;
  start.session = op.session;
  start.tree = op.tree;
  start.frame = op.frame;
  start.handle = op.handle;
  start.fields = {
    infoClass: op.fields['infoClass'],
    flags: 0,
    pattern: '*',
    outputBufferLength: op.fields['outputBufferLength'],
    synthetic: true,
  };
  start.status = 0;
  start.tResp = op.tReq;
  start.complete = true;
  start.deps = [create!];
  preludes.push(start);
  if (op.deps === undefined) op.deps = [start];
  else op.deps.push(start);
  return true;
}
