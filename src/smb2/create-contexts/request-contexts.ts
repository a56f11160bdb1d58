import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { FileId } from '../constants.js';
import { readFileId, writeFileId } from '../file-id.js';
import type { RawCreateContext } from './chain.js';
import { decodeLease, encodeLeaseV1, encodeLeaseV2, type LeaseV1, type LeaseV2 } from './lease.js';
import { CreateContextName, nameEquals, tagName } from './names.js';

/** Flags of SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2 / _RECONNECT_V2, MS-SMB2 2.2.13.2.11-12. */
export const DurableHandleFlags = {
  SMB2_DHANDLE_FLAG_PERSISTENT: 0x00000002,
} as const;

/** Create contexts a client sends, by kind (MS-SMB2 2.2.13.2). Unknown names pass through. */
export type CreateRequestContext =
  | ({ kind: 'leaseV1' } & LeaseV1)
  | ({ kind: 'leaseV2' } & LeaseV2)
  /** DHnQ, 2.2.13.2.3: 16 reserved bytes. */
  | { kind: 'durableV1' }
  /** DH2Q, 2.2.13.2.11. Timeout in milliseconds, 0 = server default. CreateGuid is 16 bytes. */
  | { kind: 'durableV2'; timeout: number; flags: number; createGuid: Buffer }
  /** DHnC, 2.2.13.2.4. */
  | { kind: 'durableReconnectV1'; fileId: FileId }
  /** DH2C, 2.2.13.2.12. */
  | { kind: 'durableReconnectV2'; fileId: FileId; createGuid: Buffer; flags: number }
  /** MxAc, 2.2.13.2.5: optional FILETIME the access check is evaluated at. */
  | { kind: 'maximalAccess'; timestamp?: bigint }
  /** QFid, 2.2.13.2.9: no data. */
  | { kind: 'queryOnDiskId' }
  /** TWrp, 2.2.13.2.7: FILETIME of the snapshot to open. */
  | { kind: 'timewarp'; timestamp: bigint }
  /** AlSi, 2.2.13.2.6. */
  | { kind: 'allocationSize'; allocationSize: bigint }
  | { kind: 'unknown'; name: Buffer; data: Buffer };

const DHNQ_SIZE = 16;
const DH2Q_SIZE = 32;
const DHNC_SIZE = 16;
const DH2C_SIZE = 36;
const GUID_SIZE = 16;

function u64Data(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}

function checkGuid(guid: Buffer): void {
  if (guid.length !== GUID_SIZE) throw new RangeError(`CreateGuid must be 16 bytes, got ${guid.length}`);
}

function raw(tag: string, data: Buffer): RawCreateContext {
  return { name: tagName(tag), data };
}

export function requestContextToRaw(ctx: CreateRequestContext): RawCreateContext {
  switch (ctx.kind) {
    case 'leaseV1':
      return raw(CreateContextName.SMB2_CREATE_REQUEST_LEASE, encodeLeaseV1(ctx));
    case 'leaseV2':
      return raw(CreateContextName.SMB2_CREATE_REQUEST_LEASE_V2, encodeLeaseV2(ctx));
    case 'durableV1':
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST, Buffer.alloc(DHNQ_SIZE));
    case 'durableV2': {
      checkGuid(ctx.createGuid);
      const data = Buffer.alloc(DH2Q_SIZE);
      new ByteWriter(data).u32(ctx.timeout).u32(ctx.flags).u64(0n).bytes(ctx.createGuid);
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2, data);
    }
    case 'durableReconnectV1': {
      const data = Buffer.alloc(DHNC_SIZE);
      writeFileId(new ByteWriter(data), ctx.fileId);
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_RECONNECT, data);
    }
    case 'durableReconnectV2': {
      checkGuid(ctx.createGuid);
      const data = Buffer.alloc(DH2C_SIZE);
      const w = new ByteWriter(data);
      writeFileId(w, ctx.fileId);
      w.bytes(ctx.createGuid).u32(ctx.flags);
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2, data);
    }
    case 'maximalAccess':
      return raw(
        CreateContextName.SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST,
        ctx.timestamp === undefined ? Buffer.alloc(0) : u64Data(ctx.timestamp),
      );
    case 'queryOnDiskId':
      return raw(CreateContextName.SMB2_CREATE_QUERY_ON_DISK_ID, Buffer.alloc(0));
    case 'timewarp':
      return raw(CreateContextName.SMB2_CREATE_TIMEWARP_TOKEN, u64Data(ctx.timestamp));
    case 'allocationSize':
      return raw(CreateContextName.SMB2_CREATE_ALLOCATION_SIZE, u64Data(ctx.allocationSize));
    case 'unknown':
      return { name: ctx.name, data: ctx.data };
  }
}

function expectSize(data: Buffer, size: number, tag: string): ByteReader {
  if (data.length !== size)
    throw new MalformedMessageError(`${tag} create context of ${data.length} bytes; expected ${size}`);
  return new ByteReader(data);
}

/** Interprets one request context; names this codec does not model come back as 'unknown'. */
export function requestContextFromRaw({ name, data }: RawCreateContext): CreateRequestContext {
  const is = (tag: string) => nameEquals(name, tag);
  if (is(CreateContextName.SMB2_CREATE_REQUEST_LEASE)) {
    const lease = decodeLease(data);
    return lease.version === 1 ? { kind: 'leaseV1', ...lease.lease } : { kind: 'leaseV2', ...lease.lease };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST)) {
    expectSize(data, DHNQ_SIZE, 'DHnQ');
    return { kind: 'durableV1' };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2)) {
    const r = expectSize(data, DH2Q_SIZE, 'DH2Q');
    const timeout = r.u32();
    const flags = r.u32();
    r.skip(8);
    return { kind: 'durableV2', timeout, flags, createGuid: r.bytes(GUID_SIZE) };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_RECONNECT)) {
    return { kind: 'durableReconnectV1', fileId: readFileId(expectSize(data, DHNC_SIZE, 'DHnC')) };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2)) {
    const r = expectSize(data, DH2C_SIZE, 'DH2C');
    const fileId = readFileId(r);
    const createGuid = r.bytes(GUID_SIZE);
    return { kind: 'durableReconnectV2', fileId, createGuid, flags: r.u32() };
  }
  if (is(CreateContextName.SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST)) {
    if (data.length === 0) return { kind: 'maximalAccess' };
    return { kind: 'maximalAccess', timestamp: expectSize(data, 8, 'MxAc').u64() };
  }
  if (is(CreateContextName.SMB2_CREATE_QUERY_ON_DISK_ID)) {
    expectSize(data, 0, 'QFid');
    return { kind: 'queryOnDiskId' };
  }
  if (is(CreateContextName.SMB2_CREATE_TIMEWARP_TOKEN)) {
    return { kind: 'timewarp', timestamp: expectSize(data, 8, 'TWrp').u64() };
  }
  if (is(CreateContextName.SMB2_CREATE_ALLOCATION_SIZE)) {
    return { kind: 'allocationSize', allocationSize: expectSize(data, 8, 'AlSi').u64() };
  }
  return { kind: 'unknown', name, data };
}
