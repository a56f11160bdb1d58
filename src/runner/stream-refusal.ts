/**
 * Telling "this target does not do alternate data streams" apart from an ordinary mismatch. A
 * server without streams support rejects the `file:stream` name itself (MS-FSA 2.1.5.1: a stream
 * name on a file system without named streams fails with STATUS_OBJECT_NAME_INVALID; some answer
 * STATUS_NOT_SUPPORTED or STATUS_INVALID_PARAMETER). Such ops are counted under one cause
 * (FidelityNote.streamsRefused) and the run says so in one line, instead of a wall of mismatches.
 */
import { isStreamPath } from '../ir/ir-stream-path.js';
import { FidelityNote } from '../observe/fidelity-notes.js';
import type { RunResults } from '../observe/run-results.js';
import { NtStatus } from '../smb2/nt-status.js';

const REFUSALS: ReadonlySet<number> = new Set([
  NtStatus.STATUS_OBJECT_NAME_INVALID,
  NtStatus.STATUS_NOT_SUPPORTED,
  NtStatus.STATUS_INVALID_PARAMETER,
]);

export const STREAMS_REFUSED_MESSAGE: string = FidelityNote.streamsRefused;

export function isStreamRefusal(status: number): boolean {
  return REFUSALS.has(status >>> 0);
}

/** An op on `path` (a create's, or its chain's create's) answered `status` where `expected` was recorded. */
export function isRefusedStreamOp(path: string | undefined, status: number, expected: number): boolean {
  return (
    path !== undefined && status >>> 0 !== expected >>> 0 && isStreamRefusal(status) && isStreamPath(path)
  );
}

/**
 * The one line a run prints when its target refused streams (in prepare, `notPrepared` of them,
 * or in the run), or undefined.
 */
export function streamsRefusedLine(results: RunResults, notPrepared = 0): string | undefined {
  const n = results.fidelity.explained?.[FidelityNote.streamsRefused] ?? 0;
  if (n === 0 && notPrepared === 0) return undefined;
  const prepared = notPrepared > 0 ? ` (${notPrepared} streams of the initial namespace not created)` : '';
  return `${STREAMS_REFUSED_MESSAGE}: ${n} ops on streams will not match${prepared}`;
}
