/**
 * Test helper: synthesises link-layer frames, IPv4/IPv6/TCP packets with SMB2 payloads, and whole
 * pcap / pcapng files in memory. Checksums are left zero (the reader never verifies them).
 */
import { isIPv6 } from 'node:net';
import type { CaptureStats } from '../../src/capture/capture-stats.js';
import type { SmbConnectionInfo } from '../../src/capture/smb-pdu.js';
import { readSmbPdusFromBuffer, type SmbPduReaderOptions } from '../../src/capture/smb-pdu-stream.js';

export const SMB2_FLAGS_SERVER_TO_REDIR = 1;
export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** A minimal SMB2 message: 64-byte sync header (MS-SMB2 2.2.1.2) plus `bodyLen` filler bytes. */
export function smb2Message(
  opts: { command?: number; response?: boolean; messageId?: number; bodyLen?: number; fill?: number } = {},
): Buffer {
  const msg = Buffer.alloc(64 + (opts.bodyLen ?? 8), opts.fill ?? 0x5a);
  msg.writeUInt32BE(0xfe534d42, 0);
  msg.writeUInt16LE(64, 4);
  msg.writeUInt16LE(0, 6);
  msg.writeUInt32LE(0, 8);
  msg.writeUInt16LE(opts.command ?? 0, 12);
  msg.writeUInt16LE(1, 14);
  msg.writeUInt32LE(opts.response ? SMB2_FLAGS_SERVER_TO_REDIR : 0, 16);
  msg.writeUInt32LE(0, 20);
  msg.writeBigUInt64LE(BigInt(opts.messageId ?? 0), 24);
  return msg;
}

/** A TRANSFORM_HEADER frame (MS-SMB2 2.2.41) around `cipherLen` opaque bytes. */
export function transformFrame(cipherLen = 80): Buffer {
  const f = Buffer.alloc(52 + cipherLen, 0x33);
  f.writeUInt32BE(0xfd534d42, 0);
  f.writeUInt32LE(cipherLen, 36);
  return f;
}

/** NBSS session message (RFC 1002 4.3.1) with a 24-bit length. */
export function nbss(payload: Buffer, type = 0): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(payload.length & 0xffffff, 0);
  h[0] = type;
  return Buffer.concat([h, payload]);
}

export interface Endpoint {
  addr: string;
  port: number;
}

function ipv4Bytes(addr: string): Buffer {
  return Buffer.from(addr.split('.').map(Number));
}

function ipv6Bytes(addr: string): Buffer {
  const [head = '', tail = ''] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = addr.includes('::') && tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

export function tcpHeader(
  src: number,
  dst: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Buffer,
  optionsLen = 0,
): Buffer {
  const hl = 20 + optionsLen;
  const t = Buffer.alloc(hl);
  t.writeUInt16BE(src, 0);
  t.writeUInt16BE(dst, 2);
  t.writeUInt32BE(seq >>> 0, 4);
  t.writeUInt32BE(ack >>> 0, 8);
  t[12] = (hl / 4) << 4;
  t[13] = flags;
  t.writeUInt16BE(65535, 14);
  for (let i = 20; i < hl; i++) t[i] = 1; // NOP options
  return Buffer.concat([t, payload]);
}

export function ipv4Packet(
  src: string,
  dst: string,
  protocol: number,
  payload: Buffer,
  opts: { optionsLen?: number; fragment?: number; totalLen?: number } = {},
): Buffer {
  const hl = 20 + (opts.optionsLen ?? 0);
  const h = Buffer.alloc(hl);
  h[0] = 0x40 | (hl / 4);
  h.writeUInt16BE(opts.totalLen ?? hl + payload.length, 2);
  h.writeUInt16BE(opts.fragment ?? 0x4000, 6); // DF
  h[8] = 64;
  h[9] = protocol;
  ipv4Bytes(src).copy(h, 12);
  ipv4Bytes(dst).copy(h, 16);
  for (let i = 20; i < hl; i++) h[i] = 1; // NOP options
  return Buffer.concat([h, payload]);
}

/** IPv6 with optional extension headers given as [nextHeaderType, body] (body padded to 8n-2). */
export function ipv6Packet(
  src: string,
  dst: string,
  protocol: number,
  payload: Buffer,
  extensions: Array<{ type: number; bytes: Buffer }> = [],
): Buffer {
  const parts: Buffer[] = [];
  const types = [...extensions.map((e) => e.type), protocol];
  for (let i = 0; i < extensions.length; i++) {
    const ext = extensions[i]!;
    const e = Buffer.from(ext.bytes);
    e[0] = types[i + 1]!;
    parts.push(e);
  }
  parts.push(payload);
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(body.length, 4);
  h[6] = types[0]!;
  h[7] = 64;
  ipv6Bytes(src).copy(h, 8);
  ipv6Bytes(dst).copy(h, 24);
  return Buffer.concat([h, body]);
}

export function ipPacket(
  src: Endpoint,
  dst: Endpoint,
  seq: number,
  ack: number,
  flags: number,
  payload: Buffer,
): Buffer {
  const seg = tcpHeader(src.port, dst.port, seq, ack, flags, payload);
  return isIPv6(src.addr) ? ipv6Packet(src.addr, dst.addr, 6, seg) : ipv4Packet(src.addr, dst.addr, 6, seg);
}

export function etherTypeOf(ip: Buffer): number {
  return ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
}

export function ethernet(ip: Buffer, vlanTags: number[] = [], pad = 0): Buffer {
  const h = Buffer.alloc(12, 0x02);
  const tags = vlanTags.map((tpid, i) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(tpid, 0);
    t.writeUInt16BE(100 + i, 2);
    return t;
  });
  const et = Buffer.alloc(2);
  et.writeUInt16BE(etherTypeOf(ip));
  return Buffer.concat([h, ...tags, et, ip, Buffer.alloc(pad)]);
}

export function linuxSll(ip: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0);
  h.writeUInt16BE(772, 2);
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(etherTypeOf(ip), 14);
  return Buffer.concat([h, ip]);
}

export function linuxSll2(ip: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(etherTypeOf(ip), 0);
  h.writeUInt32BE(1, 4);
  h.writeUInt16BE(772, 8);
  return Buffer.concat([h, ip]);
}

/** BSD NULL/LOOP header: the address family in the given byte order. */
export function loopbackHeader(ip: Buffer, family: number, littleEndian: boolean): Buffer {
  const h = Buffer.alloc(4);
  if (littleEndian) h.writeUInt32LE(family);
  else h.writeUInt32BE(family);
  return Buffer.concat([h, ip]);
}

/** A TCP connection that tracks both sequence numbers and produces IP packets. */
export class TcpFlow {
  clientSeq: number;
  serverSeq: number;

  constructor(
    readonly client: Endpoint,
    readonly server: Endpoint,
    clientIsn = 1000,
    serverIsn = 900000,
  ) {
    this.clientSeq = clientIsn;
    this.serverSeq = serverIsn;
  }

  handshake(): Buffer[] {
    const syn = ipPacket(this.client, this.server, this.clientSeq, 0, TCP.SYN, Buffer.alloc(0));
    this.clientSeq = (this.clientSeq + 1) >>> 0;
    const synAck = ipPacket(
      this.server,
      this.client,
      this.serverSeq,
      this.clientSeq,
      TCP.SYN | TCP.ACK,
      Buffer.alloc(0),
    );
    this.serverSeq = (this.serverSeq + 1) >>> 0;
    const ack = ipPacket(this.client, this.server, this.clientSeq, this.serverSeq, TCP.ACK, Buffer.alloc(0));
    return [syn, synAck, ack];
  }

  /** A data segment; advances the sender's sequence number unless `seq` is given explicitly. */
  send(fromClient: boolean, payload: Buffer, opts: { seq?: number; flags?: number } = {}): Buffer {
    const flags = opts.flags ?? TCP.PSH | TCP.ACK;
    const [src, dst] = fromClient ? [this.client, this.server] : [this.server, this.client];
    const seq = opts.seq ?? (fromClient ? this.clientSeq : this.serverSeq);
    const ack = fromClient ? this.serverSeq : this.clientSeq;
    const pkt = ipPacket(src, dst, seq, ack, flags, payload);
    if (opts.seq === undefined) {
      if (fromClient) this.clientSeq = (this.clientSeq + payload.length) >>> 0;
      else this.serverSeq = (this.serverSeq + payload.length) >>> 0;
    }
    return pkt;
  }

  /** Splits `payload` into segments of at most `mss` bytes. */
  sendSplit(fromClient: boolean, payload: Buffer, mss: number): Buffer[] {
    const out: Buffer[] = [];
    for (let o = 0; o < payload.length; o += mss)
      out.push(this.send(fromClient, payload.subarray(o, o + mss)));
    return out;
  }

  /** A pure ACK from one side acknowledging everything the other side sent so far. */
  ack(fromClient: boolean): Buffer {
    return fromClient
      ? ipPacket(this.client, this.server, this.clientSeq, this.serverSeq, TCP.ACK, Buffer.alloc(0))
      : ipPacket(this.server, this.client, this.serverSeq, this.clientSeq, TCP.ACK, Buffer.alloc(0));
  }

  fin(fromClient: boolean): Buffer {
    const pkt = fromClient
      ? ipPacket(this.client, this.server, this.clientSeq, this.serverSeq, TCP.FIN | TCP.ACK, Buffer.alloc(0))
      : ipPacket(
          this.server,
          this.client,
          this.serverSeq,
          this.clientSeq,
          TCP.FIN | TCP.ACK,
          Buffer.alloc(0),
        );
    if (fromClient) this.clientSeq = (this.clientSeq + 1) >>> 0;
    else this.serverSeq = (this.serverSeq + 1) >>> 0;
    return pkt;
  }
}

export interface FramePacket {
  data: Buffer;
  tsMicros?: number;
  origLen?: number;
}

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
} as const;

/** A classic pcap file (micro- or nanosecond magic, either byte order). */
export function pcapFile(
  packets: FramePacket[],
  opts: { linkType?: number; bigEndian?: boolean; nanos?: boolean; snaplen?: number } = {},
): Buffer {
  const be = opts.bigEndian ?? false;
  const u32 = (b: Buffer, v: number, o: number): number =>
    be ? b.writeUInt32BE(v >>> 0, o) : b.writeUInt32LE(v >>> 0, o);
  const u16 = (b: Buffer, v: number, o: number): number =>
    be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o);
  const g = Buffer.alloc(24);
  u32(g, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(g, 2, 4);
  u16(g, 4, 6);
  u32(g, opts.snaplen ?? 262144, 16);
  u32(g, opts.linkType ?? LINKTYPE.ETHERNET, 20);
  const parts: Buffer[] = [g];
  packets.forEach((p, i) => {
    const ts = p.tsMicros ?? 1_700_000_000_000_000 + i * 1000;
    const h = Buffer.alloc(16);
    u32(h, Math.floor(ts / 1e6), 0);
    u32(h, opts.nanos ? (ts % 1e6) * 1000 + 123 : ts % 1e6, 4);
    u32(h, p.data.length, 8);
    u32(h, p.origLen ?? p.data.length, 12);
    parts.push(h, p.data);
  });
  return Buffer.concat(parts);
}

/** pcapng block writer for one section's byte order. */
export class PcapngWriter {
  private readonly parts: Buffer[] = [];

  constructor(private readonly bigEndian = false) {}

  private u32(b: Buffer, v: number, o: number): void {
    if (this.bigEndian) b.writeUInt32BE(v >>> 0, o);
    else b.writeUInt32LE(v >>> 0, o);
  }

  private u16(b: Buffer, v: number, o: number): void {
    if (this.bigEndian) b.writeUInt16BE(v, o);
    else b.writeUInt16LE(v, o);
  }

  block(type: number, body: Buffer): this {
    const padded = Buffer.alloc((body.length + 3) & ~3);
    body.copy(padded);
    const total = 12 + padded.length;
    const h = Buffer.alloc(8);
    this.u32(h, type, 0);
    this.u32(h, total, 4);
    const t = Buffer.alloc(4);
    this.u32(t, total, 0);
    this.parts.push(h, padded, t);
    return this;
  }

  shb(): this {
    const b = Buffer.alloc(16);
    this.u32(b, 0x1a2b3c4d, 0);
    this.u16(b, 1, 4);
    this.u16(b, 0, 6);
    b.writeInt32LE(-1, 8);
    b.writeInt32LE(-1, 12);
    return this.block(0x0a0d0d0a, b);
  }

  idb(linkType: number, opts: { tsresol?: number; snaplen?: number; tsoffset?: number } = {}): this {
    const opt: Buffer[] = [];
    if (opts.tsresol !== undefined) {
      const o = Buffer.alloc(8);
      this.u16(o, 9, 0);
      this.u16(o, 1, 2);
      o[4] = opts.tsresol;
      opt.push(o);
    }
    if (opts.tsoffset !== undefined) {
      const o = Buffer.alloc(12);
      this.u16(o, 14, 0);
      this.u16(o, 8, 2);
      if (this.bigEndian) o.writeBigInt64BE(BigInt(opts.tsoffset), 4);
      else o.writeBigInt64LE(BigInt(opts.tsoffset), 4);
      opt.push(o);
    }
    if (opt.length) opt.push(Buffer.alloc(4));
    const b = Buffer.alloc(8);
    this.u16(b, linkType, 0);
    this.u32(b, opts.snaplen ?? 0, 4);
    return this.block(1, Buffer.concat([b, ...opt]));
  }

  /** EPB with a timestamp already in the interface's units. */
  epb(iface: number, tsUnits: bigint, data: Buffer, origLen = data.length): this {
    const b = Buffer.alloc(20);
    this.u32(b, iface, 0);
    this.u32(b, Number(tsUnits >> 32n), 4);
    this.u32(b, Number(tsUnits & 0xffffffffn), 8);
    this.u32(b, data.length, 12);
    this.u32(b, origLen, 16);
    return this.block(6, Buffer.concat([b, data]));
  }

  /** Obsolete Packet Block (pcapng Appendix A). */
  opb(iface: number, tsUnits: bigint, data: Buffer): this {
    const b = Buffer.alloc(20);
    this.u16(b, iface, 0);
    this.u32(b, Number(tsUnits >> 32n), 4);
    this.u32(b, Number(tsUnits & 0xffffffffn), 8);
    this.u32(b, data.length, 12);
    this.u32(b, data.length, 16);
    return this.block(2, Buffer.concat([b, data]));
  }

  spb(data: Buffer): this {
    const b = Buffer.alloc(4);
    this.u32(b, data.length, 0);
    return this.block(3, Buffer.concat([b, data]));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Collects PDUs from a capture in memory, copying data so assertions can compare bytes. */
export interface CollectedPdu {
  connectionId: number;
  fromClient: boolean;
  timestampMicros: number;
  frameNumber: number;
  data: Buffer;
}

export function collectPdus(
  capture: Buffer,
  opts: Partial<SmbPduReaderOptions> = {},
): { pdus: CollectedPdu[]; stats: CaptureStats; connections: SmbConnectionInfo[] } {
  const pdus: CollectedPdu[] = [];
  const connections: SmbConnectionInfo[] = [];
  const stats = readSmbPdusFromBuffer(capture, {
    ...opts,
    onPdu: (p) => pdus.push({ ...p, data: Buffer.from(p.data) }),
    onConnection: (c) => connections.push(c),
  });
  return { pdus, stats, connections };
}

/** A standard little exchange: handshake, NEGOTIATE request and response, then FIN both ways. */
export function simpleExchange(flow: TcpFlow): { packets: Buffer[]; request: Buffer; response: Buffer } {
  const request = smb2Message({ command: 0, messageId: 0, bodyLen: 36 });
  const response = smb2Message({ command: 0, messageId: 0, response: true, bodyLen: 100 });
  const packets = [
    ...flow.handshake(),
    flow.send(true, nbss(request)),
    flow.send(false, nbss(response)),
    flow.fin(true),
    flow.fin(false),
  ];
  return { packets, request, response };
}
