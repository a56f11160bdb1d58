/**
 * Where emitted op lines go while the rest of the capture is read. The `.smbw` format puts the
 * initial namespace before the ops, and the namespace is known only at the end, so ops cannot go
 * straight into the final file. Instead each op is serialised once, here, into two temporary files:
 *   - the JSON Lines text, kept for the content hash, which must be computed in file order once the
 *     prologue is known (docs/ir.md, "Content hash");
 *   - the same text gzip-compressed, as its own gzip member, compressed on the libuv threadpool
 *     while the capture is still being read. A gzip file may be a series of members (RFC 1952 2.2),
 *     so the final file is gzip(prologue) + this member + gzip(end record), with no recompression.
 * The capture loop is synchronous, so writes are batched and gzip's backlog is checked between
 * capture chunks (`pressure`), which keeps memory flat on captures of any size.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { IR_GZIP_LEVEL } from '../../ir/version.js';

/**
 * Op text per write to both files. gzip runs on the threadpool, but each of its steps is resumed
 * by a callback on this thread, which turns only between capture chunks; with 256 KiB writes it
 * fell behind (the main thread then sat idle waiting for it at the end). 1 MiB per write, and
 * output buffers large enough to take it in one step, keep it ahead of the ops.
 */
const CHUNK_BYTES = 1024 * 1024;
const GZIP_OUTPUT_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
/** Compressed-side backlog above which the capture loop waits for gzip to catch up. */
const MAX_BACKLOG = 32 << 20;

export class OpSink {
  readonly textPath: string;
  readonly gzipPath: string;
  private readonly text: WriteStream;
  private readonly gzip: Gzip;
  private readonly done: Promise<unknown>;
  /** Lines are UTF-8-encoded straight into this chunk: no string concatenation, one copy. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private lines = 0;
  private failure: unknown;

  constructor(dir: string, gzipLevel: number = IR_GZIP_LEVEL) {
    this.textPath = join(dir, 'ops.jsonl');
    this.gzipPath = join(dir, 'ops.jsonl.gz');
    // Both files are written on the libuv threadpool; the capture loop only queues text.
    this.text = createWriteStream(this.textPath);
    this.gzip = createGzip({ level: gzipLevel, chunkSize: GZIP_OUTPUT_BYTES });
    const file = createWriteStream(this.gzipPath);
    this.gzip.pipe(file);
    this.done = Promise.all([finished(file), finished(this.text)]);
    this.done.catch((err: unknown) => (this.failure ??= err));
  }

  get count(): number {
    return this.lines;
  }

  /** Adds one op line (without its newline). */
  push(line: string): void {
    this.lines++;
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.chunk.length) {
      this.flush();
      if (worst > this.chunk.length) this.chunk = Buffer.allocUnsafe(worst);
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.chunk[this.used++] = NEWLINE;
  }

  /** A promise to await before reading more of the capture when gzip is behind; else undefined. */
  pressure(): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    if (this.gzip.writableLength > MAX_BACKLOG) return once(this.gzip, 'drain').then(() => undefined);
    if (this.text.writableLength > MAX_BACKLOG) return once(this.text, 'drain').then(() => undefined);
    return undefined;
  }

  /** Flushes everything; afterwards both files are complete. */
  async finish(): Promise<void> {
    this.flush();
    this.text.end();
    this.gzip.end();
    await this.done;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops writing after a failure (the caller removes the directory). */
  abort(): void {
    this.gzip.destroy();
    this.text.destroy();
  }

  private flush(): void {
    if (this.used === 0) return;
    // Both writers keep a reference until written, so the next lines go into a fresh chunk.
    const bytes = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    this.text.write(bytes);
    this.gzip.write(bytes);
  }
}
