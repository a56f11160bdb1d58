/**
 * Turns one chain walk (a path role and the actions on the handle) into IR ops: picks the path
 * the role calls for in the user's current namespace, the create request, offsets that follow a
 * file's real size, and the status a correct server returns (so replay fidelity is meaningful).
 * Ops come out with `seq: 0, deps: []`; the merger numbers them and chains each user's ops.
 */
import { irJoinPath, irParentPath } from '../../ir/index.js';
import type { IrOp, UserId } from '../../ir/index.js';
import { sampleWeighted } from '../categorical.js';
import type { LockTemplate, UserModel } from '../model-types.js';
import type { PathRole, SessionAction } from '../path-role.js';
import type { Prng } from '../prng.js';
import { sampleQuantiles } from '../quantile-table.js';
import { chooseCreate, CreateAction, FILE_DELETE_ON_CLOSE, openExisting } from './create-choice.js';
import { queryDirectoryStatus } from './directory-match.js';
import type { UserFiles } from './user-files.js';

/** NTSTATUS values a correct server returns here (MS-ERREF 2.3.1). */
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
const STATUS_END_OF_FILE = 0xc0000011;
/** SMB2_LOCKFLAG_UNLOCK (MS-SMB2 2.2.26.1). */
const SMB2_LOCKFLAG_UNLOCK = 0x4;
const DEFAULT_IO = 4096;

/** Where the user "is", carried from session to session (for same / sibling / child / new). */
export interface Locality {
  prevPath: string | undefined;
  prevWasDir: boolean;
  /** The directory new names go into. */
  location: string;
  nextHandle: number;
  /** Sessions whose role could not be honoured (e.g. `same` after a delete) and used another. */
  fallbacks: number;
}

export interface SessionInput {
  readonly user: UserId;
  readonly model: UserModel;
  readonly rng: Prng;
  readonly files: UserFiles;
  readonly here: Locality;
}

type Draft = IrOp;

function base(user: UserId, t: number): { seq: number; user: UserId; t: number } {
  return { seq: 0, user, t };
}

/** The path for a role, or the role actually used when the namespace cannot honour it. */
function resolvePath(input: SessionInput, wanted: PathRole): { role: PathRole; path: string } {
  const { files, here, rng, model } = input;
  const existing = (candidates: string[]): string | undefined =>
    candidates.length > 0 ? rng.pick(candidates) : undefined;
  let path: string | undefined;
  switch (wanted) {
    case 'dir':
      return { role: wanted, path: rng.next() < model.namespace.rootDirShare ? '' : rng.pick(files.dirs) };
    case 'new_dir':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('newdir-', '')) };
    case 'new':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('new-')) };
    case 'missing':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('missing-')) };
    case 'same':
      path = here.prevPath !== undefined && files.files.has(here.prevPath) ? here.prevPath : undefined;
      break;
    case 'sibling':
      if (here.prevPath !== undefined && !here.prevWasDir) {
        const dir = irParentPath(here.prevPath) ?? '';
        path = existing(files.filesIn(dir).filter((p) => p !== here.prevPath));
      }
      break;
    case 'child':
      if (here.prevPath !== undefined && here.prevWasDir) path = existing(files.filesIn(here.prevPath));
      break;
    case 'other':
      path = existing([...files.files.keys()]);
      break;
  }
  if (path !== undefined) return { role: wanted, path };
  here.fallbacks++;
  const other = existing([...files.files.keys()]);
  if (other !== undefined) return { role: 'other', path: other };
  return { role: 'new', path: irJoinPath(here.location, files.freshName('new-')) };
}

/** Ops of one session starting at `t0`; `gap()` gives the think time before each later op. */
export function synthesizeSession(
  input: SessionInput,
  wantedRole: PathRole,
  actions: readonly SessionAction[],
  t0: number,
  gap: () => number,
): Draft[] {
  const { user, model, rng, files, here } = input;
  const { role, path: openedPath } = resolvePath(input, wantedRole);
  const template = chooseCreate(model, role, actions, rng);
  const ops: Draft[] = [];
  let t = t0;
  const isDir = role === 'dir' || role === 'new_dir';
  if (role === 'missing') {
    ops.push({
      ...base(user, t),
      op: 'create',
      path: openedPath,
      ...template,
      status: STATUS_OBJECT_NAME_NOT_FOUND,
      deps: [],
    });
    return ops;
  }
  const handle = `h${here.nextHandle++}`;
  let path = openedPath;
  let createAction: number = CreateAction.CREATED;
  if (role === 'new') files.files.set(path, 0);
  else if (role === 'new_dir') files.dirs.push(path);
  else if (!isDir) {
    const open = openExisting(template.createDisposition);
    createAction = open.action;
    if (open.truncates) files.files.set(path, 0);
  } else createAction = CreateAction.OPENED;
  ops.push({
    ...base(user, t),
    op: 'create',
    path,
    handle,
    ...template,
    createAction,
    isDirectory: isDir,
    status: 0,
    deps: [],
  });

  let readCursor = 0;
  let writeCursor = role === 'new' || createAction !== CreateAction.OPENED ? 0 : (files.files.get(path) ?? 0);
  let listed = false;
  let held: LockTemplate | undefined;
  let deletePending = (template.createOptions & FILE_DELETE_ON_CLOSE) !== 0;
  // Renaming or deleting a directory is only safe for one this session made (it is still empty).
  const mayRemoveDir = role === 'new_dir';
  for (const action of actions.slice(1)) {
    if (action === 'close') break;
    t += gap();
    const at = base(user, t);
    const size = files.files.get(path) ?? 0;
    switch (action) {
      case 'read': {
        const length = Math.max(1, sampleQuantiles(model.sizes.read, rng, DEFAULT_IO));
        if (readCursor >= size) readCursor = 0;
        const offset = readCursor;
        if (isDir || size === 0) {
          ops.push({
            ...at,
            op: 'read',
            handle,
            offset,
            length,
            status: isDir ? 0xc0000010 : STATUS_END_OF_FILE,
            deps: [],
          });
          break;
        }
        const dataLength = Math.min(length, size - offset);
        readCursor += dataLength;
        ops.push({ ...at, op: 'read', handle, offset, length, dataLength, status: 0, deps: [] });
        break;
      }
      case 'write': {
        if (isDir) break;
        const length = Math.max(1, sampleQuantiles(model.sizes.write, rng, DEFAULT_IO));
        const offset = writeCursor;
        writeCursor += length;
        files.files.set(path, Math.max(size, writeCursor));
        ops.push({ ...at, op: 'write', handle, offset, length, written: length, status: 0, deps: [] });
        break;
      }
      case 'flush':
        ops.push({ ...at, op: 'flush', handle, status: 0, deps: [] });
        break;
      case 'lock': {
        if (held !== undefined) {
          ops.push({
            ...at,
            op: 'lock',
            handle,
            locks: [{ offset: held.offset, length: held.length, flags: SMB2_LOCKFLAG_UNLOCK }],
            status: 0,
            deps: [],
          });
          held = undefined;
          break;
        }
        const lock = sampleWeighted(model.templates.lock, rng) ?? { offset: 0, length: 1, flags: 0x12 };
        held = lock;
        ops.push({ ...at, op: 'lock', handle, locks: [{ ...lock }], status: 0, deps: [] });
        break;
      }
      case 'query_info': {
        const q = sampleWeighted(model.templates.queryInfo, rng);
        if (q === undefined) break;
        const { status, ...request } = q;
        ops.push({ ...at, op: 'query_info', handle, ...request, status, deps: [] });
        break;
      }
      case 'query_directory': {
        const q = sampleWeighted(model.templates.queryDirectory, rng);
        if (q === undefined) break;
        const status = queryDirectoryStatus(files, path, isDir, q, listed);
        listed = true;
        ops.push({ ...at, op: 'query_directory', handle, ...q, status, deps: [] });
        break;
      }
      case 'set_info.rename': {
        if (isDir && !mayRemoveDir) break;
        const newPath = irJoinPath(
          irParentPath(path) ?? '',
          files.freshName(isDir ? 'rendir-' : 'ren-', isDir ? '' : undefined),
        );
        ops.push({
          ...at,
          op: 'set_info',
          handle,
          info: { kind: 'rename', newPath, replaceIfExists: false },
          status: 0,
          deps: [],
        });
        if (isDir) files.dirs[files.dirs.indexOf(path)] = newPath;
        else {
          files.files.delete(path);
          files.files.set(newPath, size);
        }
        if (here.location === path) here.location = newPath;
        path = newPath;
        break;
      }
      case 'set_info.disposition':
        if (isDir && !mayRemoveDir) break;
        deletePending = true;
        ops.push({
          ...at,
          op: 'set_info',
          handle,
          info: { kind: 'disposition', deletePending: true },
          status: 0,
          deps: [],
        });
        break;
      case 'set_info.end_of_file':
      case 'set_info.allocation': {
        if (isDir) break;
        const newSize = sampleQuantiles(model.sizes.endOfFile, rng, 0);
        const kind = action === 'set_info.end_of_file' ? 'end_of_file' : 'allocation';
        if (kind === 'end_of_file') files.files.set(path, newSize);
        ops.push({ ...at, op: 'set_info', handle, info: { kind, size: newSize }, status: 0, deps: [] });
        break;
      }
      case 'set_info.basic':
        // Attributes 0 and no times: "leave everything unchanged" (MS-FSCC 2.4.7).
        ops.push({
          ...at,
          op: 'set_info',
          handle,
          info: { kind: 'basic', attributes: 0, times: {} },
          status: 0,
          deps: [],
        });
        break;
      case 'create':
        break;
    }
  }
  t += gap();
  const flags = sampleWeighted(model.templates.close, rng) ?? 0;
  ops.push({ ...base(user, t), op: 'close', handle, flags, status: 0, deps: [] });

  if (deletePending && (!isDir || mayRemoveDir)) {
    if (isDir) files.dirs.splice(files.dirs.indexOf(path), 1);
    else files.files.delete(path);
  }
  here.prevPath = path;
  here.prevWasDir = isDir;
  const gone = deletePending && (!isDir || mayRemoveDir);
  here.location = isDir && !gone ? path : (irParentPath(path) ?? '');
  return ops;
}
