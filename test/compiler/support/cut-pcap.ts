/**
 * A capture that begins mid-session, made from a whole one: the classic pcap file without its
 * first `skip` packets (global header 24 bytes, then a 16-byte record header per packet whose
 * incl_len is at offset 8, https://wiki.wireshark.org/Development/LibpcapFileFormat).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export function writePcapWithoutFirst(input: string, skip: number, output: string): void {
  const data = readFileSync(input);
  if (data.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${input}: not a little-endian µs pcap`);
  const parts: Buffer[] = [data.subarray(0, GLOBAL_HEADER)];
  let at = GLOBAL_HEADER;
  for (let n = 0; at + RECORD_HEADER <= data.length; n++) {
    const end = at + RECORD_HEADER + data.readUInt32LE(at + 8);
    if (n >= skip) parts.push(data.subarray(at, end));
    at = end;
  }
  writeFileSync(output, Buffer.concat(parts));
}
