import { EtherType } from './link-layer.js';
import { u16be, u32be } from './wire-read.js';

/** IANA protocol numbers that matter for finding TCP behind IPv6 extension headers (RFC 8200 4). */
export const IpProtocol = {
  HOPOPT: 0,
  TCP: 6,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  ESP: 50,
  AH: 51,
  IPV6_NONXT: 59,
  IPV6_OPTS: 60,
  MOBILITY: 135,
  HIP: 139,
  SHIM6: 140,
} as const;

export const IpDecodeStatus = {
  OK: 0,
  /** A fragment (not reassembled). */
  FRAGMENT: 1,
  MALFORMED: 2,
} as const;
export type IpDecodeStatus = (typeof IpDecodeStatus)[keyof typeof IpDecodeStatus];

/**
 * Reused output of decodeIp. Addresses are kept as four 32-bit words (IPv4 uses only the first)
 * so connection lookup compares numbers instead of building string keys per packet.
 */
export interface IpPacketView {
  version: number;
  src0: number;
  src1: number;
  src2: number;
  src3: number;
  dst0: number;
  dst1: number;
  dst2: number;
  dst3: number;
  /** Upper-layer protocol after any IPv6 extension headers. */
  protocol: number;
  payloadStart: number;
  /** End of the captured payload (never past the packet, never into link-layer padding). */
  payloadEnd: number;
  /** Payload length the header declares; more than payloadEnd - payloadStart if the snaplen cut it. */
  payloadLength: number;
}

export function createIpPacketView(): IpPacketView {
  return {
    version: 0,
    src0: 0,
    src1: 0,
    src2: 0,
    src3: 0,
    dst0: 0,
    dst1: 0,
    dst2: 0,
    dst3: 0,
    protocol: 0,
    payloadStart: 0,
    payloadEnd: 0,
    payloadLength: 0,
  };
}

const IPV4_MIN_HEADER = 20;
const IPV6_HEADER = 40;
/** IPv4 flags/fragment-offset word: More Fragments bit and 13-bit offset (RFC 791 3.1). */
const IPV4_MF = 0x2000;
const IPV4_OFFSET_MASK = 0x1fff;
/** A chain longer than this is hostile input, not a real packet. */
const MAX_EXTENSION_HEADERS = 8;

/** Decodes the IPv4 or IPv6 header at buf[start] (the link layer said which). */
export function decodeIp(
  buf: Buffer,
  start: number,
  end: number,
  etherType: number,
  out: IpPacketView,
): IpDecodeStatus {
  return etherType === EtherType.IPV6 ? decodeIpv6(buf, start, end, out) : decodeIpv4(buf, start, end, out);
}

/** RFC 791 3.1. */
function decodeIpv4(buf: Buffer, start: number, end: number, out: IpPacketView): IpDecodeStatus {
  const captured = end - start;
  if (captured < IPV4_MIN_HEADER) return IpDecodeStatus.MALFORMED;
  const b0 = buf[start]!;
  const headerLen = (b0 & 0x0f) * 4;
  if (b0 >> 4 !== 4 || headerLen < IPV4_MIN_HEADER || headerLen > captured) return IpDecodeStatus.MALFORMED;
  let totalLen = u16be(buf, start + 2);
  // Total length 0 is what TSO/GSO leaves in captures of large offloaded segments: trust the capture.
  if (totalLen === 0) totalLen = captured;
  if (totalLen < headerLen) return IpDecodeStatus.MALFORMED;
  const frag = u16be(buf, start + 6);
  out.version = 4;
  out.protocol = buf[start + 9]!;
  out.src0 = u32be(buf, start + 12);
  out.dst0 = u32be(buf, start + 16);
  out.src1 = out.src2 = out.src3 = out.dst1 = out.dst2 = out.dst3 = 0;
  out.payloadStart = start + headerLen;
  // Cut at the declared length so Ethernet padding of short frames is not read as TCP data.
  out.payloadEnd = start + Math.min(totalLen, captured);
  out.payloadLength = totalLen - headerLen;
  if ((frag & IPV4_MF) !== 0 || (frag & IPV4_OFFSET_MASK) !== 0) return IpDecodeStatus.FRAGMENT;
  return IpDecodeStatus.OK;
}

/** RFC 8200 3 and 4: fixed header, then extension headers until an upper-layer protocol. */
function decodeIpv6(buf: Buffer, start: number, end: number, out: IpPacketView): IpDecodeStatus {
  const captured = end - start;
  if (captured < IPV6_HEADER || buf[start]! >> 4 !== 6) return IpDecodeStatus.MALFORMED;
  let payloadLen = u16be(buf, start + 4);
  // 0 means a jumbogram (RFC 2675) or a GSO capture: the capture length is the best bound.
  if (payloadLen === 0) payloadLen = captured - IPV6_HEADER;
  out.version = 6;
  out.src0 = u32be(buf, start + 8);
  out.src1 = u32be(buf, start + 12);
  out.src2 = u32be(buf, start + 16);
  out.src3 = u32be(buf, start + 20);
  out.dst0 = u32be(buf, start + 24);
  out.dst1 = u32be(buf, start + 28);
  out.dst2 = u32be(buf, start + 32);
  out.dst3 = u32be(buf, start + 36);
  const payloadWireEnd = start + IPV6_HEADER + payloadLen;
  const capturedEnd = Math.min(payloadWireEnd, end);
  let next = buf[start + 6]!;
  let p = start + IPV6_HEADER;
  let fragment = false;
  for (let i = 0; i <= MAX_EXTENSION_HEADERS; i++) {
    let extLen: number;
    switch (next) {
      case IpProtocol.HOPOPT:
      case IpProtocol.IPV6_ROUTE:
      case IpProtocol.IPV6_OPTS:
      case IpProtocol.MOBILITY:
      case IpProtocol.HIP:
      case IpProtocol.SHIM6:
        if (capturedEnd - p < 2) return IpDecodeStatus.MALFORMED;
        extLen = (buf[p + 1]! + 1) * 8;
        break;
      case IpProtocol.AH:
        // RFC 4302 2.2: length in 4-octet units minus 2.
        if (capturedEnd - p < 2) return IpDecodeStatus.MALFORMED;
        extLen = (buf[p + 1]! + 2) * 4;
        break;
      case IpProtocol.IPV6_FRAG: {
        // RFC 8200 4.5: an "atomic fragment" (offset 0, M=0) is a whole packet.
        if (capturedEnd - p < 8) return IpDecodeStatus.MALFORMED;
        const offsetAndFlags = u16be(buf, p + 2);
        if (offsetAndFlags & 0xfff9) fragment = true;
        extLen = 8;
        break;
      }
      default:
        out.protocol = next;
        out.payloadStart = p;
        out.payloadEnd = Math.max(p, capturedEnd);
        out.payloadLength = payloadWireEnd - p;
        if (out.payloadLength < 0) return IpDecodeStatus.MALFORMED;
        return fragment ? IpDecodeStatus.FRAGMENT : IpDecodeStatus.OK;
    }
    next = buf[p]!;
    p += extLen;
    if (p > capturedEnd) return IpDecodeStatus.MALFORMED;
  }
  return IpDecodeStatus.MALFORMED;
}

/** Text form of an address held as IpPacketView words: dotted quad, or RFC 5952 IPv6. */
export function formatIpAddress(version: number, words: readonly number[]): string {
  const w0 = words[0] ?? 0;
  if (version === 4) return `${w0 >>> 24}.${(w0 >>> 16) & 0xff}.${(w0 >>> 8) & 0xff}.${w0 & 0xff}`;
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = words[i] ?? 0;
    groups.push(w >>> 16, w & 0xffff);
  }
  // RFC 5952 4.2: compress the longest run (of at least two) of zero groups, the first if tied.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
