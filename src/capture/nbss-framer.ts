import type { CaptureStats } from './capture-stats.js';
import {
  findPlausibleSmbFrame,
  minimumMessageLength,
  NBSS_HEADER_SIZE,
  NbssMessageType,
  protocolMarkerAt,
  RESYNC_PROBE_BYTES,
  SmbProtocolMarker,
} from './smb-detect.js';
import type { NeededBytes } from './smb-pdu.js';

/** What a framer reports to the connection that owns it. */
export interface NbssFramerOwner {
  /** One whole SMB2 message, compound chain, transform or compression frame (the NBSS payload). */
  onSmbMessage(fromA: boolean, data: Buffer, tsMicros: number, frameNumber: number): void;
  /**
   * The stream stopped looking like NBSS+SMB (or a scan found nothing for a long time). True means
   * keep scanning for the next SMB header; false means give up on this stream.
   */
  keepLooking(fromA: boolean): boolean;
}

const FramerMode = {
  /** At a message boundary: the next bytes are an NBSS header. */
  HEADER: 0,
  /** Copying a message that spans segments into its own buffer. */
  BODY: 1,
  /** Skipping a known number of bytes (NBSS control message, SMB1, or the rest of a cut message). */
  SKIP: 2,
  /** Boundary lost: scanning for a plausible NBSS+SMB header. */
  RESYNC: 3,
  /** Not SMB, or closed: ignore everything. */
  IDLE: 4,
} as const;
type FramerMode = (typeof FramerMode)[keyof typeof FramerMode];

/** Enough to judge an NBSS header plus the ProtocolId behind it. */
const HEAD_BYTES = 8;
/** Bytes kept across segments while scanning: a candidate needs RESYNC_PROBE_BYTES. */
const CARRY_BYTES = RESYNC_PROBE_BYTES - 1;
/** After this many scanned bytes with no SMB ever seen, ask the owner whether to go on. */
const GIVE_UP_SCAN_BYTES = 2 * 1024 * 1024;

/** Result of classifying an NBSS header (see classify). */
const FrameKind = {
  INVALID: 0,
  SMB: 1,
  /** Recognised but not delivered (SMB1, control messages, keepalives). */
  SKIP: 2,
  /** Too large for the configured cap: skipped and counted as loss. */
  OVERSIZE: 3,
} as const;
type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/**
 * Splits one direction of a TCP stream into NBSS messages (RFC 1002 4.3.1, MS-SMB2 2.1). A message
 * that lies inside one segment is delivered as a zero-copy view; one that spans segments is copied
 * once into a buffer sized from its header. After a gap it either skips the known rest of the cut
 * message or scans for the next plausible header.
 */
export class NbssFramer {
  /** True once a well-formed message was framed; a never-synchronised stream may not be SMB. */
  synchronized = false;

  private mode: FramerMode;
  private readonly head = Buffer.alloc(HEAD_BYTES);
  private headLen = 0;
  private headTs = 0;
  private msg: Buffer | undefined;
  private msgFilled = 0;
  /** Bytes of msg copied from the stream; the rest of the body is passed over (see NeededBytes). */
  private msgNeeded = 0;
  private msgTs = 0;
  private skipRemaining = 0;
  private skipIsLoss = false;
  /** Scanner carry: the last bytes of the previous segment, then up to as many new ones. */
  private readonly probe = Buffer.alloc(2 * CARRY_BYTES);
  private carryLen = 0;
  private carryTs = 0;
  private scanned = 0;
  private frameLen = 0;

  constructor(
    private readonly owner: NbssFramerOwner,
    private readonly fromA: boolean,
    private readonly stats: CaptureStats,
    startAtBoundary: boolean,
    private readonly maxMessageBytes: number,
    private readonly neededBytes?: NeededBytes,
  ) {
    this.mode = startAtBoundary ? FramerMode.HEADER : FramerMode.RESYNC;
  }

  get idle(): boolean {
    return this.mode === FramerMode.IDLE;
  }

  /** The stream's next byte is known to start a message (the SYN was seen, so data starts at ISN+1). */
  atBoundary(): void {
    if (this.mode === FramerMode.RESYNC && this.carryLen === 0) this.mode = FramerMode.HEADER;
  }

  /** In-order stream bytes buf[start, end) from a packet captured at tsMicros. */
  push(buf: Buffer, start: number, end: number, tsMicros: number, frameNumber: number): void {
    let p = start;
    while (p < end) {
      switch (this.mode) {
        case FramerMode.HEADER:
          p =
            this.headLen === 0 && end - p >= HEAD_BYTES
              ? this.frameInPlace(buf, p, end, tsMicros, frameNumber)
              : this.frameFromPieces(buf, p, end, tsMicros);
          break;
        case FramerMode.BODY:
          p = this.copyBody(buf, p, end, frameNumber);
          break;
        case FramerMode.SKIP: {
          const n = Math.min(end - p, this.skipRemaining);
          this.skipRemaining -= n;
          if (this.skipIsLoss) this.stats.discardedBytes += n;
          p += n;
          if (this.skipRemaining === 0) this.mode = FramerMode.HEADER;
          break;
        }
        case FramerMode.RESYNC:
          p = this.scan(buf, p, end, tsMicros, frameNumber);
          break;
        default:
          return;
      }
    }
  }

  /** `lost` stream bytes will never arrive at the current position (capture loss or snaplen). */
  gap(lost: number): void {
    switch (this.mode) {
      case FramerMode.BODY: {
        const remaining = this.msg!.length - this.msgFilled;
        this.dropPartialMessage();
        this.skipAfterGap(remaining, lost);
        break;
      }
      case FramerMode.SKIP:
        this.skipAfterGap(this.skipRemaining, lost);
        break;
      case FramerMode.HEADER:
        this.stats.discardedBytes += this.headLen;
        this.headLen = 0;
        this.enterResync();
        break;
      case FramerMode.RESYNC:
        this.stats.discardedBytes += this.carryLen;
        this.carryLen = 0;
        break;
      default:
        break;
    }
  }

  /** End of the stream (FIN, RST or end of capture): whatever is half-framed is dropped. */
  close(): void {
    if (this.mode === FramerMode.BODY) this.dropPartialMessage();
    this.stats.discardedBytes += this.headLen + this.carryLen;
    this.headLen = this.carryLen = 0;
    this.mode = FramerMode.IDLE;
  }

  /** Stop framing (the connection was judged not to be SMB). */
  stop(): void {
    this.msg = undefined;
    this.headLen = this.carryLen = 0;
    this.mode = FramerMode.IDLE;
  }

  /** Fast path: the whole 8-byte head is inside this segment. */
  private frameInPlace(buf: Buffer, p: number, end: number, ts: number, frame: number): number {
    const kind = this.classify(buf, p);
    if (kind === FrameKind.INVALID) {
      // The header at p was rejected; the scanner starts on the next byte.
      this.stats.discardedBytes += 1;
      this.desync();
      return p + 1;
    }
    const len = this.frameLen;
    const bodyStart = p + NBSS_HEADER_SIZE;
    if (kind !== FrameKind.SMB) {
      this.beginSkip(len, kind === FrameKind.OVERSIZE);
      return bodyStart;
    }
    if (end - bodyStart >= len) {
      this.deliver(buf.subarray(bodyStart, bodyStart + len), ts, frame);
      return bodyStart + len;
    }
    const have = end - bodyStart;
    const needed = this.neededBytes === undefined ? len : this.neededBytes(buf, bodyStart, have, len);
    if (needed >= len) {
      const msg = Buffer.allocUnsafe(len);
      buf.copy(msg, 0, bodyStart, end);
      this.startBody(msg, have, len, ts);
      return end;
    }
    // The consumer reads only the first `needed` bytes (e.g. a 1 MiB READ response's header): the
    // rest is neither copied nor read; Buffer.alloc zeroes it, so the message stays deterministic.
    const msg = Buffer.alloc(len);
    buf.copy(msg, 0, bodyStart, bodyStart + Math.min(have, needed));
    this.startBody(msg, have, Math.max(needed, 0), ts);
    return end;
  }

  /** Slow path: the head straddles segments, so collect it in a small buffer first. */
  private frameFromPieces(buf: Buffer, p: number, end: number, ts: number): number {
    if (this.headLen === 0) this.headTs = ts;
    const first = this.headLen > 0 ? this.head[0]! : buf[p]!;
    // Only a session message needs the ProtocolId behind the header to be judged.
    const want = first === NbssMessageType.SESSION_MESSAGE ? HEAD_BYTES : NBSS_HEADER_SIZE;
    const n = Math.min(want - this.headLen, end - p);
    buf.copy(this.head, this.headLen, p, p + n);
    this.headLen += n;
    p += n;
    if (this.headLen < want) return p;
    const have = this.headLen;
    this.headLen = 0;
    const kind = this.classify(this.head, 0);
    if (kind === FrameKind.INVALID) {
      // A real header may begin inside the rejected bytes: let the scanner look at them.
      this.stats.discardedBytes += 1;
      this.desync();
      if (this.mode === FramerMode.RESYNC) {
        this.head.copy(this.probe, 0, 1, have);
        this.carryLen = have - 1;
        this.carryTs = this.headTs;
      }
      return p;
    }
    const bodyHave = have - NBSS_HEADER_SIZE;
    if (kind !== FrameKind.SMB) {
      this.beginSkip(this.frameLen - bodyHave, kind === FrameKind.OVERSIZE);
      return p;
    }
    const msg = Buffer.allocUnsafe(this.frameLen);
    this.head.copy(msg, 0, NBSS_HEADER_SIZE, have);
    this.startBody(msg, bodyHave, this.frameLen, this.headTs);
    return p;
  }

  /**
   * Judges the NBSS header at h[o] (and the ProtocolId behind a session message); sets frameLen.
   * Keepalives and session control messages are valid framing but carry no SMB.
   */
  private classify(h: Buffer, o: number): FrameKind {
    const type = h[o]!;
    const len = (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!;
    this.frameLen = len;
    if (type === NbssMessageType.SESSION_MESSAGE) {
      const marker = protocolMarkerAt(h, o + NBSS_HEADER_SIZE);
      if (marker < 0 || len < minimumMessageLength(marker)) return FrameKind.INVALID;
      this.synchronized = true;
      if (marker === SmbProtocolMarker.SMB1) {
        this.stats.smb1Messages++;
        return FrameKind.SKIP;
      }
      if (len > this.maxMessageBytes) {
        this.stats.reassemblyOverflows++;
        this.stats.droppedMessages++;
        return FrameKind.OVERSIZE;
      }
      return FrameKind.SMB;
    }
    if (type === NbssMessageType.SESSION_KEEP_ALIVE) {
      this.stats.nbssKeepalives++;
      return FrameKind.SKIP;
    }
    if (type >= NbssMessageType.SESSION_REQUEST && type <= NbssMessageType.RETARGET_SESSION_RESPONSE) {
      this.stats.nbssControlMessages++;
      return FrameKind.SKIP;
    }
    return FrameKind.INVALID;
  }

  private startBody(msg: Buffer, filled: number, needed: number, ts: number): void {
    this.msg = msg;
    this.msgFilled = filled;
    this.msgNeeded = needed;
    this.msgTs = ts;
    this.mode = FramerMode.BODY;
  }

  private copyBody(buf: Buffer, p: number, end: number, frame: number): number {
    const msg = this.msg!;
    const n = Math.min(end - p, msg.length - this.msgFilled);
    const copied = Math.min(n, this.msgNeeded - this.msgFilled);
    if (copied > 0) buf.copy(msg, this.msgFilled, p, p + copied);
    this.msgFilled += n;
    if (this.msgFilled === msg.length) {
      this.msg = undefined;
      this.mode = FramerMode.HEADER;
      this.deliver(msg, this.msgTs, frame);
    }
    return p + n;
  }

  private beginSkip(n: number, isLoss: boolean): void {
    this.skipRemaining = n;
    this.skipIsLoss = isLoss;
    this.mode = n > 0 ? FramerMode.SKIP : FramerMode.HEADER;
  }

  /** A gap of `lost` bytes hit a region of known length `remaining`: maybe the next boundary is still known. */
  private skipAfterGap(remaining: number, lost: number): void {
    if (lost < remaining) this.beginSkip(remaining - lost, true);
    else if (lost === remaining) this.mode = FramerMode.HEADER;
    else this.enterResync();
  }

  private dropPartialMessage(): void {
    this.stats.discardedBytes += this.msgFilled + NBSS_HEADER_SIZE;
    this.stats.droppedMessages++;
    this.msg = undefined;
    this.msgFilled = 0;
  }

  private deliver(data: Buffer, ts: number, frame: number): void {
    this.owner.onSmbMessage(this.fromA, data, ts, frame);
  }

  private desync(): void {
    if (this.owner.keepLooking(this.fromA)) this.enterResync();
    else this.stop();
  }

  private enterResync(): void {
    this.mode = FramerMode.RESYNC;
    this.carryLen = 0;
    this.scanned = 0;
  }

  private resynced(): void {
    this.stats.resyncs++;
    this.mode = FramerMode.HEADER;
    this.scanned = 0;
  }

  /** RESYNC: look for a plausible header, first across the previous segment's tail, then inside this one. */
  private scan(buf: Buffer, p: number, end: number, ts: number, frame: number): number {
    const stats = this.stats;
    if (this.carryLen > 0) {
      const carried = this.carryLen;
      const take = Math.min(end - p, this.probe.length - carried);
      buf.copy(this.probe, carried, p, p + take);
      const windowLen = carried + take;
      const h = findPlausibleSmbFrame(this.probe, 0, windowLen);
      if (h >= 0 && h < carried) {
        stats.discardedBytes += h;
        this.carryLen = 0;
        this.resynced();
        // Replay the carried head of the message, then continue with this segment.
        this.push(this.probe, h, carried, this.carryTs, frame);
        return p;
      }
      if (h < 0 && take === end - p && windowLen < this.probe.length) {
        // A tiny segment: everything is still in the window; keep its tail as the new carry.
        const keep = Math.min(windowLen, CARRY_BYTES);
        stats.discardedBytes += windowLen - keep;
        this.probe.copyWithin(0, windowLen - keep, windowLen);
        this.carryLen = keep;
        return end;
      }
      stats.discardedBytes += carried;
      this.carryLen = 0;
    }
    const h = findPlausibleSmbFrame(buf, p, end);
    if (h >= 0) {
      stats.discardedBytes += h - p;
      this.resynced();
      return h;
    }
    const keep = Math.min(end - p, CARRY_BYTES);
    stats.discardedBytes += end - p - keep;
    buf.copy(this.probe, 0, end - keep, end);
    this.carryLen = keep;
    this.carryTs = ts;
    this.scanned += end - p;
    if (this.scanned > GIVE_UP_SCAN_BYTES && !this.synchronized) {
      this.scanned = 0;
      if (!this.owner.keepLooking(this.fromA)) {
        stats.discardedBytes += this.carryLen;
        this.stop();
      }
    }
    return end;
  }
}
