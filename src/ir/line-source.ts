/**
 * Streams the lines of a gzip'd JSON Lines file, pulling from the file only as fast as the consumer
 * iterates. Lines come in batches (one per decompressed chunk) so a multi-million-line file costs one
 * async step per ~64 KiB, not per line, and a batch's bytes can be hashed in one call.
 *
 * Every failure (missing file, corrupt or truncated gzip, a last line without its `\n`, an absurdly
 * long line) becomes an IrFileError naming the line being read: a bad workload is a clear error,
 * never a crash.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { irErrorAt, IrFileError } from './ir-error.js';
import { IR_MAX_LINE_BYTES } from './version.js';

/** Whole lines, contiguous in `region`; line i is `region[starts[i], starts[i + 1] - 1)`. */
export interface LineBatch {
  /** 1-based number of the batch's first line. */
  readonly firstLineNo: number;
  readonly region: Buffer;
  /** Start offset of each line, plus one final entry: the end of the region (after the last `\n`). */
  readonly starts: readonly number[];
}

export function batchLineCount(batch: LineBatch): number {
  return batch.starts.length - 1;
}

/** Line i of the batch as text, without its `\n`. */
export function batchLineText(batch: LineBatch, i: number): string {
  return batch.region.toString('utf8', batch.starts[i]!, batch.starts[i + 1]! - 1);
}

/** Line i of the batch as bytes, without its `\n`. */
export function batchLineBytes(batch: LineBatch, i: number): Buffer {
  return batch.region.subarray(batch.starts[i]!, batch.starts[i + 1]! - 1);
}

const NL = 0x0a;
const CHUNK_BYTES = 64 * 1024;

export async function* readGzipLineBatches(path: string): AsyncGenerator<LineBatch> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipe() does not forward source errors (e.g. ENOENT); destroying gunzip surfaces them to the loop.
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);

  let nextLineNo = 1;
  /** Bytes of a line that started in an earlier chunk and has not ended yet. */
  let carry: Buffer[] = [];
  let carryBytes = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const lastNl = chunk.lastIndexOf(NL);
      if (lastNl < 0) {
        carry.push(chunk);
        carryBytes += chunk.length;
        if (carryBytes > IR_MAX_LINE_BYTES) throw tooLong(path, nextLineNo);
        continue;
      }
      // The batch region is the carried start of a line plus this chunk up to its last newline.
      const region =
        carryBytes > 0
          ? Buffer.concat([...carry, chunk.subarray(0, lastNl + 1)])
          : chunk.subarray(0, lastNl + 1);
      const starts = [0];
      for (let nl = region.indexOf(NL, carryBytes); nl >= 0; nl = region.indexOf(NL, nl + 1)) {
        const start = starts[starts.length - 1]!;
        if (nl - start > IR_MAX_LINE_BYTES) throw tooLong(path, nextLineNo + starts.length - 1);
        starts.push(nl + 1);
      }
      const batch: LineBatch = { firstLineNo: nextLineNo, region, starts };
      nextLineNo += starts.length - 1;
      carry = lastNl + 1 < chunk.length ? [chunk.subarray(lastNl + 1)] : [];
      carryBytes = chunk.length - lastNl - 1;
      yield batch;
    }
  } catch (err) {
    if (err instanceof IrFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw irErrorAt(path, 0, `cannot open workload (${code})`, err);
    }
    throw irErrorAt(path, nextLineNo, `corrupt or truncated gzip data (${(err as Error).message})`, err);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  if (carryBytes > 0) throw irErrorAt(path, nextLineNo, 'last line has no newline (the file is truncated)');
}

function tooLong(path: string, line: number): IrFileError {
  return irErrorAt(path, line, `line is longer than ${IR_MAX_LINE_BYTES} bytes`);
}
