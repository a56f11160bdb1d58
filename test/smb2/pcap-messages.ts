import { existsSync, readFileSync } from 'node:fs';
import { BASIC_PCAP } from '../support/shared-pcaps.js';

/**
 * Test-only: pulls the SMB2 messages out of a small classic-pcap, Ethernet/IPv4 capture so codec
 * tests can decode real bytes. Deliberately naive (in-order TCP, no retransmissions, no IPv6);
 * the real capture pipeline lives in src/capture.
 */
export interface CapturedMessage {
  fromServer: boolean;
  command: number;
  isResponse: boolean;
  status: number;
  /** One SMB2 message (header + body), a compound member sliced at NextCommand. */
  msg: Buffer;
}

export { BASIC_PCAP };

export function havePcap(path = BASIC_PCAP): boolean {
  return existsSync(path);
}

export function readSmb2Messages(path: string, serverPort: number): CapturedMessage[] {
  const file = readFileSync(path);
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('only little-endian microsecond pcap supported');
  const streams = { toServer: [] as Buffer[], fromServer: [] as Buffer[] };
  for (let off = 24; off + 16 <= file.length;) {
    const capLen = file.readUInt32LE(off + 8);
    const frame = file.subarray(off + 16, off + 16 + capLen);
    off += 16 + capLen;
    if (frame.readUInt16BE(12) !== 0x0800) continue;
    const ip = frame.subarray(14);
    const ihl = (ip[0]! & 0x0f) * 4;
    if (ip[9] !== 6) continue;
    const tcp = ip.subarray(ihl, ip.readUInt16BE(2));
    const payload = tcp.subarray((tcp[12]! >> 4) * 4);
    if (payload.length === 0) continue;
    const fromServer = tcp.readUInt16BE(0) === serverPort;
    (fromServer ? streams.fromServer : streams.toServer).push(payload);
  }
  return [
    ...splitStream(Buffer.concat(streams.toServer), false),
    ...splitStream(Buffer.concat(streams.fromServer), true),
  ];
}

function splitStream(stream: Buffer, fromServer: boolean): CapturedMessage[] {
  const out: CapturedMessage[] = [];
  for (let off = 0; off + 4 <= stream.length;) {
    const length = stream.readUInt32BE(off) & 0x00ffffff;
    const pdu = stream.subarray(off + 4, off + 4 + length);
    off += 4 + length;
    if (pdu.readUInt32LE(0) !== 0x424d53fe) continue;
    for (let m = 0; ;) {
      const next = pdu.readUInt32LE(m + 20);
      const msg = pdu.subarray(m, next ? m + next : pdu.length);
      out.push({
        fromServer,
        command: msg.readUInt16LE(12),
        isResponse: (msg.readUInt32LE(16) & 1) !== 0,
        status: msg.readUInt32LE(8),
        msg,
      });
      if (!next) break;
      m += next;
    }
  }
  return out;
}
