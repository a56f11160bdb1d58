import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { RawCreateContext } from './chain.js';
import { decodeLease, encodeLeaseV1, encodeLeaseV2, type LeaseV1, type LeaseV2 } from './lease.js';
import { CreateContextName, nameEquals, tagName } from './names.js';

/** Create contexts a server returns, by kind (MS-SMB2 2.2.14.2). Unknown names pass through. */
export type CreateResponseContext =
  | ({ kind: 'leaseV1' } & LeaseV1)
  | ({ kind: 'leaseV2' } & LeaseV2)
  /** DHnQ, 2.2.14.2.3: 8 reserved bytes; its presence means the open is durable. */
  | { kind: 'durableV1' }
  /** DH2Q, 2.2.14.2.12: the timeout the server granted, in milliseconds. */
  | { kind: 'durableV2'; timeout: number; flags: number }
  /** MxAc, 2.2.14.2.5: MaximalAccess is valid only when QueryStatus is STATUS_SUCCESS. */
  | { kind: 'maximalAccess'; queryStatus: number; maximalAccess: number }
  /** QFid, 2.2.14.2.9: opaque on-disk file and volume ids. */
  | { kind: 'queryOnDiskId'; diskFileId: bigint; volumeId: bigint }
  | { kind: 'unknown'; name: Buffer; data: Buffer };

const DHNQ_RESPONSE_SIZE = 8;
const DH2Q_RESPONSE_SIZE = 8;
const MXAC_RESPONSE_SIZE = 8;
const QFID_RESPONSE_SIZE = 32;

function raw(tag: string, data: Buffer): RawCreateContext {
  return { name: tagName(tag), data };
}

/** Server-side encoding; smbench uses it for fake servers in tests. */
export function responseContextToRaw(ctx: CreateResponseContext): RawCreateContext {
  switch (ctx.kind) {
    case 'leaseV1':
      return raw(CreateContextName.SMB2_CREATE_REQUEST_LEASE, encodeLeaseV1(ctx));
    case 'leaseV2':
      return raw(CreateContextName.SMB2_CREATE_REQUEST_LEASE_V2, encodeLeaseV2(ctx));
    case 'durableV1':
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST, Buffer.alloc(DHNQ_RESPONSE_SIZE));
    case 'durableV2': {
      const data = Buffer.alloc(DH2Q_RESPONSE_SIZE);
      new ByteWriter(data).u32(ctx.timeout).u32(ctx.flags);
      return raw(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2, data);
    }
    case 'maximalAccess': {
      const data = Buffer.alloc(MXAC_RESPONSE_SIZE);
      new ByteWriter(data).u32(ctx.queryStatus).u32(ctx.maximalAccess);
      return raw(CreateContextName.SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST, data);
    }
    case 'queryOnDiskId': {
      const data = Buffer.alloc(QFID_RESPONSE_SIZE);
      new ByteWriter(data).u64(ctx.diskFileId).u64(ctx.volumeId);
      return raw(CreateContextName.SMB2_CREATE_QUERY_ON_DISK_ID, data);
    }
    case 'unknown':
      return { name: ctx.name, data: ctx.data };
  }
}

function expectSize(data: Buffer, size: number, tag: string): ByteReader {
  if (data.length !== size) {
    throw new MalformedMessageError(
      `${tag} create response context of ${data.length} bytes; expected ${size}`,
    );
  }
  return new ByteReader(data);
}

/** Interprets one response context; names this codec does not model come back as 'unknown'. */
export function responseContextFromRaw({ name, data }: RawCreateContext): CreateResponseContext {
  const is = (tag: string) => nameEquals(name, tag);
  if (is(CreateContextName.SMB2_CREATE_REQUEST_LEASE)) {
    const lease = decodeLease(data);
    return lease.version === 1 ? { kind: 'leaseV1', ...lease.lease } : { kind: 'leaseV2', ...lease.lease };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST)) {
    expectSize(data, DHNQ_RESPONSE_SIZE, 'DHnQ');
    return { kind: 'durableV1' };
  }
  if (is(CreateContextName.SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2)) {
    const r = expectSize(data, DH2Q_RESPONSE_SIZE, 'DH2Q');
    return { kind: 'durableV2', timeout: r.u32(), flags: r.u32() };
  }
  if (is(CreateContextName.SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST)) {
    const r = expectSize(data, MXAC_RESPONSE_SIZE, 'MxAc');
    return { kind: 'maximalAccess', queryStatus: r.u32(), maximalAccess: r.u32() };
  }
  if (is(CreateContextName.SMB2_CREATE_QUERY_ON_DISK_ID)) {
    const r = expectSize(data, QFID_RESPONSE_SIZE, 'QFid');
    return { kind: 'queryOnDiskId', diskFileId: r.u64(), volumeId: r.u64() };
  }
  return { kind: 'unknown', name, data };
}
