import type { CaptureStats } from './capture-stats.js';
import { createInterface, tsToMicros, type PcapngInterface } from './pcapng-interface.js';
import {
  corruptCaptureError,
  createPacketRecord,
  hex32,
  type CaptureRecordReader,
  type PacketSink,
} from './packet-record.js';
import { u16be, u16le, u32be, u32le } from './wire-read.js';

/** Block types, draft-ietf-opsawg-pcapng 11.1 (names as in the registry). */
export const PcapngBlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete Packet Block (pcapng Appendix A); still written by old tools. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  SYSTEMD_JOURNAL_EXPORT: 0x00000009,
  DECRYPTION_SECRETS: 0x0000000a,
  CUSTOM_COPIABLE: 0x00000bad,
  CUSTOM_NOT_COPIABLE: 0x40000bad,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** IDB options (pcapng 4.2). */
const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
/** Wireshark caps blocks near 16 MiB; anything larger is a corrupt length, not a packet. */
export const PCAPNG_MAX_BLOCK_SIZE = 16 * 1024 * 1024;
const MIN_BLOCK_SIZE = 12;

const SKIPPED_BLOCK_TYPES: ReadonlySet<number> = new Set([
  PcapngBlockType.NAME_RESOLUTION,
  PcapngBlockType.INTERFACE_STATISTICS,
  PcapngBlockType.SYSTEMD_JOURNAL_EXPORT,
  PcapngBlockType.DECRYPTION_SECRETS,
  PcapngBlockType.CUSTOM_COPIABLE,
  PcapngBlockType.CUSTOM_NOT_COPIABLE,
]);

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of sections, each an SHB (whose byte-order magic
 * fixes the endianness of everything up to the next SHB) followed by IDBs and packet blocks.
 * Interface ids are per section, so interfaces reset at every SHB.
 */
export class PcapngReader implements CaptureRecordReader {
  readonly format = 'pcapng' as const;
  needed = MIN_BLOCK_SIZE;

  private littleEndian = true;
  private interfaces: PcapngInterface[] = [];
  /** SPBs carry no timestamp; they inherit the last one seen so times stay monotonic. */
  private lastTsMicros = 0;
  private readonly record = createPacketRecord();

  constructor(
    private readonly stats: CaptureStats,
    private readonly sink: PacketSink,
  ) {
    stats.format = 'pcapng';
  }

  parse(buf: Buffer, start: number, end: number, fileOffset: number): number {
    let pos = start;
    while (true) {
      const avail = end - pos;
      if (avail < MIN_BLOCK_SIZE) {
        this.needed = MIN_BLOCK_SIZE;
        return pos;
      }
      const at = fileOffset + (pos - start);
      let type = this.u32(buf, pos);
      if (type === PcapngBlockType.SECTION_HEADER) {
        const bom = buf.readUInt32LE(pos + 8);
        if (bom === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (bom === 0x4d3c2b1a) this.littleEndian = false;
        else throw corruptCaptureError('pcapng', at, `bad section byte-order magic ${hex32(bom)}`);
        type = PcapngBlockType.SECTION_HEADER;
      }
      const total = this.u32(buf, pos + 4);
      if (total < MIN_BLOCK_SIZE || total % 4 !== 0 || total > PCAPNG_MAX_BLOCK_SIZE) {
        throw corruptCaptureError('pcapng', at, `block ${hex32(type)} has invalid total length ${total}`);
      }
      if (avail < total) {
        this.needed = total;
        return pos;
      }
      if (this.u32(buf, pos + total - 4) !== total) {
        throw corruptCaptureError('pcapng', at, `block ${hex32(type)} trailing length differs from ${total}`);
      }
      this.block(type, buf, pos, total, at);
      pos += total;
    }
  }

  private block(type: number, buf: Buffer, pos: number, total: number, at: number): void {
    switch (type) {
      case PcapngBlockType.SECTION_HEADER:
        return this.sectionHeader(buf, pos, total, at);
      case PcapngBlockType.INTERFACE_DESCRIPTION:
        return this.interfaceDescription(buf, pos, total, at);
      case PcapngBlockType.ENHANCED_PACKET:
        return this.packet(this.u32(buf, pos + 8), buf, pos + 12, pos + 28, total, at);
      case PcapngBlockType.PACKET:
        return this.packet(this.u16(buf, pos + 8), buf, pos + 12, pos + 28, total, at);
      case PcapngBlockType.SIMPLE_PACKET:
        return this.simplePacket(buf, pos, total, at);
      default:
        if (SKIPPED_BLOCK_TYPES.has(type)) this.stats.skippedBlocks++;
        else this.stats.unknownBlocks++;
    }
  }

  /** SHB body: byte-order magic, major, minor, section length (pcapng 4.1). */
  private sectionHeader(buf: Buffer, pos: number, total: number, at: number): void {
    if (total < 28) throw corruptCaptureError('pcapng', at, `section header block too short (${total})`);
    const major = this.u16(buf, pos + 12);
    if (major !== 1) throw corruptCaptureError('pcapng', at, `unsupported pcapng major version ${major}`);
    this.interfaces = [];
    this.stats.sections++;
  }

  /** IDB body: LinkType u16, Reserved u16, SnapLen u32, options (pcapng 4.2). */
  private interfaceDescription(buf: Buffer, pos: number, total: number, at: number): void {
    if (total < 20)
      throw corruptCaptureError('pcapng', at, `interface description block too short (${total})`);
    const linkType = this.u16(buf, pos + 8);
    const snapLen = this.u32(buf, pos + 12);
    let tsresol = 6;
    let tsOffsetSeconds = 0;
    const optEnd = pos + total - 4;
    let o = pos + 16;
    while (o + 4 <= optEnd) {
      const code = this.u16(buf, o);
      const len = this.u16(buf, o + 2);
      if (code === OPT_ENDOFOPT || o + 4 + len > optEnd) break;
      if (code === IF_TSRESOL && len >= 1) tsresol = buf[o + 4]!;
      else if (code === IF_TSOFFSET && len >= 8) {
        tsOffsetSeconds = Number(this.littleEndian ? buf.readBigInt64LE(o + 4) : buf.readBigInt64BE(o + 4));
      }
      o += 4 + ((len + 3) & ~3);
    }
    this.interfaces.push(createInterface(linkType, snapLen, tsresol, tsOffsetSeconds));
    this.stats.interfaces++;
  }

  /**
   * EPB (pcapng 4.3) and obsolete PB (Appendix A) share the layout after the interface id:
   * timestamp high/low, captured length, original length, data.
   */
  private packet(
    ifaceId: number,
    buf: Buffer,
    tsPos: number,
    dataPos: number,
    total: number,
    at: number,
  ): void {
    const blockEnd = tsPos - 12 + total - 4;
    if (dataPos > blockEnd) throw corruptCaptureError('pcapng', at, `packet block too short (${total})`);
    const caplen = this.u32(buf, tsPos + 8);
    if (caplen > blockEnd - dataPos) {
      throw corruptCaptureError(
        'pcapng',
        at,
        `captured length ${caplen} exceeds its block of ${total} bytes`,
      );
    }
    const iface = this.interfaces[ifaceId];
    const ts = iface ? tsToMicros(iface, this.u32(buf, tsPos), this.u32(buf, tsPos + 4)) : this.lastTsMicros;
    this.emit(iface, buf, dataPos, caplen, this.u32(buf, tsPos + 12), ts);
  }

  /** SPB (pcapng 4.4): interface 0, no timestamp, captured length = min(original, snaplen, room). */
  private simplePacket(buf: Buffer, pos: number, total: number, at: number): void {
    if (total < 16) throw corruptCaptureError('pcapng', at, `simple packet block too short (${total})`);
    const origLen = this.u32(buf, pos + 8);
    const iface = this.interfaces[0];
    let caplen = Math.min(origLen, total - 16);
    if (iface && iface.snapLen > 0) caplen = Math.min(caplen, iface.snapLen);
    this.emit(iface, buf, pos + 12, caplen, origLen, this.lastTsMicros);
  }

  private emit(
    iface: PcapngInterface | undefined,
    buf: Buffer,
    dataPos: number,
    caplen: number,
    origLen: number,
    ts: number,
  ): void {
    const stats = this.stats;
    const rec = this.record;
    rec.frameNumber = ++stats.packets;
    // A packet on an interface the section never described cannot be decoded: -1 is no link type.
    rec.interfaceLinkType = iface ? iface.linkType : -1;
    rec.tsMicros = ts;
    rec.data = buf;
    rec.dataStart = dataPos;
    rec.dataEnd = dataPos + caplen;
    rec.origLen = origLen;
    this.lastTsMicros = ts;
    stats.bytes += caplen;
    if (origLen > caplen) stats.truncatedPackets++;
    this.sink(rec);
  }

  private u32(buf: Buffer, pos: number): number {
    return this.littleEndian ? u32le(buf, pos) : u32be(buf, pos);
  }

  private u16(buf: Buffer, pos: number): number {
    return this.littleEndian ? u16le(buf, pos) : u16be(buf, pos);
  }
}
