import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';

/** SMB2_LOCK_ELEMENT Flags, MS-SMB2 2.2.26.1. */
export const LockFlags = {
  SMB2_LOCKFLAG_SHARED_LOCK: 0x00000001,
  SMB2_LOCKFLAG_EXCLUSIVE_LOCK: 0x00000002,
  SMB2_LOCKFLAG_UNLOCK: 0x00000004,
  SMB2_LOCKFLAG_FAIL_IMMEDIATELY: 0x00000010,
} as const;

/** SMB2_LOCK_ELEMENT, MS-SMB2 2.2.26.1: a byte range and what to do with it. */
export interface LockElement {
  offset: bigint;
  length: bigint;
  flags: number;
}

/** MS-SMB2 2.2.26. */
export interface LockRequest {
  /** 4 bits; with the index lets a resilient/persistent handle replay locks idempotently (3.2.4.19). */
  lockSequenceNumber: number;
  /** 28 bits; 0 means "no lock sequence". */
  lockSequenceIndex: number;
  fileId: FileId;
  locks: LockElement[];
}

/** MS-SMB2 2.2.27: StructureSize 4 + Reserved. */
export type LockResponse = Record<string, never>;

/**
 * StructureSize 48 = the 24-byte fixed part plus one lock element. A request with LockCount 0
 * (which the server MUST fail with STATUS_INVALID_PARAMETER, MS-SMB2 3.3.5.14) is encoded as
 * clients send it, the fixed part alone, so a replay of such a probe reaches the same check.
 */
const REQUEST_STRUCTURE_SIZE = 48;
const REQUEST_FIXED = 24;
const LOCK_ELEMENT_SIZE = 24;
const RESPONSE_SIZE = 4;

export const lockCodec: CommandCodec<LockRequest, LockResponse> = {
  command: Command.LOCK,
  requestSize(req) {
    return REQUEST_FIXED + LOCK_ELEMENT_SIZE * req.locks.length;
  },
  encodeRequest(req, msg) {
    const sequence = ((req.lockSequenceIndex & 0x0fffffff) << 4) | (req.lockSequenceNumber & 0x0f);
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u16(req.locks.length)
      .u32(sequence);
    writeFileId(w, req.fileId);
    for (const lock of req.locks) w.u64(lock.offset).u64(lock.length).u32(lock.flags).u32(0);
  },
  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`LOCK request StructureSize ${size}`);
    const count = r.u16();
    const sequence = r.u32();
    const fileId = readFileId(r);
    r.need(count * LOCK_ELEMENT_SIZE, 'LOCK elements');
    const locks: LockElement[] = [];
    for (let i = 0; i < count; i++) {
      const offset = r.u64();
      const length = r.u64();
      const flags = r.u32();
      r.skip(4);
      locks.push({ offset, length, flags });
    }
    return { lockSequenceNumber: sequence & 0x0f, lockSequenceIndex: sequence >>> 4, fileId, locks };
  },
  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_SIZE) throw new MalformedMessageError(`LOCK response StructureSize ${size}`);
    return {};
  },
};
