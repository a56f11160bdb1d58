/**
 * The compiler's view of an SMB2 header (MS-SMB2 2.2.1): only the fields correlation needs, read
 * straight from the buffer into one reused object. 64-bit ids are kept as their two 32-bit halves,
 * which compare exactly and cost no BigInt allocation per message; `wideKey` folds them into one
 * number for Map keys (exact below 2^53, verified against the halves where it matters).
 */
import { HeaderFlags, SMB2_HEADER_SIZE, SMB2_PROTOCOL_ID } from '../../smb2/constants.js';

export interface MessageHeader {
  /** Offset of the header within the PDU. */
  start: number;
  /** End of this message: the next header's offset, or the end of the PDU. */
  end: number;
  status: number;
  command: number;
  flags: number;
  nextCommand: number;
  messageIdLo: number;
  messageIdHi: number;
  /** AsyncId halves when SMB2_FLAGS_ASYNC_COMMAND is set, else 0. */
  asyncIdLo: number;
  asyncIdHi: number;
  treeId: number;
  sessionIdLo: number;
  sessionIdHi: number;
}

export function createMessageHeader(): MessageHeader {
  return {
    start: 0,
    end: 0,
    status: 0,
    command: 0,
    flags: 0,
    nextCommand: 0,
    messageIdLo: 0,
    messageIdHi: 0,
    asyncIdLo: 0,
    asyncIdHi: 0,
    treeId: 0,
    sessionIdLo: 0,
    sessionIdHi: 0,
  };
}

/** Why a message in a PDU could not be read. */
export const HeaderProblem = {
  OK: 0,
  /** Fewer than 64 bytes left. */
  TRUNCATED: 1,
  /** ProtocolId is not 0xFE 'SMB' or StructureSize is not 64. */
  NOT_SMB2: 2,
  /** NextCommand points backwards, inside the header, or past the PDU (MS-SMB2 3.3.5.2.7). */
  BAD_NEXT_COMMAND: 3,
} as const;
export type HeaderProblem = (typeof HeaderProblem)[keyof typeof HeaderProblem];

const TWO_POW_32 = 4294967296;

/** One number for a 64-bit id; exact while the high half is below 2^21. */
export function wideKey(lo: number, hi: number): number {
  return hi * TWO_POW_32 + lo;
}

/**
 * Reads the header at data[start] into `out`. Compound messages are 8-byte aligned and chained by
 * NextCommand (MS-SMB2 3.2.4.1.4); `out.end` is where this message stops.
 */
export function readMessageHeader(data: Buffer, start: number, out: MessageHeader): HeaderProblem {
  const length = data.length;
  if (start + SMB2_HEADER_SIZE > length) return HeaderProblem.TRUNCATED;
  if (data.readUInt32LE(start) !== SMB2_PROTOCOL_ID || data.readUInt16LE(start + 4) !== SMB2_HEADER_SIZE) {
    return HeaderProblem.NOT_SMB2;
  }
  const flags = data.readUInt32LE(start + 16);
  const next = data.readUInt32LE(start + 20);
  out.start = start;
  out.status = data.readUInt32LE(start + 8);
  out.command = data.readUInt16LE(start + 12);
  out.flags = flags;
  out.nextCommand = next;
  out.messageIdLo = data.readUInt32LE(start + 24);
  out.messageIdHi = data.readUInt32LE(start + 28);
  if ((flags & HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND) !== 0) {
    out.asyncIdLo = data.readUInt32LE(start + 32);
    out.asyncIdHi = data.readUInt32LE(start + 36);
    out.treeId = 0;
  } else {
    out.asyncIdLo = 0;
    out.asyncIdHi = 0;
    out.treeId = data.readUInt32LE(start + 36);
  }
  out.sessionIdLo = data.readUInt32LE(start + 40);
  out.sessionIdHi = data.readUInt32LE(start + 44);
  if (next === 0) {
    out.end = length;
    return HeaderProblem.OK;
  }
  if (next < SMB2_HEADER_SIZE || start + next > length) {
    out.end = length;
    return HeaderProblem.BAD_NEXT_COMMAND;
  }
  out.end = start + next;
  return HeaderProblem.OK;
}

export function isResponseHeader(h: MessageHeader): boolean {
  return (h.flags & HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
}

export function isRelated(h: MessageHeader): boolean {
  return (h.flags & HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS) !== 0;
}

export function isAsyncHeader(h: MessageHeader): boolean {
  return (h.flags & HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND) !== 0;
}

/** MessageId 0xFFFFFFFFFFFFFFFF: an unsolicited oplock/lease break (MS-SMB2 3.3.4.6). */
export function isUnsolicited(h: MessageHeader): boolean {
  return h.messageIdLo === 0xffffffff && h.messageIdHi === 0xffffffff;
}
