/**
 * Ordering dependencies, ROOT/ARTC-style (docs/ir.md, "Dependencies"): an op may wait only for
 * earlier ops of the same user whose responses had arrived before it was sent. Of those, we keep
 * the few that plausibly mattered:
 *   - the latest completed op on the same handle (the create that opened it, or the previous use);
 *   - the latest completed op that created, renamed or deleted a path this op names, or its parent
 *     (for a stream `file:name`, its file);
 *   - for a QUERY_DIRECTORY of one exact name, the same for the path that name makes;
 *   - for an open, the latest completed op on any handle of its path: a delete, a truncating
 *     open or a write through the new handle must not overtake a read or write another handle
 *     finished before it (the data dependency of ROOT/ARTC), and an open with a share mode that
 *     excludes others only worked after the other handles were done;
 *   - the user's latest completed op, when nothing of the user was in flight at that moment (a
 *     strictly sequential client, like smbclient, waits for each answer before the next request).
 */
import { irJoinPath, irParentPath } from '../../ir/ir-path.js';
import { splitStreamPath } from '../../ir/ir-stream-path.js';
import type { IrPath } from '../../ir/types.js';
import { hasWildcard } from '../../smb2/fscc/search-pattern.js';
import type { PendingOp } from '../correlate/pending-op.js';
import type { UserState } from '../correlate/user-state.js';

function add(op: PendingOp, dep: PendingOp | undefined): void {
  if (dep === undefined || dep === op || dep.tResp < 0 || dep.tResp > op.tReq) return;
  if (op.deps === undefined) op.deps = [dep];
  else if (!op.deps.includes(dep)) op.deps.push(dep);
}

function addPath(op: PendingOp, user: UserState, path: IrPath): void {
  add(op, user.pathMutators.get(path.toLowerCase()));
  // A stream lives and dies with its file (MS-FSCC 2.1.5): the file is its parent here.
  const { base, stream } = splitStreamPath(path);
  const parent = stream !== undefined ? base : irParentPath(path);
  if (parent !== undefined && parent !== '') add(op, user.pathMutators.get(parent.toLowerCase()));
}

/** Called when a request is sent (after its lifter ran): picks its deps and marks it in flight. */
export function onRequest(op: PendingOp, user: UserState): void {
  add(op, op.handle?.lastCompleted);
  const path = op.fields['path'];
  if (typeof path === 'string') {
    addPath(op, user, path);
    if (op.kind === 'create') add(op, user.pathLastUse.get(path.toLowerCase()));
  }
  // A listing for one exact name (no wildcards, MS-FSCC 2.1.4.4) asks whether that path exists.
  const pattern = op.fields['pattern'];
  const dir = op.handle?.path;
  if (typeof pattern === 'string' && dir !== undefined && isExactName(pattern)) {
    addPath(op, user, irJoinPath(dir, pattern));
  }
  const info = op.fields['info'] as { newPath?: unknown } | undefined;
  if (info !== undefined && typeof info.newPath === 'string') addPath(op, user, info.newPath);
  if (user.outstanding === 0) add(op, user.lastCompleted);
  user.outstanding++;
  op.inFlight = true;
}

/**
 * Called on an interim STATUS_PENDING (MS-SMB2 3.3.4.2): the client has its answer for flow
 * control and goes on, so a CHANGE_NOTIFY or blocking LOCK that stays pending for minutes must not
 * make every later request look concurrent with it (and lose its sequential dependency).
 */
export function onInterim(op: PendingOp, user: UserState): void {
  leaveFlight(op, user);
}

/** Called when the final response arrives. */
export function onResponse(op: PendingOp, user: UserState): void {
  leaveFlight(op, user);
  const last = user.lastCompleted;
  if (last === undefined || op.tResp >= last.tResp) user.lastCompleted = op;
  if (op.handle !== undefined) op.handle.lastCompleted = op;
  if (op.newHandle !== undefined) op.newHandle.lastCompleted = op;
  const path = (op.handle ?? op.newHandle)?.path;
  if (path !== undefined) user.pathLastUse.set(path.toLowerCase(), op);
}

/** No `*`, `?` or the DOS wildcards `<`, `>`, `"` (MS-FSCC 2.1.4.4), and not empty. */
function isExactName(pattern: string): boolean {
  return pattern !== '' && !hasWildcard(pattern);
}

function leaveFlight(op: PendingOp, user: UserState): void {
  if (!op.inFlight) return;
  op.inFlight = false;
  if (user.outstanding > 0) user.outstanding--;
}

/** Records that `op` (completed) changed what exists at `path`. */
export function onPathMutated(op: PendingOp, user: UserState, path: IrPath): void {
  user.pathMutators.set(path.toLowerCase(), op);
}

/** The emitted seqs of an op's deps: same user, already emitted, sorted and unique (docs/ir.md). */
export function depSeqs(op: PendingOp): number[] {
  const deps = op.deps;
  if (deps === undefined) return [];
  const out: number[] = [];
  for (const d of deps) {
    const seq = d.seq;
    if (seq < 0 || d.user !== op.user) continue;
    // Insertion in place: an op has a handful of deps, and Array.prototype.sort allocates a work
    // array per call, which was the largest allocation per emitted op.
    let i = out.length;
    while (i > 0 && out[i - 1]! > seq) i--;
    if (i > 0 && out[i - 1] === seq) continue;
    out.push(seq);
    for (let j = out.length - 1; j > i; j--) out[j] = out[j - 1]!;
    out[i] = seq;
  }
  return out;
}
