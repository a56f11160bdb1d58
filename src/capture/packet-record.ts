import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

/**
 * One captured packet as handed from a file reader to the decoders. Readers reuse a single
 * instance for every packet (no per-packet allocation), so a sink must not keep it; the bytes
 * are `data[dataStart, dataEnd)` and `data` is a read chunk that is never overwritten, so a
 * subarray of it stays valid after the callback returns.
 */
export interface PacketRecord {
  /** 1-based index of the packet record in the file, like Wireshark's frame.number. */
  frameNumber: number;
  /** LINKTYPE_* of the interface the packet was captured on (pcap header or pcapng IDB). */
  interfaceLinkType: number;
  /** Capture time in microseconds since the Unix epoch (exact integer up to year 2255). */
  tsMicros: number;
  data: Buffer;
  dataStart: number;
  dataEnd: number;
  /** Length on the wire; larger than dataEnd - dataStart when the snaplen cut the packet. */
  origLen: number;
}

export type PacketSink = (record: PacketRecord) => void;

/**
 * A container-format reader fed with contiguous bytes of the file. It consumes only whole
 * records and reports how many bytes it needs to make progress, so the driver can read more
 * (or grow its buffer) without the reader ever copying.
 */
export interface CaptureRecordReader {
  readonly format: 'pcap' | 'pcapng';
  /**
   * Parses every whole record in buf[start, end) (whose first byte is at `fileOffset` in the
   * file) and returns the offset of the first byte it did not consume.
   */
  parse(buf: Buffer, start: number, end: number, fileOffset: number): number;
  /** After parse: bytes needed from the returned offset before the next record is whole. */
  readonly needed: number;
}

export function createPacketRecord(): PacketRecord {
  return {
    frameNumber: 0,
    interfaceLinkType: 0,
    tsMicros: 0,
    data: Buffer.alloc(0),
    dataStart: 0,
    dataEnd: 0,
    origLen: 0,
  };
}

/** A corrupt container: the byte offset lets a person look at the file with a hex editor. */
export function corruptCaptureError(format: string, fileOffset: number, what: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.CAPTURE, `corrupt ${format} file at byte offset ${fileOffset}: ${what}`);
}

export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
