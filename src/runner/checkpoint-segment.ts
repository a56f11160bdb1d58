/**
 * One *segment* of a run: the first run, or a resume after a crash or Ctrl-C. The replay runs (in
 * this thread or on workers), writes --checkpoint periodically, stops early when options.signal
 * aborts, and writes the last checkpoint when it ends; `complete` when every user of this process
 * replayed its whole stream.
 */
import type { IrReader } from '../ir/ir-reader.js';
import type { ProgressStream } from '../observe/progress-line.js';
import type { Pacing } from '../scheduler/pacing.js';
import type { Checkpoint, RunFingerprint } from './checkpoint-format.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import type { ConnectionPool } from './connection-pool.js';
import type { RunOptions } from './run-options.js';
import type { VirtualUserSpec } from './user-mapping.js';
import type { EngineResult } from './workers/replay-engine.js';
import { startEngine } from './workers/start-engine.js';

export interface SegmentContext {
  readonly runRoot: string;
  readonly pacing: Pacing;
  readonly spc: number;
  readonly sessionOptions: { requireSigning?: boolean };
  readonly progressStream: ProgressStream | false;
  readonly totalUsers: number;
  readonly fingerprint: RunFingerprint;
}

export async function runSegment(
  reader: IrReader,
  specs: readonly VirtualUserSpec[],
  pool: ConnectionPool,
  options: RunOptions,
  previous: Checkpoint | undefined,
  ctx: SegmentContext,
): Promise<{ result: EngineResult; interrupted: boolean }> {
  // --duration counts over all segments: a resume only gets what the crashed run had left.
  const durationMs =
    options.durationMs === undefined || previous === undefined
      ? options.durationMs
      : Math.max(0, options.durationMs - previous.activeMs);
  const engine = startEngine({
    reader,
    specs,
    pool,
    options: { ...options, durationMs },
    ctx: {
      runRoot: ctx.runRoot,
      pacing: ctx.pacing,
      spc: ctx.spc,
      sessionOptions: ctx.sessionOptions,
      progressStream: ctx.progressStream,
      ...(options.startAtMs !== undefined ? { startAtMs: options.startAtMs } : {}),
    },
    totalUsers: ctx.totalUsers,
    trackProgress: options.checkpoint !== undefined,
    resume: previous ? new Map(previous.users.map((u) => [u.user, u])) : undefined,
  });
  const writer =
    options.checkpoint === undefined
      ? undefined
      : new CheckpointWriter(engine, {
          file: options.checkpoint,
          intervalMs: options.checkpointIntervalMs,
          workload: options.workload,
          fingerprint: ctx.fingerprint,
          ...(previous ? { previous } : {}),
          onError: (err) => {
            if (ctx.progressStream) ctx.progressStream.write(`checkpoint: ${(err as Error).message}\n`);
          },
        });
  writer?.start();
  const onAbort = (): void => engine.stop();
  if (options.signal?.aborted) engine.stop();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  let result: EngineResult;
  try {
    result = await engine.finished;
  } catch (err) {
    await writer?.stop();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const interrupted = options.signal?.aborted === true;
  if (writer) {
    const done = new Set(result.users.filter((u) => u.done).map((u) => u.user));
    await writer.writeFinal(result, !interrupted && specs.every((s) => done.has(s.index)));
  }
  return { result, interrupted };
}
