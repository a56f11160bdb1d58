/**
 * `--checkpoint FILE`: every `--checkpoint-interval` the replay's progress and results so far are
 * taken at one instant (ReplayEngine.snapshot), joined with what earlier segments measured (when
 * this run is itself a resume) and written atomically (checkpoint-store.ts). One write at a time:
 * a tick that finds the previous write still going is skipped, so a slow disk never piles up.
 */
import { basename } from 'node:path';
import type { RunResults } from '../observe/run-results.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type RunFingerprint,
  type UserCheckpoint,
} from './checkpoint-format.js';
import { combineSegments } from './checkpoint-results.js';
import { writeCheckpoint } from './checkpoint-store.js';
import type { ReplaySnapshot } from './replay.js';
import type { ReplayEngine } from './workers/replay-engine.js';

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5000;

export interface CheckpointWriterOptions {
  readonly file: string;
  readonly intervalMs?: number;
  readonly workload: string;
  readonly fingerprint: RunFingerprint;
  /** The checkpoint this run resumed from, if any: its results and segments come first. */
  readonly previous?: Checkpoint;
  /** A periodic write failed (the run goes on; the next tick tries again). */
  readonly onError?: (error: unknown) => void;
}

/** The checkpoint document for `snapshot`, after the segments of `previous`. */
export function composeCheckpoint(
  snapshot: ReplaySnapshot,
  opts: Pick<CheckpointWriterOptions, 'workload' | 'fingerprint' | 'previous'>,
  complete: boolean,
): Checkpoint {
  const prev = opts.previous;
  const results: RunResults = prev ? combineSegments([prev.results, snapshot.results]) : snapshot.results;
  const users: UserCheckpoint[] = [...snapshot.users].sort((a, b) => a.user - b.user);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    writtenAt: new Date().toISOString(),
    workload: basename(opts.workload),
    fingerprint: opts.fingerprint,
    complete,
    segments: (prev?.segments ?? 0) + 1,
    activeMs: (prev?.activeMs ?? 0) + snapshot.results.durationMs,
    users,
    results,
  };
}

export class CheckpointWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Checkpoints written so far. */
  written = 0;

  constructor(
    private readonly engine: ReplayEngine,
    private readonly options: CheckpointWriterOptions,
  ) {}

  start(): void {
    const every = this.options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    this.timer = setInterval(() => {
      if (this.writing === undefined) void this.tick();
    }, every);
    // A pending checkpoint tick must not keep a finished process alive.
    this.timer.unref();
  }

  /** Stops the periodic writes and waits for one in progress. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.writing;
  }

  /** The last write, after the replay ended (or was interrupted): waits for a periodic one first. */
  async writeFinal(snapshot: ReplaySnapshot, complete: boolean): Promise<Checkpoint> {
    await this.stop();
    const checkpoint = composeCheckpoint(snapshot, this.options, complete);
    await writeCheckpoint(this.options.file, checkpoint);
    this.written++;
    return checkpoint;
  }

  private async tick(): Promise<void> {
    const run = async (): Promise<void> => {
      const snapshot = await this.engine.snapshot();
      if (snapshot === undefined || this.closed) return;
      await writeCheckpoint(this.options.file, composeCheckpoint(snapshot, this.options, false));
      this.written++;
    };
    this.writing = run()
      .catch((err: unknown) => this.options.onError?.(err))
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }
}
