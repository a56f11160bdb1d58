/**
 * Which known cause (observe/fidelity-notes.ts), if any, explains a replayed status that differs
 * from the recorded one. Decided where the op ran, because only there is the compound context known.
 */
import type { IrOp } from '../ir/types.js';
import { FidelityNote } from '../observe/fidelity-notes.js';
import { isNtError, NtStatus } from '../smb2/nt-status.js';
import type { WireReply } from './ops/op-executor.js';
import { isRefusedStreamOp } from './stream-refusal.js';

/** The first op of a related compound chain, as replayed. */
export interface ChainHead {
  /** Path of the chain's CREATE, if it starts with one. */
  readonly createPath: string | undefined;
  /** Status the target gave that CREATE in this replay. */
  readonly createStatus: number | undefined;
}

export function fidelityNoteFor(op: IrOp, status: number, head?: ChainHead): FidelityNote | undefined {
  if (status >>> 0 === op.status >>> 0) return undefined;
  const path = op.op === 'create' ? op.path : head?.createPath;
  if (isRefusedStreamOp(path, status, op.status)) return FidelityNote.streamsRefused;
  if (
    head?.createStatus !== undefined &&
    op.op !== 'create' &&
    op.compound?.related === true &&
    op.status >>> 0 === NtStatus.STATUS_FILE_CLOSED &&
    isNtError(head.createStatus) &&
    status >>> 0 === head.createStatus >>> 0
  ) {
    return FidelityNote.relatedAfterFailedCreate;
  }
  return undefined;
}

/** The head of a related chain from its first op and that op's reply (an Error: no status). */
export function chainHead(first: IrOp, reply: WireReply | Error): ChainHead {
  return {
    createPath: first.op === 'create' ? first.path : undefined,
    createStatus: first.op === 'create' && !(reply instanceof Error) ? reply.status : undefined,
  };
}
