/**
 * Builds small SMB2 conversations as pcap files for compiler tests: requests are encoded with the
 * real codecs, responses by hand (the codecs only encode requests), and everything is framed with
 * the capture tests' TCP/Ethernet builders. Each `send` is one TCP segment at its own timestamp.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandCodec } from '../../../src/smb2/command-codec.js';
import { Command, HeaderFlags, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import type { FileId } from '../../../src/smb2/constants.js';
import { ethernet, nbss, pcapFile, TCP, TcpFlow, type FramePacket } from '../../capture/capture-builder.js';

export interface HeaderOptions {
  messageId: number;
  sessionId?: bigint;
  treeId?: number;
  status?: number;
  flags?: number;
  asyncId?: bigint;
}

/** A 64-byte SMB2 header (MS-SMB2 2.2.1) in front of `body`. */
export function message(command: number, body: Buffer, o: HeaderOptions, response: boolean): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + body.length);
  msg.writeUInt32LE(0x424d53fe, 0);
  msg.writeUInt16LE(64, 4);
  msg.writeUInt32LE(o.status ?? 0, 8);
  msg.writeUInt16LE(command, 12);
  msg.writeUInt16LE(1, 14);
  let flags = (o.flags ?? 0) | (response ? HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR : 0);
  if (o.asyncId !== undefined) flags |= HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND;
  msg.writeUInt32LE(flags, 16);
  msg.writeBigUInt64LE(BigInt(o.messageId), 24);
  if (o.asyncId !== undefined) msg.writeBigUInt64LE(o.asyncId, 32);
  else msg.writeUInt32LE(o.treeId ?? 0, 36);
  msg.writeBigUInt64LE(o.sessionId ?? 0n, 40);
  body.copy(msg, SMB2_HEADER_SIZE);
  return msg;
}

/** A request body from a codec (the header part is replaced by `message`). */
export function requestBody<Req, Res>(codec: CommandCodec<Req, Res>, req: Req): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + codec.requestSize(req));
  codec.encodeRequest(req, msg);
  return msg.subarray(SMB2_HEADER_SIZE);
}

/** Joins messages into one compound PDU: 8-byte aligned, NextCommand set (MS-SMB2 3.2.4.1.4). */
export function compound(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  messages.forEach((m, i) => {
    const last = i === messages.length - 1;
    const padded = last ? m : Buffer.concat([m, Buffer.alloc((8 - (m.length % 8)) % 8)]);
    if (!last) padded.writeUInt32LE(padded.length, 20);
    parts.push(padded);
  });
  return Buffer.concat(parts);
}

export function fileIdBytes(id: FileId): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(id.persistent, 0);
  b.writeBigUInt64LE(id.volatile, 8);
  return b;
}

// ---- response bodies (MS-SMB2 2.2.x) -------------------------------------------------------------

export function createResponseBody(o: {
  fileId: FileId;
  createAction: number;
  endOfFile?: bigint;
  attributes?: number;
}): Buffer {
  const b = Buffer.alloc(89);
  b.writeUInt16LE(89, 0);
  b.writeUInt32LE(o.createAction, 4);
  b.writeBigUInt64LE(o.endOfFile ?? 0n, 48);
  b.writeBigUInt64LE(o.endOfFile ?? 0n, 40);
  b.writeUInt32LE(o.attributes ?? 0x20, 56);
  fileIdBytes(o.fileId).copy(b, 64);
  return b;
}

export function errorBody(): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(9, 0);
  return b;
}

export function emptyBody(structureSize: number, length = structureSize): Buffer {
  const b = Buffer.alloc(length);
  b.writeUInt16LE(structureSize, 0);
  return b;
}

export function readResponseBody(dataLength: number): Buffer {
  const b = Buffer.alloc(16 + dataLength);
  b.writeUInt16LE(17, 0);
  b[2] = 0x50;
  b.writeUInt32LE(dataLength, 4);
  return b;
}

export function writeResponseBody(count: number): Buffer {
  const b = emptyBody(17, 16);
  b.writeUInt32LE(count, 4);
  return b;
}

/** QUERY_DIRECTORY / QUERY_INFO / CHANGE_NOTIFY response around an output buffer. */
export function outputBufferBody(output: Buffer): Buffer {
  const b = Buffer.alloc(8 + Math.max(1, output.length));
  b.writeUInt16LE(9, 0);
  b.writeUInt16LE(output.length === 0 ? 0 : SMB2_HEADER_SIZE + 8, 2);
  b.writeUInt32LE(output.length, 4);
  output.copy(b, 8);
  return b;
}

export function treeConnectResponseBody(shareType: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(16, 0);
  b[2] = shareType;
  return b;
}

export function negotiateResponseBody(dialect: number): Buffer {
  const b = Buffer.alloc(65);
  b.writeUInt16LE(65, 0);
  b.writeUInt16LE(dialect, 4);
  return b;
}

export function sessionSetupResponseBody(): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(9, 0);
  return b;
}

// ---- the conversation --------------------------------------------------------------------------

export class TraceBuilder {
  private readonly frames: FramePacket[] = [];
  private readonly flows = new Map<number, TcpFlow>();
  private clock = 1_700_000_000_000_000;

  /** Advances the capture clock (microseconds) before the next segment. */
  wait(micros: number): this {
    this.clock += micros;
    return this;
  }

  private flow(conn: number): TcpFlow {
    let f = this.flows.get(conn);
    if (f === undefined) {
      f = new TcpFlow({ addr: '10.0.0.2', port: 40000 + conn }, { addr: '10.0.0.1', port: 445 });
      this.flows.set(conn, f);
      for (const p of f.handshake()) this.frames.push({ data: ethernet(p), tsMicros: this.clock++ });
    }
    return f;
  }

  /** One NBSS message (a single SMB2 message or a compound) as one segment. */
  send(fromClient: boolean, pdu: Buffer, conn = 0): this {
    const f = this.flow(conn);
    this.clock += 10;
    this.frames.push({ data: ethernet(f.send(fromClient, nbss(pdu))), tsMicros: this.clock });
    return this;
  }

  /** The client resets connection `conn` (a RST segment): the connection ends on the wire. */
  reset(conn = 0): this {
    const f = this.flow(conn);
    this.clock += 10;
    this.frames.push({
      data: ethernet(f.send(true, Buffer.alloc(0), { flags: TCP.RST | TCP.ACK })),
      tsMicros: this.clock,
    });
    return this;
  }

  request(command: number, body: Buffer, o: HeaderOptions, conn = 0): this {
    return this.send(true, message(command, body, o, false), conn);
  }

  response(command: number, body: Buffer, o: HeaderOptions, conn = 0): this {
    return this.send(false, message(command, body, o, true), conn);
  }

  pcap(): Buffer {
    return pcapFile(this.frames);
  }

  /** Writes the pcap to a fresh temporary directory; `cleanup` removes it. */
  writeTemp(): { path: string; dir: string; cleanup: () => void } {
    const dir = mkdtempSync(join(tmpdir(), 'smbench-trace-'));
    const path = join(dir, 'trace.pcap');
    writeFileSync(path, this.pcap());
    return { path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
}

export { Command };
