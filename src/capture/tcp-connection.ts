import type { CaptureStats } from './capture-stats.js';
import type { IpPacketView } from './ip.js';
import { NbssFramer, type NbssFramerOwner } from './nbss-framer.js';
import { isSmb2Response } from './smb-detect.js';
import type { NeededBytes } from './smb-pdu.js';
import { TcpFlag, type TcpSegmentView } from './tcp-segment.js';
import { TcpStream, type TcpStreamLimits } from './tcp-stream.js';

/** Where a connection sends what its framers find. */
export interface TcpConnectionSink {
  onSmbMessage(
    conn: TcpConnection,
    fromClient: boolean,
    data: Buffer,
    tsMicros: number,
    frameNumber: number,
  ): void;
  /** The connection ended (both FINs or a RST) after carrying SMB; not called at end of capture. */
  onSmbConnectionEnd?(conn: TcpConnection, tsMicros: number, frameNumber: number): void;
}

export interface TcpConnectionOptions extends TcpStreamLimits {
  /** Largest NBSS message reassembled; larger ones are skipped and counted. */
  maxMessageBytes: number;
  /** Leading bytes of a message its consumer reads; see SmbPduReaderOptions.neededBytes. */
  neededBytes?: NeededBytes;
  /** Ports that mark the server side and make a connection SMB without looking (445, 139, ...). */
  serverPorts: ReadonlySet<number>;
}

/**
 * One TCP connection (4-tuple incarnation). Endpoint A is the source of the first packet seen;
 * "client" is decided from the first SMB2 message's SERVER_TO_REDIR flag (MS-SMB2 2.2.1.2), else
 * from who sent the SYN, else from the ports.
 */
export class TcpConnection implements NbssFramerOwner {
  /** Dense 1-based id, assigned when the connection yields its first SMB PDU (0 = none yet). */
  id = 0;
  /** Next connection in the same hash bucket. */
  next: TcpConnection | undefined;
  closed = false;
  nonSmb = false;
  smbSeen = false;
  lastTsMicros: number;
  readonly firstFrameNumber: number;
  /** Undefined until decided; then fixed so every PDU of the connection agrees. */
  clientIsA: boolean | undefined;
  private synFromA: boolean | undefined;

  readonly ipVersion: number;
  readonly a: readonly [number, number, number, number];
  readonly b: readonly [number, number, number, number];
  readonly aPort: number;
  readonly bPort: number;
  readonly aToB: TcpStream;
  readonly bToA: TcpStream;
  private readonly knownSmbPort: boolean;

  constructor(
    ip: IpPacketView,
    tcp: TcpSegmentView,
    readonly hash: number,
    tsMicros: number,
    frameNumber: number,
    private readonly stats: CaptureStats,
    private readonly sink: TcpConnectionSink,
    private readonly options: TcpConnectionOptions,
  ) {
    this.ipVersion = ip.version;
    this.a = [ip.src0, ip.src1, ip.src2, ip.src3];
    this.b = [ip.dst0, ip.dst1, ip.dst2, ip.dst3];
    this.aPort = tcp.srcPort;
    this.bPort = tcp.dstPort;
    this.lastTsMicros = tsMicros;
    this.firstFrameNumber = frameNumber;
    this.knownSmbPort = options.serverPorts.has(this.aPort) || options.serverPorts.has(this.bPort);
    // Streams start unsynchronised; a SYN (TcpStream.onSyn) marks the boundary.
    this.aToB = new TcpStream(
      new NbssFramer(this, true, stats, false, options.maxMessageBytes, options.neededBytes),
      stats,
      options,
    );
    this.bToA = new TcpStream(
      new NbssFramer(this, false, stats, false, options.maxMessageBytes, options.neededBytes),
      stats,
      options,
    );
    stats.connections++;
  }

  /** 1 if the packet goes A to B, 2 if B to A, 0 if it belongs to another connection. */
  matchDirection(ip: IpPacketView, tcp: TcpSegmentView): number {
    if (ip.version !== this.ipVersion) return 0;
    const a = this.a;
    const b = this.b;
    if (tcp.srcPort === this.aPort && tcp.dstPort === this.bPort && ip.src0 === a[0] && ip.dst0 === b[0]) {
      if (ip.src1 === a[1] && ip.src2 === a[2] && ip.src3 === a[3] && ip.dst1 === b[1] && ip.dst2 === b[2]) {
        if (ip.dst3 === b[3]) return 1;
      }
    }
    if (tcp.srcPort === this.bPort && tcp.dstPort === this.aPort && ip.src0 === b[0] && ip.dst0 === a[0]) {
      if (ip.src1 === b[1] && ip.src2 === b[2] && ip.src3 === b[3] && ip.dst1 === a[1] && ip.dst2 === a[2]) {
        if (ip.dst3 === a[3]) return 2;
      }
    }
    return 0;
  }

  /**
   * A bare SYN whose ISN does not continue the stream already seen in that direction starts a
   * new incarnation of the same 4-tuple (port reuse).
   */
  isNewIncarnation(fromA: boolean, tcp: TcpSegmentView): boolean {
    if ((tcp.flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
    if (this.closed) return true;
    const stream = fromA ? this.aToB : this.bToA;
    return stream.hasStarted && stream.expectedSeq !== (tcp.seq + 1) >>> 0;
  }

  onSegment(fromA: boolean, tcp: TcpSegmentView, buf: Buffer, tsMicros: number, frameNumber: number): void {
    this.lastTsMicros = tsMicros;
    if (this.closed) {
      if (tcp.payloadLength > 0) this.stats.retransmittedSegments++;
      return;
    }
    const flags = tcp.flags;
    const stream = fromA ? this.aToB : this.bToA;
    const peer = fromA ? this.bToA : this.aToB;
    if (this.nonSmb) {
      // Nothing to reassemble, but still notice the end so the table can forget the connection.
      if (flags & TcpFlag.RST) this.closed = true;
      else if (flags & TcpFlag.FIN) {
        stream.finished = true;
        if (peer.finished) this.closed = true;
      }
      return;
    }
    if (flags & TcpFlag.SYN) {
      // A bare SYN comes from the client; a SYN+ACK from the server (RFC 9293 3.5).
      if ((flags & TcpFlag.ACK) === 0) this.synFromA = fromA;
      else if (this.synFromA === undefined) this.synFromA = !fromA;
      stream.onSyn(tcp.seq);
    }
    if (flags & TcpFlag.ACK) peer.onPeerAck(tcp.ack, frameNumber);
    if (tcp.payloadLength > 0 && (flags & TcpFlag.RST) === 0) {
      const seq = flags & TcpFlag.SYN ? (tcp.seq + 1) >>> 0 : tcp.seq;
      stream.onData(seq, buf, tcp.payloadStart, tcp.payloadEnd, tcp.payloadLength, tsMicros, frameNumber);
    }
    if (flags & TcpFlag.RST) this.end(tsMicros, frameNumber);
    else if (flags & TcpFlag.FIN) {
      stream.finished = true;
      if (peer.finished) this.end(tsMicros, frameNumber);
    }
  }

  /** Closed on the wire: flushes, then tells the sink, so the end follows every PDU it carried. */
  end(tsMicros: number, frameNumber: number): void {
    if (this.closed) return;
    this.close(frameNumber);
    if (this.id !== 0) this.sink.onSmbConnectionEnd?.(this, tsMicros, frameNumber);
  }

  /** Flushes both directions (holes become gaps, half messages are dropped). */
  close(frameNumber: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.nonSmb) return;
    this.aToB.close(frameNumber);
    this.bToA.close(frameNumber);
  }

  onSmbMessage(fromA: boolean, data: Buffer, tsMicros: number, frameNumber: number): void {
    this.smbSeen = true;
    if (this.clientIsA === undefined) this.clientIsA = this.decideClient(fromA, data);
    this.sink.onSmbMessage(this, fromA === this.clientIsA, data, tsMicros, frameNumber);
  }

  keepLooking(): boolean {
    if (this.smbSeen || this.knownSmbPort) return true;
    this.markNonSmb();
    return false;
  }

  private markNonSmb(): void {
    if (this.nonSmb) return;
    this.nonSmb = true;
    this.stats.nonSmbConnections++;
    this.aToB.abandon();
    this.bToA.abandon();
  }

  private decideClient(fromA: boolean, data: Buffer): boolean {
    const response = isSmb2Response(data);
    if (response !== undefined) return fromA !== response;
    if (this.synFromA !== undefined) return this.synFromA;
    const ports = this.options.serverPorts;
    const aIsServerPort = ports.has(this.aPort);
    if (ports.has(this.bPort) !== aIsServerPort) return !aIsServerPort;
    // Neither or both well known: the client usually has the higher (ephemeral) port.
    return this.aPort >= this.bPort;
  }
}
