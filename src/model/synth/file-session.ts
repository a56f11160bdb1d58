/**
 * Turns one chain walk (a path role and the actions on the handle) into IR ops: the path the role
 * calls for (session-path.ts), the create request (create-choice.ts), one op per action
 * (session-actions.ts) and the close, after which the user's tree and locality are updated.
 * Ops come out with `seq: 0, deps: []`; the merger numbers them and chains each user's ops.
 */
import { irParentPath } from '../../ir/index.js';
import type { IrOp, UserId } from '../../ir/index.js';
import { CreateAction, CreateOptions } from '../../smb2/commands/create-constants.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { sampleWeighted } from '../categorical.js';
import type { UserModel } from '../model-types.js';
import type { PathRole, SessionAction } from '../path-role.js';
import type { Prng } from '../prng.js';
import { chooseCreate, openExisting } from './create-choice.js';
import { ACTION_BUILDERS } from './session-actions.js';
import type { OpenSession } from './session-actions.js';
import { resolvePath } from './session-path.js';
import type { Locality } from './session-path.js';
import type { UserFiles } from './user-files.js';

export type { Locality } from './session-path.js';

export interface SessionInput {
  readonly user: UserId;
  readonly model: UserModel;
  readonly rng: Prng;
  readonly files: UserFiles;
  readonly here: Locality;
}

/** Ops of one session starting at `t0`; `gap()` gives the think time before each later op. */
export function synthesizeSession(
  input: SessionInput,
  wantedRole: PathRole,
  actions: readonly SessionAction[],
  t0: number,
  gap: () => number,
): IrOp[] {
  const { user, model, rng, files, here } = input;
  const { role, path } = resolvePath(model, rng, files, here, wantedRole);
  const template = chooseCreate(model, role, actions, rng);
  const at = { seq: 0, user, t: t0 };
  if (role === 'missing') {
    // MS-ERREF 2.3.1: what opening a name that does not exist returns.
    return [
      { ...at, op: 'create', path, ...template, status: NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, deps: [] },
    ];
  }
  const isDir = role === 'dir' || role === 'new_dir';
  let createAction: number = CreateAction.FILE_CREATED;
  if (role === 'new') files.files.set(path, 0);
  else if (role === 'new_dir') files.dirs.push(path);
  else if (isDir) createAction = CreateAction.FILE_OPENED;
  else {
    const open = openExisting(template.createDisposition);
    createAction = open.action;
    if (open.truncates) files.files.set(path, 0);
  }
  const handle = `h${here.nextHandle++}`;
  const ops: IrOp[] = [
    { ...at, op: 'create', path, handle, ...template, createAction, isDirectory: isDir, status: 0, deps: [] },
  ];
  const session: OpenSession = {
    user,
    model,
    rng,
    files,
    here,
    handle,
    isDir,
    mayRemoveDir: role === 'new_dir',
    path,
    readCursor: 0,
    // Writes append to a file opened as it was, and start at 0 in a new or truncated one.
    writeCursor: createAction === CreateAction.FILE_OPENED ? (files.files.get(path) ?? 0) : 0,
    listed: false,
    held: undefined,
    deletePending: (template.createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) !== 0,
  };
  let t = t0;
  for (const action of actions.slice(1)) {
    if (action === 'close') break;
    if (action === 'create') continue;
    t += gap();
    const op = ACTION_BUILDERS[action](session, t);
    if (op) ops.push(op);
  }
  t += gap();
  const flags = sampleWeighted(model.templates.close, rng) ?? 0;
  ops.push({ seq: 0, user, t, op: 'close', handle, flags, status: 0, deps: [] });
  closeSession(session);
  return ops;
}

/** Applies delete-on-close and moves the user's locality to what the session touched. */
function closeSession(s: OpenSession): void {
  const gone = s.deletePending && (!s.isDir || s.mayRemoveDir);
  if (gone) {
    if (s.isDir) s.files.dirs.splice(s.files.dirs.indexOf(s.path), 1);
    else s.files.files.delete(s.path);
  }
  s.here.prevPath = s.path;
  s.here.prevWasDir = s.isDir;
  s.here.location = s.isDir && !gone ? s.path : (irParentPath(s.path) ?? '');
}
