import { ByteReader } from '../bytes/byte-reader.js';
import { MalformedMessageError } from '../errors/smbench-error.js';
import { HeaderFlags, SMB2_HEADER_SIZE, SMB2_PROTOCOL_ID } from './constants.js';

/**
 * The SMB2 packet header, MS-SMB2 2.2.1. The sync and async forms differ only in bytes 32..39:
 * Reserved+TreeId (sync) or AsyncId (async, SMB2_FLAGS_ASYNC_COMMAND).
 */
export interface Smb2Header {
  creditCharge: number;
  /** NT status in responses; ChannelSequence/Reserved in requests (MS-SMB2 2.2.1.2). */
  status: number;
  command: number;
  /** CreditRequest in requests, CreditResponse in responses. */
  credits: number;
  flags: number;
  nextCommand: number;
  messageId: bigint;
  treeId: number;
  asyncId: bigint;
  sessionId: bigint;
  /** 16 bytes; zero when unsigned. */
  signature: Buffer;
}

const ZERO_SIGNATURE = Buffer.alloc(16);

export function newHeader(command: number): Smb2Header {
  return {
    creditCharge: 0,
    status: 0,
    command,
    credits: 0,
    flags: 0,
    nextCommand: 0,
    messageId: 0n,
    treeId: 0,
    asyncId: 0n,
    sessionId: 0n,
    signature: ZERO_SIGNATURE,
  };
}

export function isAsync(h: Smb2Header): boolean {
  return (h.flags & HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND) !== 0;
}

export function isResponse(h: Smb2Header): boolean {
  return (h.flags & HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
}

/** Writes the 64-byte header at buf[off]. */
export function encodeHeader(h: Smb2Header, buf: Buffer, off = 0): void {
  buf.writeUInt32LE(SMB2_PROTOCOL_ID, off);
  buf.writeUInt16LE(SMB2_HEADER_SIZE, off + 4);
  buf.writeUInt16LE(h.creditCharge, off + 6);
  buf.writeUInt32LE(h.status >>> 0, off + 8);
  buf.writeUInt16LE(h.command, off + 12);
  buf.writeUInt16LE(h.credits, off + 14);
  buf.writeUInt32LE(h.flags >>> 0, off + 16);
  buf.writeUInt32LE(h.nextCommand, off + 20);
  buf.writeBigUInt64LE(h.messageId, off + 24);
  if (isAsync(h)) {
    buf.writeBigUInt64LE(h.asyncId, off + 32);
  } else {
    buf.writeUInt32LE(0, off + 32);
    buf.writeUInt32LE(h.treeId >>> 0, off + 36);
  }
  buf.writeBigUInt64LE(h.sessionId, off + 40);
  buf.set(h.signature, off + 48);
}

/** Parses the 64-byte header at buf[off]; throws MalformedMessageError if it is not one. */
export function decodeHeader(buf: Buffer, off = 0): Smb2Header {
  const r = new ByteReader(buf, off);
  r.need(SMB2_HEADER_SIZE, 'SMB2 header');
  if (r.u32() !== SMB2_PROTOCOL_ID) throw new MalformedMessageError('not an SMB2 header (bad ProtocolId)');
  const structureSize = r.u16();
  if (structureSize !== SMB2_HEADER_SIZE) {
    throw new MalformedMessageError(`SMB2 header StructureSize ${structureSize}, expected 64`);
  }
  const creditCharge = r.u16();
  const status = r.u32();
  const command = r.u16();
  const credits = r.u16();
  const flags = r.u32();
  const nextCommand = r.u32();
  const messageId = r.u64();
  let treeId = 0;
  let asyncId = 0n;
  if (flags & HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND) {
    asyncId = r.u64();
  } else {
    r.skip(4);
    treeId = r.u32();
  }
  const sessionId = r.u64();
  const signature = r.bytes(16);
  return {
    creditCharge,
    status,
    command,
    credits,
    flags,
    nextCommand,
    messageId,
    treeId,
    asyncId,
    sessionId,
    signature,
  };
}
