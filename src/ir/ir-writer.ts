/**
 * Streams a workload to a `.smbw` file: gzip'd JSON Lines, header -> users -> ns -> ops -> end.
 *
 * Every record is checked before it is written (schema, order, and by default handles, deps and
 * compounds), so a compiler bug fails at the op that caused it instead of in a replay hours later.
 * Lines are batched into ~64 KiB writes and each write awaits gzip's drain signal, so memory stays
 * flat however many millions of ops go through. The file appears under its final name only once
 * complete (written to a temporary name, then renamed): a workload on disk is always whole.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { ContentHasher } from './content-hash.js';
import { workloadIdFromSha256 } from './ids.js';
import { irErrorAt } from './ir-error.js';
import type { JsonObject } from './schema/field-check.js';
import { checkOp } from './schema/op-schema.js';
import { checkHeader, checkNamespaceEntry, checkUser } from './schema/prologue-schema.js';
import type { IrRecord } from './schema/record-schema.js';
import type { IrHeader, IrNamespaceEntry, IrOp, IrUser } from './types.js';
import { IrStreamChecker } from './validate/stream-checker.js';
import { IR_GZIP_LEVEL } from './version.js';

export interface IrWriterOptions {
  /**
   * `full` (default) checks handles, deps, compounds and the namespace as records arrive; `structure`
   * checks only schema and order, for writers that are themselves validated and need the last bit of
   * speed or memory.
   */
  readonly checks?: 'full' | 'structure';
  readonly gzipLevel?: number;
}

export interface IrWriteResult {
  readonly sha256: string;
  readonly ops: number;
  readonly workloadId: string;
}

const BATCH_CHARS = 64 * 1024;

export class IrWriter {
  private readonly hasher = new ContentHasher();
  private readonly checker: IrStreamChecker;
  private batch = '';
  private lines = 0;
  private failure: unknown;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tmpPath: string,
    private readonly gzip: Gzip,
    private readonly done: Promise<void>,
    options: IrWriterOptions,
  ) {
    this.checker = new IrStreamChecker(
      (line, message) => {
        throw irErrorAt(path, line, message);
      },
      { semantics: (options.checks ?? 'full') === 'full' },
    );
    // Keep the rejection observed until close() awaits it; a write error also poisons later calls.
    done.catch((err: unknown) => {
      this.failure ??= err;
    });
  }

  static async create(path: string, header: IrHeader, options: IrWriterOptions = {}): Promise<IrWriter> {
    const tmpPath = `${path}.tmp-${process.pid}`;
    const gzip = createGzip({ level: options.gzipLevel ?? IR_GZIP_LEVEL });
    const file = createWriteStream(tmpPath);
    const done = pipeline(gzip, file);
    const writer = new IrWriter(path, tmpPath, gzip, done, options);
    try {
      await writer.append('header', header, checkHeader);
    } catch (err) {
      await writer.discard();
      throw err;
    }
    return writer;
  }

  writeUser(user: IrUser): Promise<void> {
    return this.append('user', user, checkUser);
  }

  writeNamespaceEntry(entry: IrNamespaceEntry): Promise<void> {
    return this.append('ns', entry, checkNamespaceEntry);
  }

  writeOp(op: IrOp): Promise<void> {
    return this.append('op', op, checkOp);
  }

  /** Writes the end record, finishes the gzip stream and moves the file to its final name. */
  async close(): Promise<IrWriteResult> {
    this.assertUsable();
    this.closed = true;
    try {
      this.hasher.addText(this.batch);
      const sha256 = this.hasher.hex();
      const end = { ops: this.checker.ops, sha256 };
      this.checker.record(this.lines + 1, 'end', { type: 'end', record: end });
      this.checker.finish(this.lines + 1);
      this.gzip.end(`${this.batch}${JSON.stringify({ type: 'end', ...end })}\n`);
      this.batch = '';
      await this.done;
      await rename(this.tmpPath, this.path);
      return { sha256, ops: end.ops, workloadId: workloadIdFromSha256(sha256) };
    } catch (err) {
      await this.discard();
      throw wrap(this.path, err);
    }
  }

  /** Gives up: stops writing and removes the partial file. Safe to call at any time. */
  async abort(): Promise<void> {
    this.closed = true;
    await this.discard();
  }

  private async discard(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }

  private assertUsable(): void {
    if (this.closed) throw new SmbBenchError(ErrorCode.IR, `${this.path}: writer is already closed`);
    if (this.failure !== undefined) {
      throw new SmbBenchError(ErrorCode.IR, `${this.path}: writer failed earlier`, { cause: this.failure });
    }
  }

  private async append<T extends object>(
    type: 'header' | 'user' | 'ns' | 'op',
    record: T,
    check: (obj: JsonObject, problems: string[]) => unknown,
  ): Promise<void> {
    this.assertUsable();
    const line = this.lines + 1;
    try {
      const problems: string[] = [];
      if (check(record as JsonObject, problems) === undefined) {
        throw irErrorAt(this.path, line, problems.join('; ') || `invalid ${type} record`);
      }
      this.checker.record(line, type, { type, record } as unknown as IrRecord);
    } catch (err) {
      // The checker may have counted the bad record; refuse everything after it.
      this.failure = err;
      throw err;
    }
    this.lines = line;
    this.batch += `${JSON.stringify({ type, ...record })}\n`;
    if (this.batch.length >= BATCH_CHARS) await this.flushBatch();
  }

  private async flushBatch(): Promise<void> {
    const text = this.batch;
    this.batch = '';
    this.hasher.addText(text);
    if (this.gzip.write(text)) return;
    try {
      await Promise.race([once(this.gzip, 'drain'), this.done]);
    } catch (err) {
      this.failure ??= err;
      throw wrap(this.path, err);
    }
  }
}

function wrap(path: string, err: unknown): unknown {
  if (err instanceof SmbBenchError) return err;
  return new SmbBenchError(ErrorCode.IR, `${path}: cannot write workload: ${(err as Error).message}`, {
    cause: err,
  });
}
