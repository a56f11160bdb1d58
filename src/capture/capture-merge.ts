/**
 * Several capture files read as one stream in timestamp order, like `mergecap`: rotated tcpdump
 * files (`-C`/`-G`) follow each other, one file per interface overlaps the others, and a TCP
 * connection may span any of them. A k-way merge of the files' packet streams: each file's packets
 * keep their order, and the next packet is the earliest head among the files.
 *
 * Memory stays one read chunk per file that is open at the moment. Files are opened only when the
 * merged stream reaches their first timestamp (a pre-scan reads just that), so a thousand rotated
 * files cost one or two open files at a time, not a thousand chunks. Frame numbers count packets
 * in merged order (as in the file `mergecap` would write). With one input, packets go straight
 * through, without any copy.
 */
import { CaptureFileReader, type CaptureFileReaderOptions } from './capture-file.js';
import { createCaptureStats, type CaptureStats } from './capture-stats.js';
import { createPacketRecord, type PacketRecord, type PacketSink } from './packet-record.js';

/** What the merge saw of one input file. Timestamps are microseconds since the Unix epoch. */
export interface CaptureInputSpan {
  readonly path: string;
  packets: number;
  bytes: number;
  /** Capture time of the earliest and latest packet; NaN when the file has none. */
  firstMicros: number;
  lastMicros: number;
}

export interface MergeOptions extends CaptureFileReaderOptions {
  /** Awaited between two chunk reads when it returns a promise (back-pressure from the consumer). */
  readonly between?: () => Promise<void> | undefined;
}

/** The pre-scan reads this much (the reader's minimum chunk) to find a file's first timestamp. */
const SCAN_CHUNK = 64 * 1024;

interface Queued {
  tsMicros: number;
  interfaceLinkType: number;
  data: Buffer;
  dataStart: number;
  dataEnd: number;
  origLen: number;
}

class InputQueue {
  private packets: Queued[] = [];
  private next = 0;
  private reader: CaptureFileReader | undefined;
  private exhausted = false;

  constructor(
    readonly span: CaptureInputSpan,
    /** First timestamp from the pre-scan; -Infinity when unknown (opened at once). */
    readonly startMicros: number,
  ) {}

  get head(): Queued | undefined {
    return this.packets[this.next];
  }

  get done(): boolean {
    return this.exhausted && this.head === undefined;
  }

  shift(): Queued {
    return this.packets[this.next++]!;
  }

  async open(stats: CaptureStats, options: CaptureFileReaderOptions): Promise<void> {
    this.reader = await CaptureFileReader.open(this.span.path, stats, (rec) => this.push(rec), options);
  }

  /** Reads chunks until a packet is queued or the file ends. */
  async fill(stats: CaptureStats, between: MergeOptions['between']): Promise<void> {
    while (this.head === undefined && !this.exhausted) {
      this.packets = [];
      this.next = 0;
      const before = stats.fileBytes;
      const more = await this.reader!.readNext();
      this.span.bytes += stats.fileBytes - before;
      if (!more) this.exhausted = true;
      const pressure = between?.();
      if (pressure !== undefined) await pressure;
    }
  }

  async close(): Promise<void> {
    await this.reader?.close();
  }

  private push(rec: PacketRecord): void {
    // The record object is reused by the reader; its bytes (a chunk never overwritten) are not.
    this.packets.push({
      tsMicros: rec.tsMicros,
      interfaceLinkType: rec.interfaceLinkType,
      data: rec.data,
      dataStart: rec.dataStart,
      dataEnd: rec.dataEnd,
      origLen: rec.origLen,
    });
    noteTimestamp(this.span, rec.tsMicros);
  }
}

function newSpan(path: string): CaptureInputSpan {
  return { path, packets: 0, bytes: 0, firstMicros: NaN, lastMicros: NaN };
}

function noteTimestamp(span: CaptureInputSpan, ts: number): void {
  span.packets++;
  if (!(ts >= span.firstMicros)) span.firstMicros = ts;
  if (!(ts <= span.lastMicros)) span.lastMicros = ts;
}

/** The first packet's timestamp, reading as little of the file as it takes. Throws for a non-capture. */
async function firstTimestamp(path: string, options: CaptureFileReaderOptions): Promise<number> {
  let first = -Infinity;
  let found = false;
  const reader = await CaptureFileReader.open(
    path,
    createCaptureStats(),
    (rec) => {
      if (!found) first = rec.tsMicros;
      found = true;
    },
    { ...options, chunkSize: SCAN_CHUNK },
  );
  try {
    while (!found && (await reader.readNext()));
  } finally {
    await reader.close();
  }
  return first;
}

/**
 * Reads `paths` into `sink` merged by timestamp; returns what each file held, in `paths` order.
 * Ties go to the file given first.
 */
export async function readCapturesMerged(
  paths: readonly string[],
  stats: CaptureStats,
  sink: PacketSink,
  options: MergeOptions = {},
): Promise<CaptureInputSpan[]> {
  const { between, ...readerOptions } = options;
  if (paths.length === 1) return [await readOne(paths[0]!, stats, sink, readerOptions, between)];
  const queues: InputQueue[] = [];
  for (const path of paths)
    queues.push(new InputQueue(newSpan(path), await firstTimestamp(path, readerOptions)));
  const waiting = queues.slice().sort((a, b) => a.startMicros - b.startMicros);
  const active: InputQueue[] = [];
  const out = createPacketRecord();
  let frame = 0;
  try {
    for (;;) {
      let best: InputQueue | undefined;
      for (const q of active)
        if (q.head !== undefined && (best === undefined || q.head.tsMicros < best.head!.tsMicros)) best = q;
      // Open the files whose first packet is not later than the next one to go out.
      const next = waiting[0];
      if (next !== undefined && (best === undefined || next.startMicros <= best.head!.tsMicros)) {
        waiting.shift();
        await next.open(stats, readerOptions);
        await next.fill(stats, between);
        if (next.done) continue;
        // Keep `paths` order among active files, so equal timestamps go to the file given first.
        active.push(next);
        active.sort((a, b) => queues.indexOf(a) - queues.indexOf(b));
        continue;
      }
      if (best === undefined) break;
      const p = best.shift();
      out.frameNumber = ++frame;
      out.interfaceLinkType = p.interfaceLinkType;
      out.tsMicros = p.tsMicros;
      out.data = p.data;
      out.dataStart = p.dataStart;
      out.dataEnd = p.dataEnd;
      out.origLen = p.origLen;
      sink(out);
      if (best.head === undefined) {
        await best.fill(stats, between);
        if (best.done) active.splice(active.indexOf(best), 1);
      }
    }
  } finally {
    for (const q of queues) await q.close();
  }
  return queues.map((q) => q.span);
}

async function readOne(
  path: string,
  stats: CaptureStats,
  sink: PacketSink,
  options: CaptureFileReaderOptions,
  between: MergeOptions['between'],
): Promise<CaptureInputSpan> {
  const span = newSpan(path);
  const reader = await CaptureFileReader.open(
    path,
    stats,
    (rec) => {
      noteTimestamp(span, rec.tsMicros);
      sink(rec);
    },
    options,
  );
  for (;;) {
    const before = stats.fileBytes;
    const more = await reader.readNext();
    span.bytes += stats.fileBytes - before;
    if (!more) break;
    const pressure = between?.();
    if (pressure !== undefined) await pressure;
  }
  return span;
}
