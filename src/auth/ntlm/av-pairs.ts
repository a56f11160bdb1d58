import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16 } from '../../bytes/utf16.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { AvId } from './constants.js';

/** One MS-NLMP 2.2.2.1 AV_PAIR; `value` is the raw bytes (a view into the message). */
export interface AvPair {
  readonly id: number;
  readonly value: Buffer;
}

/**
 * Parses the AV_PAIR list of a CHALLENGE_MESSAGE TargetInfo (MS-NLMP 2.2.1.2). The terminating
 * MsvAvEOL is consumed but not returned. A list without EOL is accepted (some servers omit it),
 * but an AvLen past the end of the buffer is malformed.
 */
export function decodeAvPairs(targetInfo: Buffer): AvPair[] {
  const r = new ByteReader(targetInfo);
  const pairs: AvPair[] = [];
  while (r.remaining > 0) {
    if (r.remaining < 4)
      throw new MalformedMessageError(`NTLM AV_PAIR header truncated (${r.remaining} bytes left)`);
    const id = r.u16();
    const len = r.u16();
    const value = r.bytes(len, 'NTLM AV_PAIR value');
    if (id === AvId.MsvAvEOL) break;
    pairs.push({ id, value });
  }
  return pairs;
}

/** Serialises AV pairs and appends MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const size = pairs.reduce((n, p) => n + 4 + p.value.length, 4);
  const w = new ByteWriter(Buffer.alloc(size));
  for (const p of pairs) w.u16(p.id).u16(p.value.length).bytes(p.value);
  w.u16(AvId.MsvAvEOL).u16(0);
  return w.buf;
}

export function findAvPair(pairs: readonly AvPair[], id: AvId): Buffer | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

/** The value of a string-valued pair (names are UTF-16LE, MS-NLMP 2.2.2.1). */
export function avPairString(pairs: readonly AvPair[], id: AvId): string | undefined {
  const v = findAvPair(pairs, id);
  return v === undefined ? undefined : fromUtf16(v);
}

/** MsvAvTimestamp: a FILETIME (MS-NLMP 2.2.2.1), or undefined when absent or not 8 bytes. */
export function avPairTimestamp(pairs: readonly AvPair[]): bigint | undefined {
  const v = findAvPair(pairs, AvId.MsvAvTimestamp);
  return v && v.length === 8 ? v.readBigUInt64LE(0) : undefined;
}

/** MsvAvFlags as a number; 0 when absent. */
export function avPairFlags(pairs: readonly AvPair[]): number {
  const v = findAvPair(pairs, AvId.MsvAvFlags);
  return v && v.length === 4 ? v.readUInt32LE(0) : 0;
}
