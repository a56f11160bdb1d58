/**
 * Synthesises a large capture from a small real one, fast: the template connection's PDUs are
 * replayed as `connections` concurrent TCP connections, its body (everything between the tree
 * connect and the logoff) repeated until the file reaches `targetBytes`. Each copy is a valid SMB2
 * conversation: MessageIds keep increasing per connection, each connection gets its own SessionId
 * and user name, and the TCP/IP framing (handshake, sequence numbers, segmentation) is consistent,
 * so tshark and smbench dissect the same messages.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readSmbPdusFromBuffer } from '../../src/capture/smb-pdu-stream.js';
import { Command, HeaderFlags } from '../../src/smb2/constants.js';

interface TemplateEvent {
  readonly fromClient: boolean;
  readonly data: Buffer;
}

interface Template {
  readonly prologue: readonly TemplateEvent[];
  readonly body: readonly TemplateEvent[];
  readonly epilogue: readonly TemplateEvent[];
  /** MessageIds used by one body copy: later copies are shifted by multiples of this. */
  readonly bodySpan: number;
  readonly bodyBytes: number;
}

export interface SynthesisOptions {
  readonly template: string;
  readonly templatePort: number;
  readonly output: string;
  readonly targetBytes: number;
  readonly connections: number;
  /** The template's user name, patched per connection so each connection is its own user. */
  readonly userName: string;
}

export interface SynthesisResult {
  readonly packets: number;
  readonly bytes: number;
  readonly connections: number;
  readonly bodyCopies: number;
}

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const FRAME_HEADERS = 14 + 20 + 20;
const MSS = 65_000;
const OUT_CHUNK = 8 << 20;
const SERVER_PORT = 445;
const TCP_ACK = 0x10;
const TCP_PSH = 0x08;
const TCP_SYN = 0x02;

function firstCommand(data: Buffer): number {
  return data.length >= 64 ? data.readUInt16LE(12) : -1;
}

function forEachHeader(data: Buffer, fn: (at: number) => void): void {
  for (let at = 0; at + 64 <= data.length;) {
    if (data.readUInt32LE(at) !== 0x424d53fe) return;
    fn(at);
    const next = data.readUInt32LE(at + 20);
    if (next === 0) return;
    at += next;
  }
}

export function loadTemplate(path: string, port: number): Template {
  const events: TemplateEvent[] = [];
  let connection = -1;
  readSmbPdusFromBuffer(readFileSync(path), {
    serverPorts: [port],
    onPdu(pdu) {
      if (connection < 0) connection = pdu.connectionId;
      if (pdu.connectionId === connection)
        events.push({ fromClient: pdu.fromClient, data: Buffer.from(pdu.data) });
    },
  });
  const isRequest = (e: TemplateEvent, commands: readonly number[]) =>
    e.fromClient && commands.includes(firstCommand(e.data));
  let bodyStart = events.findIndex((e) => isRequest(e, [Command.CREATE]));
  const end = events.findIndex(
    (e, i) => i > bodyStart && isRequest(e, [Command.TREE_DISCONNECT, Command.LOGOFF]),
  );
  if (bodyStart < 0) throw new Error(`${path}: no CREATE in the template`);
  if (
    events[bodyStart - 1]?.fromClient === false &&
    firstCommand(events[bodyStart - 1]!.data) === Command.CREATE
  )
    bodyStart--;
  const bodyEnd = end < 0 ? events.length : end;
  const body = events.slice(bodyStart, bodyEnd);
  let min = Infinity;
  let max = -Infinity;
  for (const e of body) {
    forEachHeader(e.data, (at) => {
      const id = Number(e.data.readBigUInt64LE(at + 24));
      if (id >= Number.MAX_SAFE_INTEGER) return;
      // A multi-credit request uses CreditCharge consecutive MessageIds (MS-SMB2 3.2.4.1.5).
      const charge = Math.max(1, e.data.readUInt16LE(at + 6));
      min = Math.min(min, id);
      max = Math.max(max, id + charge - 1);
    });
  }
  return {
    prologue: events.slice(0, bodyStart),
    body,
    epilogue: events.slice(bodyEnd),
    bodySpan: max - min + 1,
    bodyBytes: body.reduce((n, e) => n + e.data.length + 4, 0),
  };
}

/** Per-connection TCP and SMB rewriting state. */
interface Conn {
  readonly index: number;
  clientSeq: number;
  serverSeq: number;
  /** Position: phase 0 prologue, 1 body, 2 epilogue, 3 done. */
  phase: number;
  at: number;
  copy: number;
}

export function synthesizeCapture(opts: SynthesisOptions): SynthesisResult {
  const t = loadTemplate(opts.template, opts.templatePort);
  const fixed = (t.prologue.length + t.epilogue.length) * 200 + 3 * 80;
  const copies = Math.max(1, Math.ceil((opts.targetBytes / opts.connections - fixed) / (t.bodyBytes * 1.03)));
  const userUtf16 = Buffer.from(opts.userName, 'utf16le');
  const fd = openSync(opts.output, 'w');
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let used = 0;
  let packets = 0;
  let bytes = 0;
  let clock = 1_700_000_000_000_000;
  const flush = (): void => {
    writeSync(fd, out, 0, used);
    bytes += used;
    used = 0;
  };
  const global = Buffer.alloc(PCAP_HEADER);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(262144, 16);
  global.writeUInt32LE(1, 20);
  global.copy(out, 0);
  used = PCAP_HEADER;

  const frame = (
    c: Conn,
    fromClient: boolean,
    flags: number,
    payload: Buffer,
    from: number,
    to: number,
  ): void => {
    const len = to - from;
    const need = RECORD_HEADER + FRAME_HEADERS + len;
    if (used + need > out.length) {
      flush();
      if (need > out.length) out = Buffer.allocUnsafe(need);
    }
    clock += 7;
    const r = used;
    out.writeUInt32LE(Math.floor(clock / 1e6), r);
    out.writeUInt32LE(clock % 1e6, r + 4);
    out.writeUInt32LE(FRAME_HEADERS + len, r + 8);
    out.writeUInt32LE(FRAME_HEADERS + len, r + 12);
    const e = r + RECORD_HEADER;
    out.fill(0, e, e + 12);
    out.writeUInt16BE(0x0800, e + 12);
    const ip = e + 14;
    out.writeUInt32BE(0x45000000 | (20 + 20 + len), ip);
    out.writeUInt32BE(0x00004000, ip + 4);
    out.writeUInt32BE(0x40060000, ip + 8);
    const client = 0x0a000000 | (c.index + 2);
    out.writeUInt32BE(fromClient ? client : 0x0a000001, ip + 12);
    out.writeUInt32BE(fromClient ? 0x0a000001 : client, ip + 16);
    const tcp = ip + 20;
    const clientPort = 10_000 + c.index;
    out.writeUInt16BE(fromClient ? clientPort : SERVER_PORT, tcp);
    out.writeUInt16BE(fromClient ? SERVER_PORT : clientPort, tcp + 2);
    out.writeUInt32BE((fromClient ? c.clientSeq : c.serverSeq) >>> 0, tcp + 4);
    out.writeUInt32BE((fromClient ? c.serverSeq : c.clientSeq) >>> 0, tcp + 8);
    out.writeUInt16BE(0x5000 | flags, tcp + 12);
    out.writeUInt16BE(0xffff, tcp + 14);
    out.writeUInt32BE(0, tcp + 16);
    payload.copy(out, tcp + 20, from, to);
    used += need;
    packets++;
    const advance = (flags & TCP_SYN) !== 0 ? 1 : len;
    if (fromClient) c.clientSeq = (c.clientSeq + advance) >>> 0;
    else c.serverSeq = (c.serverSeq + advance) >>> 0;
  };

  let scratch = Buffer.allocUnsafe(1 << 16);
  const send = (c: Conn, e: TemplateEvent, idShift: number): void => {
    const total = e.data.length + 4;
    if (scratch.length < total) scratch = Buffer.allocUnsafe(total);
    scratch.writeUInt32BE(e.data.length, 0);
    e.data.copy(scratch, 4);
    const pdu = scratch.subarray(4, total);
    forEachHeader(pdu, (at) => {
      const lo = pdu.readUInt32LE(at + 24);
      const hi = pdu.readUInt32LE(at + 28);
      if (!(lo === 0xffffffff && hi === 0xffffffff) && idShift !== 0) {
        pdu.writeBigUInt64LE(pdu.readBigUInt64LE(at + 24) + BigInt(idShift), at + 24);
      }
      if ((pdu.readUInt32LE(at + 40) | pdu.readUInt32LE(at + 44)) !== 0)
        pdu.writeUInt32LE(c.index + 1, at + 44);
      if (
        e.fromClient &&
        pdu.readUInt16LE(at + 12) === Command.SESSION_SETUP &&
        (pdu.readUInt32LE(at + 16) & HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR) === 0
      ) {
        patchUser(pdu, userUtf16, c.index);
      }
    });
    for (let off = 0; off < total; off += MSS)
      frame(c, e.fromClient, TCP_ACK | TCP_PSH, scratch, off, Math.min(total, off + MSS));
  };

  const conns: Conn[] = [];
  for (let i = 0; i < opts.connections; i++) {
    const c: Conn = { index: i, clientSeq: 1000 + i, serverSeq: 500_000 + i, phase: 0, at: 0, copy: 0 };
    frame(c, true, TCP_SYN, Buffer.alloc(0), 0, 0);
    frame(c, false, TCP_SYN | TCP_ACK, Buffer.alloc(0), 0, 0);
    frame(c, true, TCP_ACK, Buffer.alloc(0), 0, 0);
    conns.push(c);
  }
  // Round-robin one event per connection at a time, so connections overlap like real clients.
  for (let live = conns.length; live > 0;) {
    live = 0;
    for (const c of conns) {
      if (c.phase === 3) continue;
      live++;
      const list = c.phase === 0 ? t.prologue : c.phase === 1 ? t.body : t.epilogue;
      if (c.at >= list.length) {
        c.at = 0;
        if (c.phase === 1 && ++c.copy < copies) continue;
        c.phase++;
        continue;
      }
      const shift = c.phase === 1 ? c.copy * t.bodySpan : c.phase === 2 ? (copies - 1) * t.bodySpan : 0;
      send(c, list[c.at++]!, shift);
    }
  }
  flush();
  closeSync(fd);
  return { packets, bytes, connections: opts.connections, bodyCopies: copies };
}

/** Overwrites the last characters of the user name in an NTLM AUTHENTICATE (same length). */
function patchUser(pdu: Buffer, user: Buffer, index: number): void {
  if (user.length < 6) return;
  const at = pdu.indexOf(user);
  if (at < 0) return;
  const tag = index.toString(36).padStart(3, '0').slice(-3);
  pdu.write(tag, at + user.length - 6, 6, 'utf16le');
}
