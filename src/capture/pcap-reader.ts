import type { CaptureStats } from './capture-stats.js';
import {
  corruptCaptureError,
  createPacketRecord,
  hex32,
  type CaptureRecordReader,
  type PacketSink,
} from './packet-record.js';
import { u32be, u32le } from './wire-read.js';

/**
 * Classic libpcap files (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html): a
 * 24-byte global header whose magic gives byte order and timestamp precision, then records of
 * a 16-byte header (ts_sec, ts_usec|ts_nsec, incl_len, orig_len) and incl_len bytes.
 */
export const PcapMagic = {
  /** Microsecond timestamps. */
  MICROSECONDS: 0xa1b2c3d4,
  /** Nanosecond timestamps. */
  NANOSECONDS: 0xa1b23c4d,
  /** Alexey Kuznetzov's patched libpcap: records carry 8 extra bytes (ifindex, protocol, pkt_type). */
  KUZNETZOV: 0xa1b2cd34,
} as const;

const GLOBAL_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;
const KUZNETZOV_RECORD_HEADER_SIZE = 24;

/**
 * libpcap/Wireshark refuse records above 256 KiB (WTAP_MAX_PACKET_SIZE_STANDARD); a larger
 * incl_len means a corrupt file, not a big packet. A snaplen above that raises the limit, up to
 * a hard 16 MiB so a corrupt header can never make us buffer unbounded amounts.
 */
export const PCAP_MAX_CAPLEN = 262144;
const PCAP_HARD_MAX_CAPLEN = 16 * 1024 * 1024;

/** True when the first 4 file bytes (read little-endian) are a pcap magic in either byte order. */
export function isPcapMagic(magicLE: number): boolean {
  const swapped = swap32(magicLE);
  for (const m of Object.values(PcapMagic)) if (magicLE === m || swapped === m) return true;
  return false;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

export class PcapReader implements CaptureRecordReader {
  readonly format = 'pcap' as const;
  needed = GLOBAL_HEADER_SIZE;

  private headerRead = false;
  private littleEndian = true;
  private nanoseconds = false;
  private recordHeaderSize = RECORD_HEADER_SIZE;
  private linkType = 0;
  private maxCaplen = PCAP_MAX_CAPLEN;
  private readonly record = createPacketRecord();

  constructor(
    private readonly stats: CaptureStats,
    private readonly sink: PacketSink,
  ) {}

  parse(buf: Buffer, start: number, end: number, fileOffset: number): number {
    let pos = start;
    if (!this.headerRead) {
      if (end - pos < GLOBAL_HEADER_SIZE) {
        this.needed = GLOBAL_HEADER_SIZE;
        return pos;
      }
      this.readGlobalHeader(buf, pos);
      pos += GLOBAL_HEADER_SIZE;
    }
    const le = this.littleEndian;
    const hdr = this.recordHeaderSize;
    const rec = this.record;
    const stats = this.stats;
    rec.data = buf;
    rec.interfaceLinkType = this.linkType;
    while (true) {
      const avail = end - pos;
      if (avail < hdr) {
        this.needed = hdr;
        return pos;
      }
      const caplen = le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
      if (caplen > this.maxCaplen) {
        throw corruptCaptureError(
          'pcap',
          fileOffset + (pos - start),
          `record captured length ${caplen} exceeds the maximum of ${this.maxCaplen}`,
        );
      }
      if (avail < hdr + caplen) {
        this.needed = hdr + caplen;
        return pos;
      }
      const sec = le ? u32le(buf, pos) : u32be(buf, pos);
      const frac = le ? u32le(buf, pos + 4) : u32be(buf, pos + 4);
      const origLen = le ? u32le(buf, pos + 12) : u32be(buf, pos + 12);
      rec.frameNumber = ++stats.packets;
      rec.tsMicros = sec * 1e6 + (this.nanoseconds ? Math.floor(frac / 1000) : frac);
      rec.dataStart = pos + hdr;
      rec.dataEnd = pos + hdr + caplen;
      rec.origLen = origLen;
      stats.bytes += caplen;
      if (origLen > caplen) stats.truncatedPackets++;
      pos += hdr + caplen;
      this.sink(rec);
    }
  }

  private readGlobalHeader(buf: Buffer, pos: number): void {
    const magicLE = buf.readUInt32LE(pos);
    this.littleEndian = isPcapMagicValue(magicLE);
    const magic = this.littleEndian ? magicLE : buf.readUInt32BE(pos);
    if (!isPcapMagicValue(magic)) {
      throw corruptCaptureError('pcap', 0, `bad magic ${hex32(magicLE)}`);
    }
    this.nanoseconds = magic === PcapMagic.NANOSECONDS;
    this.recordHeaderSize = magic === PcapMagic.KUZNETZOV ? KUZNETZOV_RECORD_HEADER_SIZE : RECORD_HEADER_SIZE;
    const snaplen = this.littleEndian ? buf.readUInt32LE(pos + 16) : buf.readUInt32BE(pos + 16);
    // The upper bits of the link-type word hold the FCS length (draft-ietf-opsawg-pcap 4).
    const network = this.littleEndian ? buf.readUInt32LE(pos + 20) : buf.readUInt32BE(pos + 20);
    this.linkType = network & 0xffff;
    this.maxCaplen = Math.min(Math.max(PCAP_MAX_CAPLEN, snaplen), PCAP_HARD_MAX_CAPLEN);
    this.headerRead = true;
    this.stats.format = 'pcap';
    // += so one stats object can follow several files (rotated captures) in sequence.
    this.stats.sections++;
    this.stats.interfaces++;
  }
}

function isPcapMagicValue(v: number): boolean {
  return v === PcapMagic.MICROSECONDS || v === PcapMagic.NANOSECONDS || v === PcapMagic.KUZNETZOV;
}
