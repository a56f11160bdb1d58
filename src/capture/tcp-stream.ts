import type { CaptureStats } from './capture-stats.js';
import type { NbssFramer } from './nbss-framer.js';

/** A segment that arrived ahead of a hole, copied out of the read chunk. */
interface PendingSegment {
  seq: number;
  data: Buffer;
  /** Length in sequence space; more than data.length if the snaplen cut the packet. */
  wireLen: number;
  tsMicros: number;
}

export interface TcpStreamLimits {
  /** Bytes buffered ahead of a hole before the hole is declared lost. */
  maxPendingBytes: number;
  /** Segments buffered ahead of a hole before the hole is declared lost. */
  maxPendingSegments: number;
}

/**
 * One direction of a TCP connection (RFC 9293 3.4 sequence space), reassembled into an in-order
 * byte stream for its NbssFramer. Retransmitted bytes are dropped by sequence number, segments
 * after a hole wait (bounded) until the hole is filled, and a hole that can no longer be filled
 * (the peer acknowledged past it, the buffer is full, or the stream ended) becomes a counted gap.
 */
export class TcpStream {
  /** A FIN was seen in this direction. */
  finished = false;
  private started = false;
  private nextSeq = 0;
  private pending: PendingSegment[] = [];
  private pendingBytes = 0;

  constructor(
    readonly framer: NbssFramer,
    private readonly stats: CaptureStats,
    private readonly limits: TcpStreamLimits,
  ) {}

  /** True once the stream knows where its bytes start (SYN or first data segment). */
  get hasStarted(): boolean {
    return this.started;
  }

  /** Next expected sequence number (valid once started). */
  get expectedSeq(): number {
    return this.nextSeq;
  }

  /** SYN: data starts at ISN + 1 (RFC 9293 3.4.1). */
  onSyn(isn: number): void {
    if (this.started) return;
    this.nextSeq = (isn + 1) >>> 0;
    this.started = true;
    this.framer.atBoundary();
  }

  /**
   * Payload bytes for sequence numbers [seq, seq + wireLen); only buf[start, capEnd) were captured.
   */
  onData(
    seq: number,
    buf: Buffer,
    start: number,
    capEnd: number,
    wireLen: number,
    ts: number,
    frame: number,
  ): void {
    if (!this.started) {
      // No SYN seen (capture started mid-connection): this segment defines the stream start.
      this.nextSeq = seq;
      this.started = true;
    }
    const d = (seq - this.nextSeq) | 0;
    if (d === 0) {
      this.deliver(seq, buf, start, capEnd, wireLen, 0, ts, frame);
      if (this.pending.length > 0) this.drain(frame);
      return;
    }
    if (d < 0) {
      // Everything before nextSeq was already delivered: a retransmission, maybe with new bytes at the end.
      this.stats.retransmittedSegments++;
      if (d + wireLen > 0) {
        this.deliver(seq, buf, start, capEnd, wireLen, -d, ts, frame);
        if (this.pending.length > 0) this.drain(frame);
      }
      return;
    }
    this.stats.outOfOrderSegments++;
    this.addPending(seq, buf, start, capEnd, wireLen, ts);
    if (
      this.pendingBytes > this.limits.maxPendingBytes ||
      this.pending.length > this.limits.maxPendingSegments
    ) {
      this.stats.reassemblyOverflows++;
      this.skipToFirstPending(frame);
    }
  }

  /**
   * The other direction acknowledged `ack`: if that covers bytes buffered after a hole, the peer
   * received the missing bytes, so they will never be retransmitted and the capture lost them.
   */
  onPeerAck(ack: number, frame: number): void {
    for (
      let first = this.pending[0];
      first !== undefined && ((ack - first.seq) | 0) >= 0;
      first = this.pending[0]
    ) {
      this.skipToFirstPending(frame);
    }
  }

  /** End of stream: remaining holes are lost, a half-framed message is dropped. */
  close(frame: number): void {
    while (this.pending.length > 0) this.skipToFirstPending(frame);
    this.framer.close();
  }

  /** Forget everything buffered and stop framing (the connection is not SMB). */
  abandon(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.framer.stop();
  }

  private deliver(
    seq: number,
    buf: Buffer,
    start: number,
    capEnd: number,
    wireLen: number,
    skip: number,
    ts: number,
    frame: number,
  ): void {
    const captured = capEnd - start;
    this.nextSeq = (seq + wireLen) >>> 0;
    if (skip < captured) this.framer.push(buf, start + skip, capEnd, ts, frame);
    const uncaptured = wireLen - Math.max(captured, skip);
    if (uncaptured > 0) {
      // The snaplen cut this segment: the tail is a hole in the stream.
      this.stats.lostBytes += uncaptured;
      this.stats.gaps++;
      this.framer.gap(uncaptured);
    }
  }

  private addPending(
    seq: number,
    buf: Buffer,
    start: number,
    capEnd: number,
    wireLen: number,
    ts: number,
  ): void {
    const rel = (seq - this.nextSeq) | 0;
    const pending = this.pending;
    // Most out-of-order segments arrive in increasing order: search from the end.
    let i = pending.length;
    while (i > 0 && ((pending[i - 1]!.seq - this.nextSeq) | 0) > rel) i--;
    const prev = pending[i - 1];
    if (prev !== undefined && prev.seq === seq) {
      this.stats.retransmittedSegments++;
      if (prev.wireLen >= wireLen) return;
      this.pendingBytes -= prev.data.length;
      pending.splice(i - 1, 1);
      i--;
    }
    const data = Buffer.allocUnsafe(capEnd - start);
    buf.copy(data, 0, start, capEnd);
    pending.splice(i, 0, { seq, data, wireLen, tsMicros: ts });
    this.pendingBytes += data.length;
  }

  /** Delivers buffered segments that now start at or before nextSeq. */
  private drain(frame: number): void {
    // Re-read this.pending each time: delivering can abandon the stream (not SMB) and reset it.
    while (this.pending.length > 0) {
      const s = this.pending[0]!;
      const d = (s.seq - this.nextSeq) | 0;
      if (d > 0) return;
      this.pending.shift();
      this.pendingBytes -= s.data.length;
      if (d + s.wireLen > 0) this.deliver(s.seq, s.data, 0, s.data.length, s.wireLen, -d, s.tsMicros, frame);
    }
  }

  /** Declares the hole before the first buffered segment lost and carries on from there. */
  private skipToFirstPending(frame: number): void {
    const first = this.pending[0];
    if (first === undefined) return;
    const hole = (first.seq - this.nextSeq) | 0;
    if (hole > 0) {
      this.stats.lostBytes += hole;
      this.stats.gaps++;
      this.framer.gap(hole);
      this.nextSeq = first.seq;
    }
    this.drain(frame);
  }
}
