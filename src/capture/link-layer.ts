import { u16be } from './wire-read.js';

/**
 * Link-layer headers in front of IP, by LINKTYPE_* (https://www.tcpdump.org/linktypes.html).
 * Each decoder only finds where the IP header starts and which IP version it is.
 */
export const LinkType = {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  LINKTYPE_NULL: 0,
  LINKTYPE_ETHERNET: 1,
  /** DLT_RAW as some BSDs numbered it before LINKTYPE_RAW existed. */
  DLT_RAW_12: 12,
  DLT_RAW_14: 14,
  LINKTYPE_RAW: 101,
  /** OpenBSD loopback: like NULL but the family is always big-endian. */
  LINKTYPE_LOOP: 108,
  /** Linux "cooked" capture v1 (tcpdump -i any). */
  LINKTYPE_LINUX_SLL: 113,
  LINKTYPE_IPV4: 228,
  LINKTYPE_IPV6: 229,
  LINKTYPE_LINUX_SLL2: 276,
} as const;
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

/** IEEE 802 EtherType values this reader understands. */
export const EtherType = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  /** IEEE 802.1Q VLAN tag. */
  VLAN: 0x8100,
  /** IEEE 802.1ad service tag (QinQ outer tag). */
  QINQ: 0x88a8,
  /** Pre-standard QinQ outer tag used by some switches. */
  QINQ_LEGACY: 0x9100,
} as const;

export const LinkDecodeStatus = {
  OK: 0,
  NOT_IP: 1,
  TRUNCATED: 2,
  UNKNOWN_LINK_TYPE: 3,
} as const;
export type LinkDecodeStatus = (typeof LinkDecodeStatus)[keyof typeof LinkDecodeStatus];

/** Reused output of decodeLinkLayer (one per decoder, no per-packet allocation). */
export interface LinkLayerResult {
  /** Offset of the first byte of the IP header in the packet buffer. */
  ipOffset: number;
  /** EtherType.IPV4 or EtherType.IPV6. */
  etherType: number;
}

export function createLinkLayerResult(): LinkLayerResult {
  return { ipOffset: 0, etherType: 0 };
}

const ETHERNET_HEADER_SIZE = 14;
const VLAN_TAG_SIZE = 4;
/** More nested tags than this is a corrupt frame, not a real network. */
const MAX_VLAN_TAGS = 4;
const SLL_HEADER_SIZE = 16;
const SLL2_HEADER_SIZE = 20;
const LOOPBACK_HEADER_SIZE = 4;
/** AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
const AF_INET = 2;
const AF_INET6_VALUES: ReadonlySet<number> = new Set([10, 24, 28, 30]);

/** Finds the IP header in a frame captured on `linkType`. */
export function decodeLinkLayer(
  linkType: number,
  buf: Buffer,
  start: number,
  end: number,
  out: LinkLayerResult,
): LinkDecodeStatus {
  switch (linkType) {
    case LinkType.LINKTYPE_ETHERNET:
      if (end - start < ETHERNET_HEADER_SIZE) return LinkDecodeStatus.TRUNCATED;
      return etherTypeChain(buf, start + 12, end, out);
    case LinkType.LINKTYPE_LINUX_SLL:
      // Packet type, ARPHRD type, address length, 8-byte address, then the protocol (EtherType).
      if (end - start < SLL_HEADER_SIZE) return LinkDecodeStatus.TRUNCATED;
      return etherTypeChain(buf, start + 14, end, out);
    case LinkType.LINKTYPE_LINUX_SLL2:
      // SLL2 moves the protocol to the front: protocol, reserved, ifindex, ARPHRD, ...
      if (end - start < SLL2_HEADER_SIZE) return LinkDecodeStatus.TRUNCATED;
      return etherTypeAt(u16be(buf, start), start + SLL2_HEADER_SIZE, out);
    case LinkType.LINKTYPE_RAW:
    case LinkType.DLT_RAW_12:
    case LinkType.DLT_RAW_14:
    case LinkType.LINKTYPE_IPV4:
    case LinkType.LINKTYPE_IPV6:
      return rawIp(buf, start, end, out);
    case LinkType.LINKTYPE_NULL:
    case LinkType.LINKTYPE_LOOP:
      return loopback(buf, start, end, out);
    default:
      return LinkDecodeStatus.UNKNOWN_LINK_TYPE;
  }
}

/** Reads an EtherType at `typeOffset`, skipping any stack of 802.1Q / 802.1ad tags. */
function etherTypeChain(
  buf: Buffer,
  typeOffset: number,
  end: number,
  out: LinkLayerResult,
): LinkDecodeStatus {
  let type = u16be(buf, typeOffset);
  let payload = typeOffset + 2;
  for (let tags = 0; isVlanTag(type); tags++) {
    if (tags === MAX_VLAN_TAGS || end - payload < VLAN_TAG_SIZE) return LinkDecodeStatus.TRUNCATED;
    // Tag Control Information (2 bytes) then the inner EtherType.
    type = u16be(buf, payload + 2);
    payload += VLAN_TAG_SIZE;
  }
  return etherTypeAt(type, payload, out);
}

function isVlanTag(type: number): boolean {
  return type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_LEGACY;
}

function etherTypeAt(type: number, ipOffset: number, out: LinkLayerResult): LinkDecodeStatus {
  if (type !== EtherType.IPV4 && type !== EtherType.IPV6) return LinkDecodeStatus.NOT_IP;
  out.etherType = type;
  out.ipOffset = ipOffset;
  return LinkDecodeStatus.OK;
}

/** Raw IP: the version nibble is the only type information. */
function rawIp(buf: Buffer, start: number, end: number, out: LinkLayerResult): LinkDecodeStatus {
  if (end - start < 1) return LinkDecodeStatus.TRUNCATED;
  const version = buf[start]! >> 4;
  if (version === 4) return etherTypeAt(EtherType.IPV4, start, out);
  if (version === 6) return etherTypeAt(EtherType.IPV6, start, out);
  return LinkDecodeStatus.NOT_IP;
}

/**
 * NULL/LOOP: a 4-byte address family. NULL is in the capturing host's byte order (unknown to
 * us), LOOP is big-endian but some writers got it wrong, so both accept either order: a family
 * is small, so whichever reading fits in 16 bits is the right one.
 */
function loopback(buf: Buffer, start: number, end: number, out: LinkLayerResult): LinkDecodeStatus {
  if (end - start < LOOPBACK_HEADER_SIZE) return LinkDecodeStatus.TRUNCATED;
  let family = buf.readUInt32LE(start);
  if (family > 0xffff) family = buf.readUInt32BE(start);
  const ipOffset = start + LOOPBACK_HEADER_SIZE;
  if (family === AF_INET) return etherTypeAt(EtherType.IPV4, ipOffset, out);
  if (AF_INET6_VALUES.has(family)) return etherTypeAt(EtherType.IPV6, ipOffset, out);
  return LinkDecodeStatus.NOT_IP;
}
