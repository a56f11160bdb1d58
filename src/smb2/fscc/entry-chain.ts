import { MalformedMessageError } from '../../errors/smbench-error.js';

/**
 * Walks a NextEntryOffset chain (MS-FSCC 2.4 directory classes, 2.7.1 FILE_NOTIFY_INFORMATION):
 * each entry's first u32 is the byte distance to the next entry, 0 on the last. Yields each entry as
 * a zero-copy window; the last one runs to the end of the buffer.
 *
 * Because offsets are unsigned and relative, a loop is impossible as long as every step moves
 * forward by at least a whole fixed entry; a step that is too small, or lands past the end, is
 * rejected instead of yielding garbage.
 */
export function* entryChain(
  buf: Buffer,
  minEntrySize: number,
  what: string,
): Generator<Buffer, void, undefined> {
  let offset = 0;
  while (offset < buf.length) {
    if (offset + minEntrySize > buf.length) {
      throw new MalformedMessageError(
        `${what} entry at ${offset} truncated: ${buf.length - offset} < ${minEntrySize}`,
      );
    }
    const next = buf.readUInt32LE(offset);
    if (next === 0) {
      yield buf.subarray(offset);
      return;
    }
    if (next < minEntrySize) {
      throw new MalformedMessageError(
        `${what} NextEntryOffset ${next} at ${offset} is shorter than an entry`,
      );
    }
    if (offset + next >= buf.length) {
      throw new MalformedMessageError(
        `${what} NextEntryOffset ${next} at ${offset} points past ${buf.length}`,
      );
    }
    yield buf.subarray(offset, offset + next);
    offset += next;
  }
}

/** Sets each entry's NextEntryOffset while laying entries out at `alignment`; for encoders. */
export function layOutChain(entries: readonly Buffer[], alignment: number): Buffer {
  let total = 0;
  const starts: number[] = [];
  entries.forEach((e, i) => {
    starts.push(total);
    total += i === entries.length - 1 ? e.length : Math.ceil(e.length / alignment) * alignment;
  });
  const out = Buffer.alloc(total);
  entries.forEach((e, i) => {
    const start = starts[i]!;
    e.copy(out, start);
    const next = i === entries.length - 1 ? 0 : starts[i + 1]! - start;
    out.writeUInt32LE(next, start);
  });
  return out;
}
