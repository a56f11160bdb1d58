import type { IpPacketView } from './ip.js';
import type { TcpConnection } from './tcp-connection.js';
import type { TcpSegmentView } from './tcp-segment.js';

/** Closed connections are kept this long (capture time) to absorb late ACKs and retransmissions. */
const CLOSED_LINGER_MICROS = 120e6;
/** How often (in lookups) closed connections are purged, so the scan cost is amortised. */
const PURGE_INTERVAL = 1 << 16;

/**
 * Connections by 4-tuple without building a string key per packet: a symmetric numeric hash of
 * both endpoints picks a bucket (a chain through TcpConnection.next) and numbers are compared.
 * The last hit is cached because consecutive packets usually share a connection.
 */
export class TcpConnectionTable {
  /** Direction of the packet passed to the last successful find(): true when it goes A to B. */
  lastFromA = false;
  private readonly buckets = new Map<number, TcpConnection>();
  private last: TcpConnection | undefined;
  private lookups = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The hash of the packet's 4-tuple, equal for both directions. */
  static hashOf(ip: IpPacketView, tcp: TcpSegmentView): number {
    return (
      (endpointHash(ip.src0, ip.src1, ip.src2, ip.src3, tcp.srcPort) +
        endpointHash(ip.dst0, ip.dst1, ip.dst2, ip.dst3, tcp.dstPort)) |
      0
    );
  }

  find(ip: IpPacketView, tcp: TcpSegmentView, hash: number): TcpConnection | undefined {
    const last = this.last;
    if (last !== undefined && last.hash === hash) {
      const dir = last.matchDirection(ip, tcp);
      if (dir !== 0) {
        this.lastFromA = dir === 1;
        return last;
      }
    }
    for (let c = this.buckets.get(hash); c !== undefined; c = c.next) {
      const dir = c.matchDirection(ip, tcp);
      if (dir !== 0) {
        this.lastFromA = dir === 1;
        this.last = c;
        return c;
      }
    }
    return undefined;
  }

  insert(conn: TcpConnection): void {
    conn.next = this.buckets.get(conn.hash);
    this.buckets.set(conn.hash, conn);
    this.last = conn;
    this.count++;
  }

  remove(conn: TcpConnection): void {
    let prev: TcpConnection | undefined;
    for (let c = this.buckets.get(conn.hash); c !== undefined; prev = c, c = c.next) {
      if (c !== conn) continue;
      if (prev === undefined) {
        if (c.next === undefined) this.buckets.delete(conn.hash);
        else this.buckets.set(conn.hash, c.next);
      } else {
        prev.next = c.next;
      }
      c.next = undefined;
      this.count--;
      break;
    }
    if (this.last === conn) this.last = undefined;
  }

  /** Occasionally drops connections closed long ago (capture time), so memory follows live connections. */
  maybePurge(nowMicros: number): void {
    if (++this.lookups < PURGE_INTERVAL) return;
    this.lookups = 0;
    const stale: TcpConnection[] = [];
    this.forEach((c) => {
      if (c.closed && nowMicros - c.lastTsMicros > CLOSED_LINGER_MICROS) stale.push(c);
    });
    for (const c of stale) this.remove(c);
  }

  forEach(fn: (conn: TcpConnection) => void): void {
    for (const head of this.buckets.values()) {
      for (let c: TcpConnection | undefined = head; c !== undefined; c = c.next) fn(c);
    }
  }
}

/** A 32-bit mix of one endpoint (murmur3-style finaliser). */
function endpointHash(w0: number, w1: number, w2: number, w3: number, port: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ w2 ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ w3 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ port ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}
