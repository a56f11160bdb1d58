/**
 * Lines -> checked IR records, with the content hash verified when the end record arrives. The
 * reader runs it with a reporter that throws; the validator with one that collects and carries on.
 * Records come in batches (one per decompressed chunk) to keep per-record async overhead away.
 */
import { ContentHasher } from './content-hash.js';
import { batchLineCount, batchLineText, readGzipLineBatches } from './line-source.js';
import { parseRecord } from './schema/record-schema.js';
import type { IrRecord } from './schema/record-schema.js';
import { IrStreamChecker } from './validate/stream-checker.js';
import type { ReportAt, StreamCheckOptions } from './validate/stream-checker.js';

export interface NumberedRecord {
  readonly line: number;
  readonly record: IrRecord;
}

/**
 * Yields every schema-valid record in file order, in batches. Problems (schema, order, hash, and
 * semantics when asked) go to `report`; if it returns, the stream continues with the next line.
 */
export async function* streamIrRecords(
  path: string,
  report: ReportAt,
  options: StreamCheckOptions,
): AsyncGenerator<readonly NumberedRecord[]> {
  const checker = new IrStreamChecker(report, options);
  const hasher = new ContentHasher();
  let hashDone = false;
  let lines = 0;
  for await (const batch of readGzipLineBatches(path)) {
    const out: NumberedRecord[] = [];
    const n = batchLineCount(batch);
    try {
      for (let i = 0; i < n; i++) {
        const lineNo = batch.firstLineNo + i;
        lines = lineNo;
        const problems: string[] = [];
        const { parsed, type } = parseRecord(batchLineText(batch, i), problems);
        for (const p of problems) report(lineNo, p);
        if (type === 'end' && !hashDone) {
          // The hash covers every line before the end record, so stop right at its first byte.
          hashDone = true;
          hasher.addBytes(batch.region.subarray(0, batch.starts[i]));
          const actual = hasher.hex();
          if (parsed?.type === 'end' && parsed.record.sha256 !== actual) {
            report(
              lineNo,
              `content hash mismatch: end.sha256 is ${parsed.record.sha256} but the content hashes to ${actual}`,
            );
          }
        }
        if (type !== undefined) checker.record(lineNo, type, parsed);
        if (parsed) out.push({ line: lineNo, record: parsed });
      }
    } catch (err) {
      // A throwing reporter stops the stream at the bad line; records before it are still delivered.
      if (out.length > 0) yield out;
      throw err;
    }
    if (!hashDone) hasher.addBytes(batch.region);
    yield out;
  }
  checker.finish(lines);
}
