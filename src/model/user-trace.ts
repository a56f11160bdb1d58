/**
 * One user's trace cut into file sessions as `model learn` reads it: a session is a successful
 * create, the ops on its handle, and its close. Sessions are kept in create order (as role +
 * action lists, one small string per op), so sessions that overlapped in time are serialised the
 * way synthesis replays them: one open file at a time.
 */
import { irParentPath, isNtError } from '../ir/index.js';
import type { IrCreateOp, IrOp } from '../ir/index.js';
import { CreateAction, CreateDisposition, CreateOptions } from '../smb2/commands/create-constants.js';
import type { PathRole, SessionAction } from './path-role.js';

export interface FileSession {
  readonly role: PathRole;
  readonly actions: SessionAction[];
}

export class UserTrace {
  readonly sessions: FileSession[] = [];
  readonly withinGaps: number[] = [];
  readonly betweenGaps: number[] = [];
  /** Ops of kinds (or on handles) the model has no state for, by kind. */
  readonly skipped = new Map<string, number>();
  /** Paths of directory sessions, to learn how often the root is listed. */
  dirOpens = 0;
  rootDirOpens = 0;
  readonly createdNames: string[] = [];
  ops = 0;
  firstT = 0;
  lastEnd = 0;
  private lastT: number | undefined;
  private readonly open = new Map<string, FileSession>();
  private prevPath: string | undefined;
  private prevWasDir = false;

  add(op: IrOp): void {
    if (this.lastT === undefined) this.firstT = op.t;
    else (op.op === 'create' ? this.betweenGaps : this.withinGaps).push(op.t - this.lastT);
    this.lastT = op.t;
    this.ops++;
    this.lastEnd = Math.max(this.lastEnd, op.t + (op.latencyUs ?? 0));
    if (op.op === 'create') return this.addCreate(op);
    const action = sessionAction(op);
    const session = 'handle' in op && op.handle !== undefined ? this.open.get(op.handle) : undefined;
    if (action === undefined || session === undefined) {
      const key = action === undefined ? kindKey(op) : `${op.op} (handle not opened in the trace)`;
      this.skipped.set(key, (this.skipped.get(key) ?? 0) + 1);
      return;
    }
    session.actions.push(action);
    if (op.op === 'close') this.open.delete(op.handle);
  }

  private addCreate(op: IrCreateOp): void {
    const role = this.roleOf(op);
    const session: FileSession = { role, actions: ['create'] };
    this.sessions.push(session);
    if (role === 'missing') return;
    if (op.handle !== undefined) this.open.set(op.handle, session);
    const isDir = role === 'dir' || role === 'new_dir';
    if (role === 'dir') {
      this.dirOpens++;
      if (op.path === '') this.rootDirOpens++;
    }
    if (role === 'new') this.createdNames.push(op.path);
    this.prevPath = op.path;
    this.prevWasDir = isDir;
  }

  private roleOf(op: IrCreateOp): PathRole {
    if (isNtError(op.status)) return 'missing';
    const created =
      op.createAction === CreateAction.FILE_CREATED ||
      (op.createAction === undefined && op.createDisposition === CreateDisposition.FILE_CREATE);
    const isDir = op.isDirectory ?? (op.createOptions & CreateOptions.FILE_DIRECTORY_FILE) !== 0;
    if (isDir) return created ? 'new_dir' : 'dir';
    if (created) return 'new';
    const prev = this.prevPath;
    if (prev === undefined) return 'other';
    if (op.path === prev) return 'same';
    const parent = irParentPath(op.path) ?? '';
    if (this.prevWasDir && parent === prev) return 'child';
    if (!this.prevWasDir && parent === (irParentPath(prev) ?? '')) return 'sibling';
    return 'other';
  }
}

function kindKey(op: IrOp): string {
  return op.op === 'set_info' ? `set_info.${op.info.kind}` : op.op;
}

/** The session action an op stands for, or undefined for kinds the model does not synthesise. */
function sessionAction(op: IrOp): SessionAction | undefined {
  switch (op.op) {
    case 'read':
    case 'write':
    case 'flush':
    case 'lock':
    case 'query_info':
    case 'query_directory':
    case 'close':
      return op.op;
    case 'set_info':
      return op.info.kind === 'other' ? undefined : `set_info.${op.info.kind}`;
    default:
      // echo, cancel, ioctl, change_notify: no file-session meaning the model can reproduce.
      return undefined;
  }
}
