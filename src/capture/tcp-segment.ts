import { u16be, u32be } from './wire-read.js';

/** TCP header flags, RFC 9293 3.1. */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** Reused output of decodeTcpSegment. */
export interface TcpSegmentView {
  srcPort: number;
  dstPort: number;
  /** Sequence and acknowledgement numbers as unsigned 32-bit values. */
  seq: number;
  ack: number;
  flags: number;
  payloadStart: number;
  /** End of the captured payload. */
  payloadEnd: number;
  /** Payload length on the wire (from the IP length); larger than captured when the snaplen cut it. */
  payloadLength: number;
}

export function createTcpSegmentView(): TcpSegmentView {
  return {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    payloadStart: 0,
    payloadEnd: 0,
    payloadLength: 0,
  };
}

const TCP_MIN_HEADER = 20;

/**
 * Decodes the TCP header (RFC 9293 3.1) at buf[start]; `capturedEnd` bounds the bytes we have and
 * `wireLength` is the segment length the IP header declares. False when the header is unusable.
 */
export function decodeTcpSegment(
  buf: Buffer,
  start: number,
  capturedEnd: number,
  wireLength: number,
  out: TcpSegmentView,
): boolean {
  if (capturedEnd - start < TCP_MIN_HEADER) return false;
  const headerLen = (buf[start + 12]! >> 4) * 4;
  if (headerLen < TCP_MIN_HEADER || headerLen > wireLength || start + headerLen > capturedEnd) return false;
  out.srcPort = u16be(buf, start);
  out.dstPort = u16be(buf, start + 2);
  out.seq = u32be(buf, start + 4);
  out.ack = u32be(buf, start + 8);
  out.flags = buf[start + 13]!;
  out.payloadStart = start + headerLen;
  out.payloadEnd = capturedEnd;
  out.payloadLength = wireLength - headerLen;
  return true;
}
