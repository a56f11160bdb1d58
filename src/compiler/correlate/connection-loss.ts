/**
 * A connection that ends on the wire with opens still held. When the last connection of a session
 * goes away the server tears the session down and closes every open it had (MS-SMB2 3.3.7.1,
 * 3.3.4.21 "Session.OpenTable"), running delete-on-close as a CLOSE would (MS-FSA 2.1.5.4). Test
 * suites (smbtorture) and crashed or killed clients leave files open like that; the replay keeps
 * one session per user for the whole workload, so without these CLOSEs its opens outlive the
 * recorded ones and later opens meet sharing violations and pending deletes the capture never had.
 * Opens that asked to be durable (DHnQ/DH2Q, 2.2.13.2.3/.11) or were reconnected as such
 * (DHnC/DH2C) are preserved for a reconnect instead (3.3.7.1), so they are left open.
 */
import { Command } from '../../smb2/constants.js';
import type { HandleRef } from './handle-ref.js';
import type { ConnectionState } from './connection-state.js';
import { PendingOp } from './pending-op.js';
import type { SessionState } from './session-state.js';

/** Durable requests and reconnects (2.2.13.2.3/.4/.11/.12): a reconnected open stays durable. */
const DURABLE_REQUESTS = new Set(['DHnQ', 'DH2Q', 'DHnC', 'DH2C']);

function askedDurable(handle: HandleRef): boolean {
  const contexts = handle.create.fields['contexts'];
  return Array.isArray(contexts) && contexts.some((c) => DURABLE_REQUESTS.has(c as string));
}

/** Opens of `session` the server closes when its last connection is lost. */
export function opensClosedWithSession(session: SessionState): HandleRef[] {
  const left: HandleRef[] = [];
  for (const handle of session.handles.values()) {
    if (handle.closed || !handle.bound || handle.ipc || askedDurable(handle)) continue;
    left.push(handle);
  }
  return left;
}

/** The CLOSE the server performed itself, answered at once at the connection's end. */
export function implicitClose(
  conn: ConnectionState,
  session: SessionState,
  handle: HandleRef,
  tsMicros: number,
  frame: number,
): PendingOp {
  const op = new PendingOp(conn, -1, Command.CLOSE, tsMicros);
  op.kind = 'close';
  op.user = session.user;
  op.session = session;
  op.tree = handle.create.tree;
  op.frame = frame;
  op.handle = handle;
  op.fields = { flags: 0, synthetic: true };
  op.status = 0;
  op.tResp = tsMicros;
  op.complete = true;
  return op;
}
