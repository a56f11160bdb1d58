import { open } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { CaptureStats } from './capture-stats.js';
import { hex32, type CaptureRecordReader, type PacketSink } from './packet-record.js';
import { isPcapMagic, PcapReader } from './pcap-reader.js';
import { PcapngBlockType, PcapngReader } from './pcapng-reader.js';

export type { PacketRecord, PacketSink } from './packet-record.js';

/** 1 MiB reads: few syscalls, and a chunk stays small enough to keep pinned by PDU views. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Picks the reader from the first four bytes of the file. */
export function createRecordReader(head: Buffer, stats: CaptureStats, sink: PacketSink): CaptureRecordReader {
  if (head.length < 4) {
    const what = head.length === 0 ? 'empty file' : `only ${head.length} bytes`;
    throw new SmbBenchError(ErrorCode.CAPTURE, `not a pcap or pcapng file (${what})`);
  }
  const magicLE = head.readUInt32LE(0);
  if (magicLE === PcapngBlockType.SECTION_HEADER) return new PcapngReader(stats, sink);
  if (isPcapMagic(magicLE)) return new PcapReader(stats, sink);
  throw new SmbBenchError(
    ErrorCode.CAPTURE,
    `not a pcap or pcapng file (magic ${hex32(head.readUInt32BE(0))})`,
  );
}

/** Marks a record cut by the end of the data: counted, never thrown (a capture killed mid-write). */
function endOfData(stats: CaptureStats, leftover: number): void {
  if (leftover > 0) {
    stats.truncatedAtEnd = true;
    stats.truncatedPackets++;
  }
}

/** Parses a capture held in memory, synchronously. */
export function parseCaptureBuffer(data: Buffer, stats: CaptureStats, sink: PacketSink): void {
  stats.fileBytes += data.length;
  const reader = createRecordReader(data.subarray(0, 4), stats, sink);
  const consumed = reader.parse(data, 0, data.length, 0);
  endOfData(stats, data.length - consumed);
}

export interface CaptureFileReaderOptions {
  chunkSize?: number;
  signal?: AbortSignal;
}

/**
 * Room kept in front of each read for the unparsed tail of the previous chunk (a record cut by the
 * read boundary), so joining the two copies only that tail. A longer tail (a record above 64 KiB
 * that straddles) is joined by copying both parts, which is rare.
 */
const TAIL_ROOM = 64 * 1024;

interface FilledChunk {
  readonly buf: Buffer;
  readonly bytesRead: number;
}

/**
 * Streams a capture file through a record reader in large chunks. Every read goes into a fresh
 * buffer (so packet views handed out earlier stay valid), and only the tail of a record that
 * straddles two reads is copied; memory is two chunks plus the largest record. The next chunk is
 * read while this one is parsed: the read runs on the libuv threadpool, so the synchronous parse
 * no longer waits for it afterwards.
 */
export class CaptureFileReader {
  private reader: CaptureRecordReader | undefined;
  private pending: Buffer = Buffer.alloc(0);
  /** File offset of pending[0]. */
  private pendingOffset = 0;
  private done = false;
  /** The read of the next chunk, started before the current one is parsed. */
  private ahead: Promise<FilledChunk> | undefined;

  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    private readonly stats: CaptureStats,
    private readonly sink: PacketSink,
    private readonly chunkSize: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  static async open(
    path: string,
    stats: CaptureStats,
    sink: PacketSink,
    options: CaptureFileReaderOptions = {},
  ): Promise<CaptureFileReader> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (cause) {
      throw new SmbBenchError(ErrorCode.CAPTURE, `cannot open capture ${path}: ${(cause as Error).message}`, {
        cause,
      });
    }
    const chunk = Math.max(64 * 1024, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    return new CaptureFileReader(handle, stats, sink, chunk, options.signal);
  }

  /** Reads and parses the next chunk; resolves false once the file is exhausted (and closed). */
  async readNext(): Promise<boolean> {
    if (this.done) return false;
    try {
      if (this.signal?.aborted) {
        throw new SmbBenchError(ErrorCode.ABORTED, 'capture reading aborted', { cause: this.signal.reason });
      }
      const filled = await (this.ahead ?? this.startRead(this.chunkSize));
      this.ahead = undefined;
      const leftover = this.pending.length;
      if (filled.bytesRead === 0) {
        // A file shorter than any magic still gets the "not a pcap" error, not a silent empty run.
        if (!this.reader) createRecordReader(this.pending, this.stats, this.sink);
        endOfData(this.stats, leftover);
        await this.close();
        return false;
      }
      this.stats.fileBytes += filled.bytesRead;
      const { buf, start } = this.joinTail(filled, leftover);
      const end = start + leftover + filled.bytesRead;
      // A record longer than what is buffered gets a read big enough for its rest in one go.
      const rest = (this.reader?.needed ?? 0) - (end - start);
      this.ahead = this.startRead(Math.max(this.chunkSize, rest));
      if (!this.reader) {
        if (end - start < 4) {
          this.pending = buf.subarray(start, end);
          return true;
        }
        this.reader = createRecordReader(buf.subarray(start, start + 4), this.stats, this.sink);
      }
      const consumed = this.reader.parse(buf, start, end, this.pendingOffset);
      this.pendingOffset += consumed - start;
      // Keep the unconsumed tail as a view; the next chunk gets a copy of it in front.
      this.pending = buf.subarray(consumed, end);
      return true;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** The previous chunk's tail followed by the new bytes, contiguous; `start` is the tail's index. */
  private joinTail(filled: FilledChunk, leftover: number): { buf: Buffer; start: number } {
    if (leftover <= TAIL_ROOM) {
      const start = TAIL_ROOM - leftover;
      if (leftover > 0) this.pending.copy(filled.buf, start);
      return { buf: filled.buf, start };
    }
    const buf = Buffer.allocUnsafe(leftover + filled.bytesRead);
    this.pending.copy(buf, 0);
    filled.buf.copy(buf, leftover, TAIL_ROOM, TAIL_ROOM + filled.bytesRead);
    return { buf, start: 0 };
  }

  private startRead(size: number): Promise<FilledChunk> {
    const buf = Buffer.allocUnsafe(TAIL_ROOM + size);
    const read = this.readInto(buf, TAIL_ROOM, size).then((bytesRead) => ({ buf, bytesRead }));
    // Awaited by the next readNext or by close; never left as an unhandled rejection meanwhile.
    read.catch(() => undefined);
    return read;
  }

  private async readInto(buf: Buffer, offset: number, length: number): Promise<number> {
    try {
      return (await this.handle.read(buf, offset, length, null)).bytesRead;
    } catch (cause) {
      throw new SmbBenchError(ErrorCode.CAPTURE, `cannot read capture: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending = Buffer.alloc(0);
    // The descriptor must outlive a read still in flight on it.
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead !== undefined) await ahead.catch(() => undefined);
    await this.handle.close();
  }
}
