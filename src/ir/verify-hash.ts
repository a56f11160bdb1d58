/**
 * A fast integrity pass: hashes every line but the last without parsing it, then checks the last line
 * is an end record whose sha256 matches. Lets the runner refuse a damaged workload before replaying
 * anything, and know the workload id up front, for the price of one decompression.
 */
import { ContentHasher } from './content-hash.js';
import { irErrorAt } from './ir-error.js';
import { batchLineCount, batchLineText, readGzipLineBatches } from './line-source.js';
import type { LineBatch } from './line-source.js';
import { parseRecord } from './schema/record-schema.js';
import type { IrEnd } from './types.js';

export async function verifyIrContentHash(path: string): Promise<IrEnd> {
  const hasher = new ContentHasher();
  /** The newest batch; its last line is held back until we know it is not the file's last line. */
  let held: LineBatch | undefined;
  for await (const batch of readGzipLineBatches(path)) {
    if (held) hasher.addBytes(held.region.subarray(held.starts[held.starts.length - 2]));
    const n = batchLineCount(batch);
    hasher.addBytes(batch.region.subarray(0, batch.starts[n - 1]));
    held = batch;
  }
  if (!held) throw irErrorAt(path, 1, 'the file is empty');
  const n = batchLineCount(held);
  const lastLine = held.firstLineNo + n - 1;
  const problems: string[] = [];
  const { parsed, type } = parseRecord(batchLineText(held, n - 1), problems);
  if (type !== 'end') throw irErrorAt(path, lastLine + 1, 'missing end record (the file is truncated)');
  if (parsed?.type !== 'end') throw irErrorAt(path, lastLine, problems.join('; '));
  const actual = hasher.hex();
  if (parsed.record.sha256 !== actual) {
    throw irErrorAt(
      path,
      lastLine,
      `content hash mismatch: end.sha256 is ${parsed.record.sha256} but the content hashes to ${actual}`,
    );
  }
  return parsed.record;
}
