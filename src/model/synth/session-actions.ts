/**
 * One builder per action on an open handle: each turns the action into an IR op (or nothing, when
 * it makes no sense on this object, e.g. a write on a directory) and updates the session and the
 * user's tree, so offsets follow the file's real size and statuses are what a correct server
 * returns (MS-SMB2 3.3.5.x; NTSTATUS values MS-ERREF 2.3.1).
 */
import { irJoinPath, irParentPath } from '../../ir/index.js';
import type { IrOp, OpKind, UserId } from '../../ir/index.js';
import { LockFlags } from '../../smb2/commands/lock.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { sampleWeighted } from '../categorical.js';
import type { LockTemplate, UserModel } from '../model-types.js';
import type { SessionAction } from '../path-role.js';
import type { Prng } from '../prng.js';
import { sampleQuantiles } from '../quantile-table.js';
import { queryDirectoryStatus } from './directory-match.js';
import type { Locality } from './session-path.js';
import type { UserFiles } from './user-files.js';

/** The lock a model without lock templates takes: one byte, exclusive, failing at once. */
const DEFAULT_LOCK: LockTemplate = {
  offset: 0,
  length: 1,
  flags: LockFlags.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY,
};
const DEFAULT_IO = 4096;

/** One open handle while its session is synthesised. */
export interface OpenSession {
  readonly user: UserId;
  readonly model: UserModel;
  readonly rng: Prng;
  readonly files: UserFiles;
  readonly here: Locality;
  readonly handle: string;
  readonly isDir: boolean;
  /** Renaming or deleting a directory is only safe for one this session made (still empty). */
  readonly mayRemoveDir: boolean;
  path: string;
  readCursor: number;
  writeCursor: number;
  listed: boolean;
  held: LockTemplate | undefined;
  deletePending: boolean;
}

type HandleAction = Exclude<SessionAction, 'create' | 'close'>;
type Builder = (s: OpenSession, t: number) => IrOp | undefined;

/** The fields every handle op starts with, in the order compiled workloads write them. */
function head<K extends OpKind>(
  s: OpenSession,
  t: number,
  op: K,
): { seq: number; user: UserId; t: number; op: K; handle: string } {
  return { seq: 0, user: s.user, t, op, handle: s.handle };
}

function sizeOf(s: OpenSession): number {
  return s.files.files.get(s.path) ?? 0;
}

const read: Builder = (s, t) => {
  const length = Math.max(1, sampleQuantiles(s.model.sizes.read, s.rng, DEFAULT_IO));
  const size = sizeOf(s);
  if (s.readCursor >= size) s.readCursor = 0;
  const offset = s.readCursor;
  if (s.isDir || size === 0) {
    const status = s.isDir ? NtStatus.STATUS_INVALID_DEVICE_REQUEST : NtStatus.STATUS_END_OF_FILE;
    return { ...head(s, t, 'read'), offset, length, status, deps: [] };
  }
  const dataLength = Math.min(length, size - offset);
  s.readCursor += dataLength;
  return { ...head(s, t, 'read'), offset, length, dataLength, status: 0, deps: [] };
};

const write: Builder = (s, t) => {
  if (s.isDir) return undefined;
  const length = Math.max(1, sampleQuantiles(s.model.sizes.write, s.rng, DEFAULT_IO));
  const offset = s.writeCursor;
  s.writeCursor += length;
  s.files.files.set(s.path, Math.max(sizeOf(s), s.writeCursor));
  return { ...head(s, t, 'write'), offset, length, written: length, status: 0, deps: [] };
};

/** Lock, then unlock what is held: an unlock of nothing would be STATUS_RANGE_NOT_LOCKED. */
const lock: Builder = (s, t) => {
  const held = s.held;
  if (held !== undefined) {
    s.held = undefined;
    const range = { offset: held.offset, length: held.length, flags: LockFlags.SMB2_LOCKFLAG_UNLOCK };
    return { ...head(s, t, 'lock'), locks: [range], status: 0, deps: [] };
  }
  const range = sampleWeighted(s.model.templates.lock, s.rng) ?? DEFAULT_LOCK;
  s.held = range;
  return { ...head(s, t, 'lock'), locks: [{ ...range }], status: 0, deps: [] };
};

const queryInfo: Builder = (s, t) => {
  const q = sampleWeighted(s.model.templates.queryInfo, s.rng);
  if (q === undefined) return undefined;
  const { status, ...request } = q;
  return { ...head(s, t, 'query_info'), ...request, status, deps: [] };
};

const queryDirectory: Builder = (s, t) => {
  const q = sampleWeighted(s.model.templates.queryDirectory, s.rng);
  if (q === undefined) return undefined;
  const status = queryDirectoryStatus(s.files, s.path, s.isDir, q, s.listed);
  s.listed = true;
  return { ...head(s, t, 'query_directory'), ...q, status, deps: [] };
};

const rename: Builder = (s, t) => {
  if (s.isDir && !s.mayRemoveDir) return undefined;
  const name = s.isDir ? s.files.freshName('rendir-', '') : s.files.freshName('ren-');
  const newPath = irJoinPath(irParentPath(s.path) ?? '', name);
  if (s.isDir) s.files.dirs[s.files.dirs.indexOf(s.path)] = newPath;
  else {
    const size = sizeOf(s);
    s.files.files.delete(s.path);
    s.files.files.set(newPath, size);
  }
  if (s.here.location === s.path) s.here.location = newPath;
  s.path = newPath;
  const info = { kind: 'rename', newPath, replaceIfExists: false } as const;
  return { ...head(s, t, 'set_info'), info, status: 0, deps: [] };
};

const disposition: Builder = (s, t) => {
  if (s.isDir && !s.mayRemoveDir) return undefined;
  s.deletePending = true;
  const info = { kind: 'disposition', deletePending: true } as const;
  return { ...head(s, t, 'set_info'), info, status: 0, deps: [] };
};

function resize(kind: 'end_of_file' | 'allocation'): Builder {
  return (s, t) => {
    if (s.isDir) return undefined;
    const size = sampleQuantiles(s.model.sizes.endOfFile, s.rng, 0);
    if (kind === 'end_of_file') s.files.files.set(s.path, size);
    return { ...head(s, t, 'set_info'), info: { kind, size }, status: 0, deps: [] };
  };
}

export const ACTION_BUILDERS: Readonly<Record<HandleAction, Builder>> = {
  read,
  write,
  flush: (s, t) => ({ ...head(s, t, 'flush'), status: 0, deps: [] }),
  lock,
  query_info: queryInfo,
  query_directory: queryDirectory,
  'set_info.rename': rename,
  'set_info.disposition': disposition,
  'set_info.end_of_file': resize('end_of_file'),
  'set_info.allocation': resize('allocation'),
  // Attributes 0 and no times: "leave everything unchanged" (MS-FSCC 2.4.7).
  'set_info.basic': (s, t) => ({
    ...head(s, t, 'set_info'),
    info: { kind: 'basic', attributes: 0, times: {} },
    status: 0,
    deps: [],
  }),
};
