import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';

/** LeaseState bits, MS-SMB2 2.2.13.2.8. */
export const LeaseState = {
  SMB2_LEASE_NONE: 0x00,
  SMB2_LEASE_READ_CACHING: 0x01,
  SMB2_LEASE_HANDLE_CACHING: 0x02,
  SMB2_LEASE_WRITE_CACHING: 0x04,
} as const;

/** LeaseFlags, MS-SMB2 2.2.13.2.10 / 2.2.14.2.10 / 2.2.14.2.11. */
export const LeaseFlags = {
  SMB2_LEASE_FLAG_BREAK_IN_PROGRESS: 0x00000002,
  SMB2_LEASE_FLAG_PARENT_LEASE_KEY_SET: 0x00000004,
} as const;

export const LEASE_KEY_SIZE = 16;
export const LEASE_V1_SIZE = 32;
export const LEASE_V2_SIZE = 52;

/**
 * SMB2_CREATE_REQUEST_LEASE (2.2.13.2.8) and SMB2_CREATE_RESPONSE_LEASE (2.2.14.2.10) share
 * this layout. LeaseDuration is reserved (0) in both directions.
 */
export interface LeaseV1 {
  leaseKey: Buffer;
  leaseState: number;
  leaseFlags: number;
  leaseDuration: bigint;
}

/** SMB2_CREATE_REQUEST_LEASE_V2 (2.2.13.2.10) / SMB2_CREATE_RESPONSE_LEASE_V2 (2.2.14.2.11). */
export interface LeaseV2 extends LeaseV1 {
  parentLeaseKey: Buffer;
  epoch: number;
}

function checkKey(key: Buffer, what: string): void {
  if (key.length !== LEASE_KEY_SIZE) throw new RangeError(`${what} must be 16 bytes, got ${key.length}`);
}

export function encodeLeaseV1(lease: LeaseV1): Buffer {
  checkKey(lease.leaseKey, 'LeaseKey');
  const buf = Buffer.alloc(LEASE_V1_SIZE);
  new ByteWriter(buf)
    .bytes(lease.leaseKey)
    .u32(lease.leaseState)
    .u32(lease.leaseFlags)
    .u64(lease.leaseDuration);
  return buf;
}

export function encodeLeaseV2(lease: LeaseV2): Buffer {
  checkKey(lease.leaseKey, 'LeaseKey');
  checkKey(lease.parentLeaseKey, 'ParentLeaseKey');
  const buf = Buffer.alloc(LEASE_V2_SIZE);
  new ByteWriter(buf)
    .bytes(lease.leaseKey)
    .u32(lease.leaseState)
    .u32(lease.leaseFlags)
    .u64(lease.leaseDuration)
    .bytes(lease.parentLeaseKey)
    .u16(lease.epoch)
    .u16(0);
  return buf;
}

function readV1(r: ByteReader): LeaseV1 {
  return {
    leaseKey: r.bytes(LEASE_KEY_SIZE),
    leaseState: r.u32(),
    leaseFlags: r.u32(),
    leaseDuration: r.u64(),
  };
}

/** Decodes either version; the DataLength (32 or 52) says which. */
export function decodeLease(data: Buffer): { version: 1; lease: LeaseV1 } | { version: 2; lease: LeaseV2 } {
  const r = new ByteReader(data);
  if (data.length === LEASE_V1_SIZE) return { version: 1, lease: readV1(r) };
  if (data.length === LEASE_V2_SIZE) {
    const v1 = readV1(r);
    const parentLeaseKey = r.bytes(LEASE_KEY_SIZE);
    const epoch = r.u16();
    return { version: 2, lease: { ...v1, parentLeaseKey, epoch } };
  }
  throw new MalformedMessageError(`RqLs create context of ${data.length} bytes; expected 32 or 52`);
}
