import { ByteReader } from '../../bytes/byte-reader.js';
import { alignUp, ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';

/** One SMB2_CREATE_CONTEXT before interpretation: its Name and Data bytes (MS-SMB2 2.2.13.2). */
export interface RawCreateContext {
  name: Buffer;
  data: Buffer;
}

/** Next (4) + NameOffset (2) + NameLength (2) + Reserved (2) + DataOffset (2) + DataLength (4). */
const CONTEXT_HEADER_SIZE = 16;
/** Next and DataOffset must be multiples of 8 (MS-SMB2 2.2.13.2). */
const CONTEXT_ALIGNMENT = 8;

function dataOffsetOf(ctx: RawCreateContext): number {
  return alignUp(CONTEXT_HEADER_SIZE + ctx.name.length, CONTEXT_ALIGNMENT);
}

/** Size of one context without trailing padding. */
function contextSize(ctx: RawCreateContext): number {
  return ctx.data.length === 0 ? CONTEXT_HEADER_SIZE + ctx.name.length : dataOffsetOf(ctx) + ctx.data.length;
}

/** Bytes of the whole chain: each context but the last padded to 8 so Next stays aligned. */
export function createContextChainSize(contexts: readonly RawCreateContext[]): number {
  let size = 0;
  for (const ctx of contexts) size = alignUp(size, CONTEXT_ALIGNMENT) + contextSize(ctx);
  return size;
}

/** Writes the chain at buf[offset] (8-byte aligned from the SMB2 header); returns its end offset. */
export function encodeCreateContextChain(
  contexts: readonly RawCreateContext[],
  buf: Buffer,
  offset: number,
): number {
  let start = offset;
  let end = offset;
  contexts.forEach((ctx, i) => {
    const size = contextSize(ctx);
    const last = i === contexts.length - 1;
    const next = last ? 0 : alignUp(size, CONTEXT_ALIGNMENT);
    const dataOffset = ctx.data.length === 0 ? 0 : dataOffsetOf(ctx);
    const w = new ByteWriter(buf, start)
      .u32(next)
      .u16(CONTEXT_HEADER_SIZE)
      .u16(ctx.name.length)
      .u16(0)
      .u16(dataOffset)
      .u32(ctx.data.length)
      .bytes(ctx.name);
    if (ctx.data.length > 0) w.zeros(start + dataOffset - w.offset).bytes(ctx.data);
    if (!last) w.zeros(start + next - w.offset);
    end = w.offset;
    start += next;
  });
  return end;
}

/**
 * Walks the chain in msg[offset, offset+length) (CreateContextsOffset/Length). Every Name and Data
 * must lie inside its own context, and Next must move forward inside the chain; anything else is
 * malformed. Name and data are subarrays of msg.
 */
export function decodeCreateContextChain(msg: Buffer, offset: number, length: number): RawCreateContext[] {
  if (length === 0) return [];
  const chainEnd = offset + length;
  if (offset < 0 || chainEnd > msg.length) {
    throw new MalformedMessageError(
      `create contexts [${offset}, +${length}) outside message of ${msg.length} bytes`,
    );
  }
  const out: RawCreateContext[] = [];
  let start = offset;
  for (;;) {
    const r = new ByteReader(msg, start, chainEnd);
    const next = r.u32();
    const nameOffset = r.u16();
    const nameLength = r.u16();
    r.skip(2);
    const dataOffset = r.u16();
    const dataLength = r.u32();
    if (next !== 0 && (next < CONTEXT_HEADER_SIZE || start + next >= chainEnd)) {
      throw new MalformedMessageError(`create context Next ${next} at ${start} leaves the chain`);
    }
    const contextEnd = next === 0 ? chainEnd : start + next;
    const field = (off: number, len: number, what: string): Buffer => {
      if (len === 0) return msg.subarray(0, 0);
      if (off < CONTEXT_HEADER_SIZE || start + off + len > contextEnd) {
        throw new MalformedMessageError(`create context ${what} [${off}, +${len}) outside its context`);
      }
      return msg.subarray(start + off, start + off + len);
    };
    const name = field(nameOffset, nameLength, 'Name');
    if (name.length === 0) throw new MalformedMessageError(`create context at ${start} has an empty Name`);
    out.push({ name, data: field(dataOffset, dataLength, 'Data') });
    if (next === 0) return out;
    start += next;
  }
}
