/**
 * The op kind -> executor table. `cancel` has no executor: it sends nothing of its own in the IR
 * sense, it aborts the pending op it names (virtual-user.ts), which makes the client send SMB2
 * CANCEL (MS-SMB2 3.2.4.24).
 */
import type { IrOp, OpKind } from '../../ir/types.js';
import { closeExecutor } from './close.js';
import { createExecutor } from './create.js';
import { flushExecutor, readExecutor, writeExecutor } from './data.js';
import { changeNotifyExecutor, queryDirectoryExecutor } from './directory.js';
import { echoExecutor } from './echo.js';
import { queryInfoExecutor, setInfoExecutor } from './info.js';
import { ioctlExecutor } from './ioctl.js';
import { lockExecutor } from './lock.js';
import type { OpExecutor } from './op-executor.js';

export type WireOpKind = Exclude<OpKind, 'cancel'>;

const EXECUTORS: { readonly [K in WireOpKind]: OpExecutor<K> } = {
  create: createExecutor,
  close: closeExecutor,
  flush: flushExecutor,
  read: readExecutor,
  write: writeExecutor,
  lock: lockExecutor,
  ioctl: ioctlExecutor,
  echo: echoExecutor,
  query_directory: queryDirectoryExecutor,
  change_notify: changeNotifyExecutor,
  query_info: queryInfoExecutor,
  set_info: setInfoExecutor,
};

/** The executor for an op that goes on the wire (every kind but cancel). */
export function executorFor(op: Exclude<IrOp, { op: 'cancel' }>): OpExecutor<WireOpKind> {
  return EXECUTORS[op.op] as unknown as OpExecutor<WireOpKind>;
}

export type { CallOptions, OpExecutor, OpResult, WireReply, WireRequest } from './op-executor.js';
