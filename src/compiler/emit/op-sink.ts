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
const QUOTE = 0x22;
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
  /** Where the line being written starts in `chunk`. */
  private lineStart = 0;
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

  /*
   * The op emitter writes its lines piece by piece with the methods below, straight into the
   * chunk: building each line as a string first and then encoding it was the largest allocation
   * per op (and a share of the GC). The bytes are exactly those of the string it used to build.
   */

  /** Text known to be short and mostly ASCII (names, keys, punctuation), as UTF-8. */
  literal(s: string): void {
    const n = s.length;
    this.ensure(n);
    const chunk = this.chunk;
    let used = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Rare: hand the rest to the encoder.
        this.used = used;
        this.utf8(s.slice(i));
        return;
      }
      chunk[used++] = c;
    }
    this.used = used;
  }

  /** A number as `${n}` would print it. */
  number(n: number): void {
    if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
      const digits = decimalDigits(n);
      this.ensure(digits);
      const chunk = this.chunk;
      let at = this.used + digits;
      this.used = at;
      let rest = n;
      do {
        const q = Math.floor(rest / 10);
        chunk[--at] = 0x30 + rest - q * 10;
        rest = q;
      } while (rest > 0);
      return;
    }
    this.literal(String(n));
  }

  /** Any field value as JSON.stringify writes it; plain ASCII strings without escapes directly. */
  json(v: unknown): void {
    if (typeof v === 'number') this.literal(JSON.stringify(v));
    else if (typeof v !== 'string' || !this.plainString(v)) this.utf8(JSON.stringify(v));
  }

  /** Ends the line being written. */
  endLine(): void {
    this.lines++;
    this.ensure(1);
    this.chunk[this.used++] = NEWLINE;
    this.lineStart = this.used;
  }

  /** Writes `"v"` when v needs no JSON escape (RFC 8259 7) and is ASCII; else writes nothing. */
  private plainString(v: string): boolean {
    const n = v.length;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) return false;
    }
    this.ensure(n + 2);
    const chunk = this.chunk;
    let used = this.used;
    chunk[used++] = QUOTE;
    for (let i = 0; i < n; i++) chunk[used++] = v.charCodeAt(i);
    chunk[used++] = QUOTE;
    this.used = used;
    return true;
  }

  private utf8(s: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    this.ensure(s.length * 3);
    this.used += this.chunk.write(s, this.used, 'utf8');
  }

  /**
   * Room for `bytes` more bytes of the current line. A full chunk is flushed up to the line's
   * start, and the line's beginning moves to the front of the next chunk, so a line never spans
   * two writes (each write is whole lines).
   */
  private ensure(bytes: number): void {
    if (this.used + bytes <= this.chunk.length) return;
    const old = this.chunk;
    const start = this.lineStart;
    const partial = this.used - start;
    this.used = start;
    this.flush();
    const size = Math.max(CHUNK_BYTES, partial + bytes);
    if (this.chunk.length < size) this.chunk = Buffer.allocUnsafe(size);
    // flush() handed only the bytes before `start` to the writers, so these are still ours.
    old.copy(this.chunk, 0, start, start + partial);
    this.used = partial;
    this.lineStart = 0;
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
    this.lineStart = 0;
    this.text.write(bytes);
    this.gzip.write(bytes);
  }
}

/** Decimal digits of 0 <= n < 2^31, by comparisons (a division per digit cost more). */
function decimalDigits(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  return n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
}
