import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { ErrorCode, MalformedMessageError, SmbBenchError } from '../errors/smbench-error.js';

/**
 * FSCTL codes sent in IOCTL with SMB2_0_IOCTL_IS_FSCTL (MS-SMB2 2.2.31, MS-FSCC 2.3), plus the
 * input/output structures smbench builds or reads. Encoders return the IOCTL input buffer;
 * decoders take the IOCTL output buffer and are bounds-checked.
 */
export const Fsctl = {
  FSCTL_DFS_GET_REFERRALS: 0x00060194,
  FSCTL_DFS_GET_REFERRALS_EX: 0x000601b0,
  FSCTL_PIPE_PEEK: 0x0011400c,
  FSCTL_PIPE_WAIT: 0x00110018,
  FSCTL_PIPE_TRANSCEIVE: 0x0011c017,
  FSCTL_SRV_COPYCHUNK: 0x001440f2,
  FSCTL_SRV_COPYCHUNK_WRITE: 0x001480f2,
  FSCTL_SRV_ENUMERATE_SNAPSHOTS: 0x00144064,
  FSCTL_SRV_REQUEST_RESUME_KEY: 0x00140078,
  FSCTL_SRV_READ_HASH: 0x001441bb,
  FSCTL_LMR_REQUEST_RESILIENCY: 0x001401d4,
  FSCTL_QUERY_NETWORK_INTERFACE_INFO: 0x001401fc,
  FSCTL_VALIDATE_NEGOTIATE_INFO: 0x00140204,
  FSCTL_SET_REPARSE_POINT: 0x000900a4,
  FSCTL_GET_REPARSE_POINT: 0x000900a8,
  FSCTL_DELETE_REPARSE_POINT: 0x000900ac,
  FSCTL_FILE_LEVEL_TRIM: 0x00098208,
  FSCTL_SET_SPARSE: 0x000900c4,
  FSCTL_SET_ZERO_DATA: 0x000980c8,
  FSCTL_QUERY_ALLOCATED_RANGES: 0x000940cf,
  FSCTL_GET_COMPRESSION: 0x0009003c,
  FSCTL_SET_COMPRESSION: 0x0009c040,
  FSCTL_GET_OBJECT_ID: 0x0009009c,
  FSCTL_CREATE_OR_GET_OBJECT_ID: 0x000900c0,
  FSCTL_DUPLICATE_EXTENTS_TO_FILE: 0x00098344,
  FSCTL_GET_INTEGRITY_INFORMATION: 0x0009027c,
  FSCTL_SET_INTEGRITY_INFORMATION: 0x0009c280,
  FSCTL_OFFLOAD_READ: 0x00094264,
  FSCTL_OFFLOAD_WRITE: 0x00098268,
  FSCTL_IS_PATHNAME_VALID: 0x0009002c,
  FSCTL_GET_NTFS_VOLUME_DATA: 0x00090064,
} as const;
export type Fsctl = (typeof Fsctl)[keyof typeof Fsctl];

const fsctlNames = new Map<number, string>(Object.entries(Fsctl).map(([k, v]) => [v, k]));

/** The spec name of a control code, or FSCTL_0x... for ones smbench does not know. */
export function fsctlName(code: number): string {
  return fsctlNames.get(code >>> 0) ?? `FSCTL_0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

// ---- FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 2.2.31.4, 2.2.32.6, 3.2.5.5) ----

/** VALIDATE_NEGOTIATE_INFO request: what the client sent in NEGOTIATE, echoed for a MITM check. */
export interface ValidateNegotiateInfoRequest {
  capabilities: number;
  /** The client's 16-byte ClientGuid. */
  guid: Buffer;
  securityMode: number;
  dialects: readonly number[];
}

/** VALIDATE_NEGOTIATE_INFO response: what the server settled on; must match NEGOTIATE's answer. */
export interface ValidateNegotiateInfoResponse {
  capabilities: number;
  /** The server's 16-byte ServerGuid. */
  guid: Buffer;
  securityMode: number;
  dialect: number;
}

const GUID_SIZE = 16;

function writeGuid(w: ByteWriter, guid: Buffer): void {
  if (guid.length !== GUID_SIZE)
    throw new SmbBenchError(ErrorCode.USAGE, `GUID must be 16 bytes, got ${guid.length}`);
  w.bytes(guid);
}

export function encodeValidateNegotiateInfoRequest(req: ValidateNegotiateInfoRequest): Buffer {
  const buf = Buffer.alloc(24 + 2 * req.dialects.length);
  const w = new ByteWriter(buf).u32(req.capabilities);
  writeGuid(w, req.guid);
  w.u16(req.securityMode).u16(req.dialects.length);
  for (const d of req.dialects) w.u16(d);
  return buf;
}

export function decodeValidateNegotiateInfoRequest(buf: Buffer): ValidateNegotiateInfoRequest {
  const r = new ByteReader(buf);
  const capabilities = r.u32();
  const guid = r.bytes(GUID_SIZE, 'VALIDATE_NEGOTIATE_INFO Guid');
  const securityMode = r.u16();
  const count = r.u16();
  r.need(count * 2, 'VALIDATE_NEGOTIATE_INFO Dialects');
  const dialects: number[] = [];
  for (let i = 0; i < count; i++) dialects.push(r.u16());
  return { capabilities, guid, securityMode, dialects };
}

export function encodeValidateNegotiateInfoResponse(res: ValidateNegotiateInfoResponse): Buffer {
  const buf = Buffer.alloc(24);
  const w = new ByteWriter(buf).u32(res.capabilities);
  writeGuid(w, res.guid);
  w.u16(res.securityMode).u16(res.dialect);
  return buf;
}

export function decodeValidateNegotiateInfoResponse(buf: Buffer): ValidateNegotiateInfoResponse {
  const r = new ByteReader(buf);
  const capabilities = r.u32();
  const guid = r.bytes(GUID_SIZE, 'VALIDATE_NEGOTIATE_INFO Guid');
  const securityMode = r.u16();
  const dialect = r.u16();
  return { capabilities, guid, securityMode, dialect };
}

// ---- FSCTL_SRV_REQUEST_RESUME_KEY (MS-SMB2 2.2.32.3) ----

/** The opaque key naming a source file for server-side copy. */
export const RESUME_KEY_SIZE = 24;

export interface ResumeKeyResponse {
  resumeKey: Buffer;
  /** Context is reserved; servers send ContextLength 0. */
  context: Buffer;
}

export function encodeResumeKeyResponse(res: ResumeKeyResponse): Buffer {
  const buf = Buffer.alloc(RESUME_KEY_SIZE + 4 + res.context.length);
  if (res.resumeKey.length !== RESUME_KEY_SIZE)
    throw new SmbBenchError(ErrorCode.USAGE, 'resume key must be 24 bytes');
  new ByteWriter(buf).bytes(res.resumeKey).u32(res.context.length).bytes(res.context);
  return buf;
}

export function decodeResumeKeyResponse(buf: Buffer): ResumeKeyResponse {
  const r = new ByteReader(buf);
  const resumeKey = r.bytes(RESUME_KEY_SIZE, 'SRV_REQUEST_RESUME_KEY ResumeKey');
  // Some servers omit ContextLength entirely; only the key matters.
  if (r.remaining === 0) return { resumeKey, context: buf.subarray(0, 0) };
  const contextLength = r.u32();
  return { resumeKey, context: r.bytes(contextLength, 'SRV_REQUEST_RESUME_KEY Context') };
}

// ---- FSCTL_SRV_COPYCHUNK / _WRITE (MS-SMB2 2.2.31.1, 2.2.31.1.1, 2.2.32.1) ----

/** SRV_COPYCHUNK: one range to copy from the source (named by resume key) to this handle. */
export interface CopyChunk {
  sourceOffset: bigint;
  targetOffset: bigint;
  length: number;
}

/** SRV_COPYCHUNK_COPY. */
export interface CopyChunkRequest {
  sourceKey: Buffer;
  chunks: readonly CopyChunk[];
}

/**
 * SRV_COPYCHUNK_RESPONSE. On success these are totals; on STATUS_INVALID_PARAMETER they are the
 * server's limits (max chunks, max chunk size, max total), per MS-SMB2 3.3.5.15.6.
 */
export interface CopyChunkResponse {
  chunksWritten: number;
  chunkBytesWritten: number;
  totalBytesWritten: number;
}

const COPY_CHUNK_HEADER_SIZE = RESUME_KEY_SIZE + 8;
const COPY_CHUNK_SIZE = 24;

export function encodeCopyChunkRequest(req: CopyChunkRequest): Buffer {
  if (req.sourceKey.length !== RESUME_KEY_SIZE)
    throw new SmbBenchError(ErrorCode.USAGE, 'copychunk SourceKey must be 24 bytes');
  const buf = Buffer.alloc(COPY_CHUNK_HEADER_SIZE + COPY_CHUNK_SIZE * req.chunks.length);
  const w = new ByteWriter(buf).bytes(req.sourceKey).u32(req.chunks.length).u32(0);
  for (const c of req.chunks) w.u64(c.sourceOffset).u64(c.targetOffset).u32(c.length).u32(0);
  return buf;
}

export function decodeCopyChunkRequest(buf: Buffer): CopyChunkRequest {
  const r = new ByteReader(buf);
  const sourceKey = r.bytes(RESUME_KEY_SIZE, 'SRV_COPYCHUNK_COPY SourceKey');
  const count = r.u32();
  r.skip(4);
  r.need(count * COPY_CHUNK_SIZE, 'SRV_COPYCHUNK_COPY Chunks');
  const chunks: CopyChunk[] = [];
  for (let i = 0; i < count; i++) {
    const sourceOffset = r.u64();
    const targetOffset = r.u64();
    const length = r.u32();
    r.skip(4);
    chunks.push({ sourceOffset, targetOffset, length });
  }
  return { sourceKey, chunks };
}

export function encodeCopyChunkResponse(res: CopyChunkResponse): Buffer {
  const buf = Buffer.alloc(12);
  new ByteWriter(buf).u32(res.chunksWritten).u32(res.chunkBytesWritten).u32(res.totalBytesWritten);
  return buf;
}

export function decodeCopyChunkResponse(buf: Buffer): CopyChunkResponse {
  const r = new ByteReader(buf);
  return { chunksWritten: r.u32(), chunkBytesWritten: r.u32(), totalBytesWritten: r.u32() };
}

// ---- FSCTL_QUERY_NETWORK_INTERFACE_INFO (MS-SMB2 2.2.32.5) ----

export const InterfaceCapability = {
  RSS_CAPABLE: 0x00000001,
  RDMA_CAPABLE: 0x00000002,
} as const;

/** NETWORK_INTERFACE_INFO: one server NIC, for multichannel. */
export interface NetworkInterfaceInfo {
  ifIndex: number;
  capability: number;
  /** Bits per second. */
  linkSpeed: bigint;
  family: 'ipv4' | 'ipv6' | 'unknown';
  address: string;
  port: number;
}

const INTERFACE_ENTRY_SIZE = 152;
const SOCKADDR_OFFSET = 24;
const AF_INET = 0x0002;
const AF_INET6 = 0x0017;

function decodeInterface(r: ByteReader, base: number): NetworkInterfaceInfo {
  r.seek(base + 4);
  const ifIndex = r.u32();
  const capability = r.u32();
  r.skip(4);
  const linkSpeed = r.u64();
  r.seek(base + SOCKADDR_OFFSET);
  const familyCode = r.u16();
  const port = r.u16be();
  if (familyCode === AF_INET) {
    const a = r.bytes(4, 'IPv4 address');
    return { ifIndex, capability, linkSpeed, family: 'ipv4', address: [...a].join('.'), port };
  }
  if (familyCode === AF_INET6) {
    r.skip(4); // FlowInfo
    const a = r.bytes(16, 'IPv6 address');
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(a.readUInt16BE(i).toString(16));
    return { ifIndex, capability, linkSpeed, family: 'ipv6', address: groups.join(':'), port };
  }
  return { ifIndex, capability, linkSpeed, family: 'unknown', address: '', port };
}

/** Walks the Next-chained NETWORK_INTERFACE_INFO list; Next is relative to each entry. */
export function decodeNetworkInterfaceInfo(buf: Buffer): NetworkInterfaceInfo[] {
  const out: NetworkInterfaceInfo[] = [];
  const r = new ByteReader(buf);
  let base = 0;
  while (base < buf.length) {
    r.seek(base);
    r.need(INTERFACE_ENTRY_SIZE, 'NETWORK_INTERFACE_INFO');
    const next = r.u32();
    out.push(decodeInterface(r, base));
    if (next === 0) break;
    if (next < INTERFACE_ENTRY_SIZE)
      throw new MalformedMessageError(`NETWORK_INTERFACE_INFO Next ${next} overlaps`);
    base += next;
    if (base >= buf.length) throw new MalformedMessageError('NETWORK_INTERFACE_INFO Next past the buffer');
  }
  return out;
}
