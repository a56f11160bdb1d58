/**
 * Deterministic file content. Byte i of every file smbench writes is pattern[i mod 1 MiB], whether
 * written by `prepare` or by a replayed write, so the same write sent twice (a retry) leaves the
 * same bytes, and a prepared file already holds what a replayed write would put there. The pattern
 * is pseudo-random (xorshift32) so compressing or deduplicating servers are not flattered.
 */
import type { IrWriteOp } from '../ir/types.js';

export const PATTERN_SIZE = 1 << 20;

let doubled: Buffer | undefined;

/** The pattern twice over, so any window of up to PATTERN_SIZE bytes is one zero-copy subarray. */
function patternTwice(): Buffer {
  if (doubled) return doubled;
  const buf = Buffer.allocUnsafe(PATTERN_SIZE * 2);
  let x = 0x2545f491;
  for (let i = 0; i < PATTERN_SIZE; i += 4) {
    // xorshift32 (Marsaglia 2003): fast, fixed, good enough to defeat compression.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, i);
  }
  buf.copy(buf, PATTERN_SIZE, 0, PATTERN_SIZE);
  doubled = buf;
  return buf;
}

/**
 * The filler for file range [offset, offset + length). Up to 1 MiB it is a view of a shared
 * buffer (no allocation on the hot path): callers must not modify it.
 */
export function fillerAt(offset: number, length: number): Buffer {
  const pattern = patternTwice();
  const start = offset % PATTERN_SIZE;
  if (length <= PATTERN_SIZE) return pattern.subarray(start, start + length);
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const from = (start + done) % PATTERN_SIZE;
    const n = Math.min(PATTERN_SIZE - from, length - done);
    pattern.copy(out, done, from, from + n);
    done += n;
  }
  return out;
}

/**
 * The bytes a replayed write sends: the recorded data when the workload kept it (payloads "data"
 * and the write carries `data`), otherwise filler of the recorded length (docs/ir.md "Payloads").
 */
export function writePayload(op: IrWriteOp): Buffer {
  if (op.data !== undefined) {
    const data = Buffer.from(op.data, 'base64');
    if (data.length === op.length) return data;
  }
  return fillerAt(op.offset, op.length);
}
