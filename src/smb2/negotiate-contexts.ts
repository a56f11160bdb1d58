import { ByteReader } from '../bytes/byte-reader.js';
import { alignUp, ByteWriter } from '../bytes/byte-writer.js';
import { fromUtf16, utf16, utf16Length } from '../bytes/utf16.js';
import { MalformedMessageError } from '../errors/smbench-error.js';

/** SMB2 NEGOTIATE_CONTEXT ContextType, MS-SMB2 2.2.3.1. */
export const NegotiateContextType = {
  SMB2_PREAUTH_INTEGRITY_CAPABILITIES: 0x0001,
  SMB2_ENCRYPTION_CAPABILITIES: 0x0002,
  SMB2_COMPRESSION_CAPABILITIES: 0x0003,
  SMB2_NETNAME_NEGOTIATE_CONTEXT_ID: 0x0005,
  SMB2_TRANSPORT_CAPABILITIES: 0x0006,
  SMB2_RDMA_TRANSFORM_CAPABILITIES: 0x0007,
  SMB2_SIGNING_CAPABILITIES: 0x0008,
} as const;
export type NegotiateContextType = (typeof NegotiateContextType)[keyof typeof NegotiateContextType];

/** HashAlgorithms, MS-SMB2 2.2.3.1.1. */
export const HashAlgorithm = {
  SHA_512: 0x0001,
} as const;

/** SMB2_COMPRESSION_CAPABILITIES Flags, MS-SMB2 2.2.3.1.3. */
export const CompressionCapabilitiesFlags = {
  SMB2_COMPRESSION_CAPABILITIES_FLAG_NONE: 0x00000000,
  SMB2_COMPRESSION_CAPABILITIES_FLAG_CHAINED: 0x00000001,
} as const;

/** SMB2_TRANSPORT_CAPABILITIES Flags, MS-SMB2 2.2.3.1.5. */
export const TransportCapabilitiesFlags = {
  SMB2_ACCEPT_TRANSPORT_LEVEL_SECURITY: 0x00000001,
} as const;

export interface PreauthIntegrityContext {
  type: typeof NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES;
  hashAlgorithms: number[];
  salt: Buffer;
}

/** Ciphers, most preferred first in a request; the one chosen in a response (MS-SMB2 2.2.3.1.2). */
export interface EncryptionContext {
  type: typeof NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES;
  ciphers: number[];
}

export interface CompressionContext {
  type: typeof NegotiateContextType.SMB2_COMPRESSION_CAPABILITIES;
  flags: number;
  compressionAlgorithms: number[];
}

/** The server name the client is connecting to, UTF-16LE without terminator (MS-SMB2 2.2.3.1.4). */
export interface NetnameContext {
  type: typeof NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID;
  netName: string;
}

export interface TransportContext {
  type: typeof NegotiateContextType.SMB2_TRANSPORT_CAPABILITIES;
  flags: number;
}

export interface RdmaTransformContext {
  type: typeof NegotiateContextType.SMB2_RDMA_TRANSFORM_CAPABILITIES;
  transformIds: number[];
}

export interface SigningContext {
  type: typeof NegotiateContextType.SMB2_SIGNING_CAPABILITIES;
  signingAlgorithms: number[];
}

/**
 * A context type this codec does not model, kept byte for byte. Its discriminant is the string
 * 'unknown' (not the number) so `ctx.type === NegotiateContextType.X` still narrows to X.
 */
export interface UnknownNegotiateContext {
  type: 'unknown';
  contextType: number;
  data: Buffer;
}

export type NegotiateContext =
  | PreauthIntegrityContext
  | EncryptionContext
  | CompressionContext
  | NetnameContext
  | TransportContext
  | RdmaTransformContext
  | SigningContext
  | UnknownNegotiateContext;

/** ContextType (2) + DataLength (2) + Reserved (4), MS-SMB2 2.2.3.1. */
const CONTEXT_HEADER_SIZE = 8;
const CONTEXT_ALIGNMENT = 8;

/** Length of the Data field of one context. */
export function negotiateContextDataSize(ctx: NegotiateContext): number {
  switch (ctx.type) {
    case NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES:
      return 4 + 2 * ctx.hashAlgorithms.length + ctx.salt.length;
    case NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES:
      return 2 + 2 * ctx.ciphers.length;
    case NegotiateContextType.SMB2_COMPRESSION_CAPABILITIES:
      return 8 + 2 * ctx.compressionAlgorithms.length;
    case NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID:
      return utf16Length(ctx.netName);
    case NegotiateContextType.SMB2_TRANSPORT_CAPABILITIES:
      return 4;
    case NegotiateContextType.SMB2_RDMA_TRANSFORM_CAPABILITIES:
      return 8 + 2 * ctx.transformIds.length;
    case NegotiateContextType.SMB2_SIGNING_CAPABILITIES:
      return 2 + 2 * ctx.signingAlgorithms.length;
    case 'unknown':
      return ctx.data.length;
  }
}

/**
 * Bytes the list occupies when it starts 8-byte aligned: every context but the last is padded so
 * the next one starts on an 8-byte boundary (MS-SMB2 2.2.3.1); there is no padding after the last.
 */
export function negotiateContextListSize(contexts: readonly NegotiateContext[]): number {
  let size = 0;
  for (const ctx of contexts)
    size = alignUp(size, CONTEXT_ALIGNMENT) + CONTEXT_HEADER_SIZE + negotiateContextDataSize(ctx);
  return size;
}

function contextTypeCode(ctx: NegotiateContext): number {
  return ctx.type === 'unknown' ? ctx.contextType : ctx.type;
}

function writeU16List(w: ByteWriter, values: readonly number[]): void {
  for (const v of values) w.u16(v);
}

function writeContextData(w: ByteWriter, ctx: NegotiateContext): void {
  switch (ctx.type) {
    case NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES:
      w.u16(ctx.hashAlgorithms.length).u16(ctx.salt.length);
      writeU16List(w, ctx.hashAlgorithms);
      w.bytes(ctx.salt);
      return;
    case NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES:
      w.u16(ctx.ciphers.length);
      writeU16List(w, ctx.ciphers);
      return;
    case NegotiateContextType.SMB2_COMPRESSION_CAPABILITIES:
      w.u16(ctx.compressionAlgorithms.length).u16(0).u32(ctx.flags);
      writeU16List(w, ctx.compressionAlgorithms);
      return;
    case NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID:
      w.bytes(utf16(ctx.netName));
      return;
    case NegotiateContextType.SMB2_TRANSPORT_CAPABILITIES:
      w.u32(ctx.flags);
      return;
    case NegotiateContextType.SMB2_RDMA_TRANSFORM_CAPABILITIES:
      w.u16(ctx.transformIds.length).u16(0).u32(0);
      writeU16List(w, ctx.transformIds);
      return;
    case NegotiateContextType.SMB2_SIGNING_CAPABILITIES:
      w.u16(ctx.signingAlgorithms.length);
      writeU16List(w, ctx.signingAlgorithms);
      return;
    case 'unknown':
      w.bytes(ctx.data);
      return;
  }
}

/**
 * Writes the list at msg[offset], which must already be 8-byte aligned from the header start.
 * Returns the offset just past the last context.
 */
export function encodeNegotiateContexts(
  contexts: readonly NegotiateContext[],
  msg: Buffer,
  offset: number,
): number {
  const w = new ByteWriter(msg, offset);
  contexts.forEach((ctx, i) => {
    if (i > 0) w.align(CONTEXT_ALIGNMENT);
    const dataLength = negotiateContextDataSize(ctx);
    if (dataLength > 0xffff)
      throw new RangeError(`negotiate context of ${dataLength} bytes exceeds DataLength`);
    w.u16(contextTypeCode(ctx)).u16(dataLength).u32(0);
    writeContextData(w, ctx);
  });
  return w.offset;
}

function readU16List(r: ByteReader, count: number, what: string): number[] {
  r.need(2 * count, what);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(r.u16());
  return out;
}

function decodeContextData(type: number, data: Buffer): NegotiateContext {
  const r = new ByteReader(data);
  switch (type) {
    case NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES: {
      const hashCount = r.u16();
      const saltLength = r.u16();
      const hashAlgorithms = readU16List(r, hashCount, 'HashAlgorithms');
      return { type, hashAlgorithms, salt: r.bytes(saltLength, 'Salt') };
    }
    case NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES:
      return { type, ciphers: readU16List(r, r.u16(), 'Ciphers') };
    case NegotiateContextType.SMB2_COMPRESSION_CAPABILITIES: {
      const count = r.u16();
      r.skip(2);
      const flags = r.u32();
      return { type, flags, compressionAlgorithms: readU16List(r, count, 'CompressionAlgorithms') };
    }
    case NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID:
      return { type, netName: fromUtf16(data) };
    case NegotiateContextType.SMB2_TRANSPORT_CAPABILITIES:
      return { type, flags: r.u32() };
    case NegotiateContextType.SMB2_RDMA_TRANSFORM_CAPABILITIES: {
      const count = r.u16();
      r.skip(6);
      return { type, transformIds: readU16List(r, count, 'RDMATransformIds') };
    }
    case NegotiateContextType.SMB2_SIGNING_CAPABILITIES:
      return { type, signingAlgorithms: readU16List(r, r.u16(), 'SigningAlgorithms') };
    default:
      return { type: 'unknown', contextType: type, data };
  }
}

/**
 * Decodes `count` contexts starting at msg[offset] (NegotiateContextOffset, from the header start).
 * Data buffers are subarrays of msg.
 */
export function decodeNegotiateContexts(msg: Buffer, offset: number, count: number): NegotiateContext[] {
  if (count === 0) return [];
  if (offset % CONTEXT_ALIGNMENT !== 0) {
    throw new MalformedMessageError(`NegotiateContextOffset ${offset} is not 8-byte aligned`);
  }
  const r = new ByteReader(msg);
  r.seek(offset);
  const out: NegotiateContext[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) r.seek(Math.min(alignUp(r.offset, CONTEXT_ALIGNMENT), msg.length));
    const type = r.u16();
    const dataLength = r.u16();
    r.skip(4);
    out.push(decodeContextData(type, r.bytes(dataLength, 'negotiate context Data')));
  }
  return out;
}
