/**
 * Recognising SMB inside a TCP byte stream: the NBSS framing (RFC 1002 4.3) and the four-byte
 * protocol identifiers that start every SMB message (MS-SMB2 2.2.1, 2.2.41, 2.2.42; MS-SMB 2.2.3.1).
 */

/** Ports where SMB is expected without looking: direct TCP (MS-SMB2 2.1) and NetBIOS session (139). */
export const WELL_KNOWN_SMB_PORTS: readonly number[] = [445, 139];

/** NBSS message types, RFC 1002 4.3.1. */
export const NbssMessageType = {
  SESSION_MESSAGE: 0x00,
  SESSION_REQUEST: 0x81,
  POSITIVE_SESSION_RESPONSE: 0x82,
  NEGATIVE_SESSION_RESPONSE: 0x83,
  RETARGET_SESSION_RESPONSE: 0x84,
  SESSION_KEEP_ALIVE: 0x85,
} as const;

export const NBSS_HEADER_SIZE = 4;
/**
 * MS-SMB2 2.1: direct TCP uses a 24-bit length (RFC 1002 allowed 17 bits). The full 24 bits are
 * used here because multi-megabyte READ/WRITE messages need them.
 */
export const NBSS_MAX_LENGTH = 0xffffff;

/** First byte of the ProtocolId; the next three are always 'S' 'M' 'B'. */
export const SmbProtocolMarker = {
  /** SMB2 header, MS-SMB2 2.2.1. */
  SMB2: 0xfe,
  /** SMB2 TRANSFORM_HEADER (encrypted message), MS-SMB2 2.2.41. */
  TRANSFORM: 0xfd,
  /** SMB2 COMPRESSION_TRANSFORM_HEADER, MS-SMB2 2.2.42. */
  COMPRESSION: 0xfc,
  /** SMB1, MS-SMB 2.2.3.1 (seen as the multi-protocol NEGOTIATE that can precede SMB2). */
  SMB1: 0xff,
} as const;

export const SMB2_HEADER_SIZE = 64;
export const SMB2_TRANSFORM_HEADER_SIZE = 52;
/** The chained compression header is the shortest (MS-SMB2 2.2.42.2). */
export const SMB2_COMPRESSION_HEADER_MIN = 8;
export const SMB1_HEADER_SIZE = 32;
/** MS-SMB2 2.2.1.2 Flags bit: the message is a response. */
export const SMB2_FLAGS_SERVER_TO_REDIR = 0x00000001;
const SMB2_FLAGS_OFFSET = 16;

/** Bytes a resynchronising scanner needs to judge a candidate: NBSS header, ProtocolId, StructureSize. */
export const RESYNC_PROBE_BYTES = 10;

const S = 0x53;
const M = 0x4d;
const B = 0x42;
const SMB_ASCII = Buffer.from('SMB', 'latin1');

/** The protocol marker when buf[o..o+4) is an SMB ProtocolId, else -1. */
export function protocolMarkerAt(buf: Buffer, o: number): number {
  if (buf[o + 1] !== S || buf[o + 2] !== M || buf[o + 3] !== B) return -1;
  const marker = buf[o]!;
  return marker >= SmbProtocolMarker.COMPRESSION ? marker : -1;
}

/** Smallest message length a ProtocolId allows; a shorter NBSS length means we are out of sync. */
export function minimumMessageLength(marker: number): number {
  switch (marker) {
    case SmbProtocolMarker.SMB2:
      return SMB2_HEADER_SIZE;
    case SmbProtocolMarker.TRANSFORM:
      return SMB2_TRANSFORM_HEADER_SIZE + 1;
    case SmbProtocolMarker.COMPRESSION:
      return SMB2_COMPRESSION_HEADER_MIN + 1;
    default:
      return SMB1_HEADER_SIZE;
  }
}

/**
 * Strict test used while resynchronising: an NBSS session message whose payload starts with an
 * SMB2, transform or compression ProtocolId, long enough for it, and (for SMB2) StructureSize 64.
 * The caller guarantees RESYNC_PROBE_BYTES bytes at h.
 */
export function isPlausibleSmbFrameAt(buf: Buffer, h: number): boolean {
  if (buf[h] !== NbssMessageType.SESSION_MESSAGE) return false;
  const marker = protocolMarkerAt(buf, h + NBSS_HEADER_SIZE);
  if (marker < 0 || marker === SmbProtocolMarker.SMB1) return false;
  const length = (buf[h + 1]! << 16) | (buf[h + 2]! << 8) | buf[h + 3]!;
  if (length < minimumMessageLength(marker)) return false;
  return marker !== SmbProtocolMarker.SMB2 || buf.readUInt16LE(h + 8) === SMB2_HEADER_SIZE;
}

/**
 * First h in [start, end - RESYNC_PROBE_BYTES] where a plausible frame starts, or -1. Searches for
 * "SMB" with the native indexOf and checks around each hit, so scanning costs about a memchr.
 */
export function findPlausibleSmbFrame(buf: Buffer, start: number, end: number): number {
  if (end - start < RESYNC_PROBE_BYTES) return -1;
  const window = buf.subarray(start, end);
  // 'SMB' sits 5 bytes into a frame (4 NBSS bytes + marker); the last candidate needs 10 bytes.
  const lastSmb = window.length - RESYNC_PROBE_BYTES + 5;
  let from = 5;
  while (from <= lastSmb) {
    const i = window.indexOf(SMB_ASCII, from);
    if (i < 0 || i > lastSmb) return -1;
    if (isPlausibleSmbFrameAt(window, i - 5)) return start + i - 5;
    from = i + 1;
  }
  return -1;
}

/**
 * Direction of an SMB2 message from its header flags; undefined for transform/compression
 * frames, whose headers carry no direction.
 */
export function isSmb2Response(data: Buffer): boolean | undefined {
  if (data.length < SMB2_FLAGS_OFFSET + 4 || protocolMarkerAt(data, 0) !== SmbProtocolMarker.SMB2)
    return undefined;
  return (data.readUInt32LE(SMB2_FLAGS_OFFSET) & SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
}
