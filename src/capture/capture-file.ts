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
 * Streams a capture file through a record reader in large chunks. Every read goes into a fresh
 * buffer (so packet views handed out earlier stay valid), and only the tail of a record that
 * straddles two reads is copied; memory is one chunk plus the largest record.
 */
export class CaptureFileReader {
  private reader: CaptureRecordReader | undefined;
  private pending: Buffer = Buffer.alloc(0);
  /** File offset of pending[0]. */
  private pendingOffset = 0;
  private done = false;

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
      const leftover = this.pending.length;
      const needed = this.reader ? this.reader.needed : 4;
      const size = Math.max(this.chunkSize, needed + 4096);
      const buf = Buffer.allocUnsafe(size);
      if (leftover > 0) this.pending.copy(buf, 0);
      const bytesRead = await this.readInto(buf, leftover, size - leftover);
      if (bytesRead === 0) {
        // A file shorter than any magic still gets the "not a pcap" error, not a silent empty run.
        if (!this.reader) createRecordReader(this.pending, this.stats, this.sink);
        endOfData(this.stats, leftover);
        await this.close();
        return false;
      }
      this.stats.fileBytes += bytesRead;
      const end = leftover + bytesRead;
      if (!this.reader) {
        if (end < 4) {
          this.pending = buf.subarray(0, end);
          return true;
        }
        this.reader = createRecordReader(buf.subarray(0, 4), this.stats, this.sink);
      }
      const consumed = this.reader.parse(buf, 0, end, this.pendingOffset);
      this.pendingOffset += consumed;
      // Keep the unconsumed tail as a view; the next read copies it to the front of a new chunk.
      this.pending = buf.subarray(consumed, end);
      return true;
    } catch (err) {
      await this.close();
      throw err;
    }
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
    await this.handle.close();
  }
}
