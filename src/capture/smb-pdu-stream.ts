import { CaptureFileReader, parseCaptureBuffer } from './capture-file.js';
import { createCaptureStats, type CaptureStats } from './capture-stats.js';
import { createIpPacketView, decodeIp, formatIpAddress, IpDecodeStatus, IpProtocol } from './ip.js';
import { createLinkLayerResult, decodeLinkLayer, LinkDecodeStatus } from './link-layer.js';
import type { PacketRecord, PacketSink } from './packet-record.js';
import { NBSS_MAX_LENGTH, WELL_KNOWN_SMB_PORTS } from './smb-detect.js';
import type { NeededBytes, SmbConnectionInfo, SmbPdu } from './smb-pdu.js';
import { TcpConnection, type TcpConnectionOptions, type TcpConnectionSink } from './tcp-connection.js';
import { TcpConnectionTable } from './tcp-connection-table.js';
import { createTcpSegmentView, decodeTcpSegment, TcpFlag } from './tcp-segment.js';

export type { NeededBytes, SmbConnectionInfo, SmbPdu } from './smb-pdu.js';
export type { CaptureStats } from './capture-stats.js';

export interface SmbPduReaderOptions {
  /** Called synchronously for every PDU, in capture order of completion. */
  onPdu(pdu: SmbPdu): void;
  /** Called once per SMB connection, just before its first PDU. */
  onConnection?(info: SmbConnectionInfo): void;
  /**
   * Called when an SMB connection ends on the wire (both FINs, a RST, or its 4-tuple reused),
   * after its last PDU; never for connections still open when the capture ends.
   */
  onConnectionEnd?(connectionId: number, timestampMicros: number, frameNumber: number): void;
  /** Server ports besides 445 and 139. Not needed for detection; they only break ties. */
  serverPorts?: readonly number[];
  /** Bytes buffered ahead of a hole per direction before the hole is declared lost (default 8 MiB). */
  maxPendingBytes?: number;
  /** Segments buffered ahead of a hole per direction (default 4096). */
  maxPendingSegments?: number;
  /** Largest NBSS message reassembled (default and maximum 16 MiB - 1, the 24-bit NBSS limit). */
  maxMessageBytes?: number;
  /**
   * Leading bytes of a message the consumer reads (default: all). Bytes past that point of a
   * message that spans segments are not copied, and are zero in the delivered buffer.
   */
  neededBytes?: NeededBytes;
  /** Read size (default 1 MiB). */
  chunkSize?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_PENDING_SEGMENTS = 4096;

/**
 * The packet-to-PDU pipeline: link layer, IP, TCP, per-connection reassembly and NBSS framing.
 * Push packets with onPacket (it is a PacketSink), then call finish() once. Decoding reuses one
 * view object per layer, so a packet costs no allocation unless it completes or buffers data.
 */
export class SmbPduExtractor implements TcpConnectionSink {
  readonly stats: CaptureStats = createCaptureStats();
  readonly onPacket: PacketSink = (rec) => this.packet(rec);

  private readonly link = createLinkLayerResult();
  private readonly ip = createIpPacketView();
  private readonly tcp = createTcpSegmentView();
  private readonly table = new TcpConnectionTable();
  private readonly connectionOptions: TcpConnectionOptions;
  private nextConnectionId = 0;
  private finished = false;

  constructor(private readonly options: SmbPduReaderOptions) {
    this.connectionOptions = {
      serverPorts: new Set([...WELL_KNOWN_SMB_PORTS, ...(options.serverPorts ?? [])]),
      maxPendingBytes: options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES,
      maxPendingSegments: options.maxPendingSegments ?? DEFAULT_MAX_PENDING_SEGMENTS,
      maxMessageBytes: Math.min(options.maxMessageBytes ?? NBSS_MAX_LENGTH, NBSS_MAX_LENGTH),
      ...(options.neededBytes === undefined ? {} : { neededBytes: options.neededBytes }),
    };
  }

  /** Ends every stream (holes become gaps, half messages are dropped) and returns the counters. */
  finish(): CaptureStats {
    if (!this.finished) {
      this.finished = true;
      const lastFrame = this.stats.packets;
      this.table.forEach((c) => c.close(lastFrame));
    }
    return this.stats;
  }

  onSmbMessage(
    conn: TcpConnection,
    fromClient: boolean,
    data: Buffer,
    tsMicros: number,
    frameNumber: number,
  ): void {
    if (conn.id === 0) {
      conn.id = ++this.nextConnectionId;
      this.stats.smbConnections++;
      this.options.onConnection?.(describeConnection(conn));
    }
    this.stats.pdus++;
    this.stats.pduBytes += data.length;
    this.options.onPdu({
      connectionId: conn.id,
      fromClient,
      timestampMicros: tsMicros,
      frameNumber,
      data,
    });
  }

  onSmbConnectionEnd(conn: TcpConnection, tsMicros: number, frameNumber: number): void {
    this.options.onConnectionEnd?.(conn.id, tsMicros, frameNumber);
  }

  private packet(rec: PacketRecord): void {
    const stats = this.stats;
    const buf = rec.data;
    const link = this.link;
    const linkStatus = decodeLinkLayer(rec.interfaceLinkType, buf, rec.dataStart, rec.dataEnd, link);
    if (linkStatus !== LinkDecodeStatus.OK) {
      if (linkStatus === LinkDecodeStatus.UNKNOWN_LINK_TYPE) stats.unknownLinkTypes++;
      else if (linkStatus === LinkDecodeStatus.NOT_IP) stats.nonIp++;
      else stats.malformedPackets++;
      return;
    }
    const ip = this.ip;
    const ipStatus = decodeIp(buf, link.ipOffset, rec.dataEnd, link.etherType, ip);
    if (ipStatus !== IpDecodeStatus.OK) {
      if (ipStatus === IpDecodeStatus.FRAGMENT) stats.ipFragmentsSkipped++;
      else stats.malformedPackets++;
      return;
    }
    if (ip.protocol !== IpProtocol.TCP) {
      stats.nonTcp++;
      return;
    }
    const tcp = this.tcp;
    if (!decodeTcpSegment(buf, ip.payloadStart, ip.payloadEnd, ip.payloadLength, tcp)) {
      stats.malformedPackets++;
      return;
    }
    stats.tcpSegments++;
    const ts = rec.tsMicros;
    const frame = rec.frameNumber;
    const hash = TcpConnectionTable.hashOf(ip, tcp);
    const table = this.table;
    let conn = table.find(ip, tcp, hash);
    let fromA = table.lastFromA;
    if (conn !== undefined && conn.isNewIncarnation(fromA, tcp)) {
      conn.end(ts, frame);
      table.remove(conn);
      conn = undefined;
    }
    if (conn === undefined) {
      // Pure ACKs, FINs and RSTs of connections we never saw carry nothing to reassemble.
      if ((tcp.flags & TcpFlag.SYN) === 0 && (tcp.payloadLength === 0 || (tcp.flags & TcpFlag.RST) !== 0))
        return;
      conn = new TcpConnection(ip, tcp, hash, ts, frame, stats, this, this.connectionOptions);
      table.insert(conn);
      fromA = true;
    }
    conn.onSegment(fromA, tcp, buf, ts, frame);
    table.maybePurge(ts);
  }
}

function describeConnection(conn: TcpConnection): SmbConnectionInfo {
  const clientIsA = conn.clientIsA !== false;
  return {
    connectionId: conn.id,
    ipVersion: conn.ipVersion,
    clientAddress: formatIpAddress(conn.ipVersion, clientIsA ? conn.a : conn.b),
    clientPort: clientIsA ? conn.aPort : conn.bPort,
    serverAddress: formatIpAddress(conn.ipVersion, clientIsA ? conn.b : conn.a),
    serverPort: clientIsA ? conn.bPort : conn.aPort,
    firstFrameNumber: conn.firstFrameNumber,
  };
}

/**
 * Reads a pcap/pcapng file and calls options.onPdu for every SMB2/3 PDU; resolves with the
 * counters. Throws SmbBenchError(ErrorCode.CAPTURE) for a file that is not a capture or whose
 * record framing is corrupt; a truncated last record only sets stats.truncatedAtEnd.
 */
export async function readSmbPdus(path: string, options: SmbPduReaderOptions): Promise<CaptureStats> {
  const extractor = new SmbPduExtractor(options);
  const reader = await CaptureFileReader.open(path, extractor.stats, extractor.onPacket, options);
  while (await reader.readNext()) {
    // Each call reads and parses one chunk; onPdu runs inside it.
  }
  return extractor.finish();
}

/** The same over a capture already in memory (tests, small uploads), synchronously. */
export function readSmbPdusFromBuffer(data: Buffer, options: SmbPduReaderOptions): CaptureStats {
  const extractor = new SmbPduExtractor(options);
  parseCaptureBuffer(data, extractor.stats, extractor.onPacket);
  return extractor.finish();
}

/**
 * Convenience pull API: yields PDUs chunk by chunk and returns the counters as the generator's
 * return value (also written into options.stats when given, for `for await` loops).
 */
export async function* iterateSmbPdus(
  path: string,
  options: Omit<SmbPduReaderOptions, 'onPdu'> & { stats?: CaptureStats } = {},
): AsyncGenerator<SmbPdu, CaptureStats, undefined> {
  const queue: SmbPdu[] = [];
  const extractor = new SmbPduExtractor({ ...options, onPdu: (pdu) => queue.push(pdu) });
  const reader = await CaptureFileReader.open(path, extractor.stats, extractor.onPacket, options);
  try {
    while (await reader.readNext()) {
      for (const pdu of queue) yield pdu;
      queue.length = 0;
    }
    extractor.finish();
    for (const pdu of queue) yield pdu;
    if (options.stats) Object.assign(options.stats, extractor.stats);
    return extractor.stats;
  } finally {
    await reader.close();
  }
}
