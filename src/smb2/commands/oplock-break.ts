import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';

/** Lease Break Notification Flags, MS-SMB2 2.2.23.2. */
export const LeaseBreakFlags = {
  SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED: 0x00000001,
} as const;

/** Oplock Break Notification, MS-SMB2 2.2.23.1: the level the server broke the open to. */
export interface OplockBreakNotification {
  kind: 'oplock';
  oplockLevel: number;
  fileId: FileId;
}

/** Lease Break Notification, MS-SMB2 2.2.23.2. */
export interface LeaseBreakNotification {
  kind: 'lease';
  /** NewEpoch: meaningful for v2 leases (3.x), 0 otherwise. */
  epoch: number;
  flags: number;
  leaseKey: Buffer;
  currentLeaseState: number;
  newLeaseState: number;
  /** BreakReason, AccessMaskHint, ShareMaskHint are reserved (0) but kept for captures. */
  breakReason: number;
  accessMaskHint: number;
  shareMaskHint: number;
}

export type BreakNotification = OplockBreakNotification | LeaseBreakNotification;

/** Oplock Break Acknowledgment (2.2.24.1) and Response (2.2.25.1) share one layout. */
export interface OplockBreakAck {
  oplockLevel: number;
  fileId: FileId;
}

/** Lease Break Acknowledgment (2.2.24.2) and Response (2.2.25.2) share one layout. */
export interface LeaseBreakAck {
  flags: number;
  leaseKey: Buffer;
  leaseState: number;
  /** Reserved (0). */
  leaseDuration: bigint;
}

/** OPLOCK_BREAK bodies are told apart only by StructureSize (MS-SMB2 2.2.23-2.2.25). */
const OPLOCK_BREAK_SIZE = 24;
const LEASE_BREAK_NOTIFICATION_SIZE = 44;
const LEASE_BREAK_ACK_SIZE = 36;
const LEASE_KEY_SIZE = 16;

function readStructureSize(msg: Buffer): { r: ByteReader; size: number } {
  const r = new ByteReader(msg, SMB2_HEADER_SIZE);
  return { r, size: r.u16() };
}

/** After StructureSize: OplockLevel, Reserved (1), Reserved2 (4), FileId. */
function readOplockBody(r: ByteReader): OplockBreakAck {
  const oplockLevel = r.u8();
  r.skip(5);
  return { oplockLevel, fileId: readFileId(r) };
}

/** After StructureSize: Reserved (2), Flags, LeaseKey, LeaseState, LeaseDuration. */
function readLeaseAckBody(r: ByteReader): LeaseBreakAck {
  r.skip(2);
  const flags = r.u32();
  const leaseKey = r.bytes(LEASE_KEY_SIZE, 'LeaseKey');
  return { flags, leaseKey, leaseState: r.u32(), leaseDuration: r.u64() };
}

/**
 * Decodes a server-initiated OPLOCK_BREAK (MessageId 0xFFFFFFFFFFFFFFFF, MS-SMB2 3.3.4.6/3.3.4.7):
 * StructureSize 24 is an oplock break, 44 a lease break.
 */
export function decodeBreakNotification(msg: Buffer): BreakNotification {
  const { r, size } = readStructureSize(msg);
  if (size === OPLOCK_BREAK_SIZE) return { kind: 'oplock', ...readOplockBody(r) };
  if (size === LEASE_BREAK_NOTIFICATION_SIZE) {
    const epoch = r.u16();
    const flags = r.u32();
    const leaseKey = r.bytes(LEASE_KEY_SIZE, 'LeaseKey');
    return {
      kind: 'lease',
      epoch,
      flags,
      leaseKey,
      currentLeaseState: r.u32(),
      newLeaseState: r.u32(),
      breakReason: r.u32(),
      accessMaskHint: r.u32(),
      shareMaskHint: r.u32(),
    };
  }
  throw new MalformedMessageError(`OPLOCK_BREAK notification StructureSize ${size}, expected 24 or 44`);
}

/** Server-side encoding of a break notification (for fake servers in tests); returns body size. */
export function encodeBreakNotification(n: BreakNotification, msg: Buffer): number {
  const w = new ByteWriter(msg, SMB2_HEADER_SIZE);
  if (n.kind === 'oplock') {
    w.u16(OPLOCK_BREAK_SIZE).u8(n.oplockLevel).u8(0).u32(0);
    writeFileId(w, n.fileId);
    return OPLOCK_BREAK_SIZE;
  }
  w.u16(LEASE_BREAK_NOTIFICATION_SIZE).u16(n.epoch).u32(n.flags).bytes(n.leaseKey);
  w.u32(n.currentLeaseState)
    .u32(n.newLeaseState)
    .u32(n.breakReason)
    .u32(n.accessMaskHint)
    .u32(n.shareMaskHint);
  return LEASE_BREAK_NOTIFICATION_SIZE;
}

/** For the capture compiler: a client OPLOCK_BREAK request is an oplock or a lease acknowledgment. */
export function decodeBreakAcknowledgment(
  msg: Buffer,
): ({ kind: 'oplock' } & OplockBreakAck) | ({ kind: 'lease' } & LeaseBreakAck) {
  const { r, size } = readStructureSize(msg);
  if (size === OPLOCK_BREAK_SIZE) return { kind: 'oplock', ...readOplockBody(r) };
  if (size === LEASE_BREAK_ACK_SIZE) return { kind: 'lease', ...readLeaseAckBody(r) };
  throw new MalformedMessageError(`OPLOCK_BREAK acknowledgment StructureSize ${size}, expected 24 or 36`);
}

function decodeOplockAck(msg: Buffer, what: string): OplockBreakAck {
  const { r, size } = readStructureSize(msg);
  if (size !== OPLOCK_BREAK_SIZE)
    throw new MalformedMessageError(`${what} StructureSize ${size}, expected 24`);
  return readOplockBody(r);
}

function decodeLeaseAck(msg: Buffer, what: string): LeaseBreakAck {
  const { r, size } = readStructureSize(msg);
  if (size !== LEASE_BREAK_ACK_SIZE)
    throw new MalformedMessageError(`${what} StructureSize ${size}, expected 36`);
  return readLeaseAckBody(r);
}

/** Oplock Break Acknowledgment (2.2.24.1) -> Oplock Break Response (2.2.25.1). */
export const oplockBreakAckCodec: CommandCodec<OplockBreakAck, OplockBreakAck> = {
  command: Command.OPLOCK_BREAK,
  requestSize: () => OPLOCK_BREAK_SIZE,
  encodeRequest(req, msg) {
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE).u16(OPLOCK_BREAK_SIZE).u8(req.oplockLevel).u8(0).u32(0);
    writeFileId(w, req.fileId);
  },
  decodeRequest: (msg) => decodeOplockAck(msg, 'OPLOCK_BREAK acknowledgment'),
  decodeResponse: (msg) => decodeOplockAck(msg, 'OPLOCK_BREAK response'),
};

/** Lease Break Acknowledgment (2.2.24.2) -> Lease Break Response (2.2.25.2). */
export const leaseBreakAckCodec: CommandCodec<LeaseBreakAck, LeaseBreakAck> = {
  command: Command.OPLOCK_BREAK,
  requestSize: () => LEASE_BREAK_ACK_SIZE,
  encodeRequest(req, msg) {
    if (req.leaseKey.length !== LEASE_KEY_SIZE)
      throw new RangeError(`LeaseKey must be 16 bytes, got ${req.leaseKey.length}`);
    new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(LEASE_BREAK_ACK_SIZE)
      .u16(0)
      .u32(req.flags)
      .bytes(req.leaseKey)
      .u32(req.leaseState)
      .u64(req.leaseDuration);
  },
  decodeRequest: (msg) => decodeLeaseAck(msg, 'LEASE_BREAK acknowledgment'),
  decodeResponse: (msg) => decodeLeaseAck(msg, 'LEASE_BREAK response'),
};
