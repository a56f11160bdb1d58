/**
 * Recognises a request that a capture saw twice, on two TCP connections: a relay or TCP proxy
 * captured on both of its sides forwards every request unchanged (same SessionId, MessageId,
 * TreeId and body) to its other connection within moments. Compiling both copies would double
 * every op, and the copy's CLOSE would name a FileId the original CLOSE already forgot.
 *
 * Genuine multichannel binds one session to several connections (MS-SMB2 3.2.5.3.3, Session.
 * ChannelList), and each connection has its own MessageId sequence (3.2.4.1.6), so two channels may send
 * the same MessageId on the same session: those are different requests, and differ in command,
 * tree or body. Only a request equal in all of them, on another connection, within a short window,
 * is taken for a mirror. SessionId 0 (NEGOTIATE, first SESSION_SETUP) is never deduplicated: it
 * names no session, so equal requests there say nothing about a relay.
 */
import { SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import type { MessageHeader } from '../extract/message-header.js';

/** How far apart (capture time) a request and its relayed copy may be. */
export const MIRROR_WINDOW_MICROS = 2_000_000;
/** Body bytes hashed: the fixed part of every request and the start of its variable part. */
export const HASHED_BODY_BYTES = 256;
const LANE_A_SEED = 0x811c9dc5;
const LANE_B_SEED = 0x01000193;
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** One request seen: its identity (all of it compared, never just the hash) and where and when. */
interface Sighting {
  readonly sessionIdLo: number;
  readonly sessionIdHi: number;
  readonly messageIdLo: number;
  readonly messageIdHi: number;
  readonly command: number;
  readonly treeId: number;
  readonly body: number;
  /** Mix of the fields above: the bucket. */
  readonly bucket: number;
  readonly connectionId: number;
  readonly micros: number;
  /** False once a later sighting of the same identity superseded it, or it expired. */
  live: boolean;
  /** The next sighting in the same bucket. */
  next: Sighting | undefined;
}

export class MirrorFilter {
  /**
   * The latest sighting of each identity of the last window, by a numeric mix of the identity
   * (a chain per bucket): building and hashing a string key per request cost more than the rest.
   */
  private readonly latest = new Map<number, Sighting>();
  /**
   * Every sighting in arrival order, as a queue (`head` is its front). A superseded sighting stays
   * queued but is no longer live. Expiring walks this array instead of iterating a Map: deleting
   * from a Map leaves holes that every fresh iterator has to skip again, which made each request
   * cost O(window).
   */
  private queue: Sighting[] = [];
  private head = 0;

  /** True when this request repeats one seen on another connection within the window. */
  isMirror(data: Buffer, h: MessageHeader, connectionId: number, micros: number): boolean {
    if (h.sessionIdLo === 0 && h.sessionIdHi === 0) return false;
    this.expire(micros);
    const body = bodyHash(data, h);
    const bucket = mix(h, body);
    const prior = this.find(h, body, bucket);
    if (prior !== undefined && prior.connectionId !== connectionId) return true;
    if (prior !== undefined) this.unlink(prior);
    const sighting: Sighting = {
      sessionIdLo: h.sessionIdLo,
      sessionIdHi: h.sessionIdHi,
      messageIdLo: h.messageIdLo,
      messageIdHi: h.messageIdHi,
      command: h.command,
      treeId: h.treeId,
      body,
      bucket,
      connectionId,
      micros,
      live: true,
      next: this.latest.get(bucket),
    };
    this.latest.set(bucket, sighting);
    this.queue.push(sighting);
    return false;
  }

  private find(h: MessageHeader, body: number, bucket: number): Sighting | undefined {
    for (let s = this.latest.get(bucket); s !== undefined; s = s.next) {
      if (
        s.body === body &&
        s.messageIdLo === h.messageIdLo &&
        s.messageIdHi === h.messageIdHi &&
        s.sessionIdLo === h.sessionIdLo &&
        s.sessionIdHi === h.sessionIdHi &&
        s.command === h.command &&
        s.treeId === h.treeId
      )
        return s;
    }
    return undefined;
  }

  /** Takes a live sighting out of its bucket. */
  private unlink(target: Sighting): void {
    target.live = false;
    let prev: Sighting | undefined;
    for (let s = this.latest.get(target.bucket); s !== undefined; prev = s, s = s.next) {
      if (s !== target) continue;
      if (prev !== undefined) prev.next = s.next;
      else if (s.next !== undefined) this.latest.set(s.bucket, s.next);
      else this.latest.delete(s.bucket);
      break;
    }
    target.next = undefined;
  }

  /**
   * Forgets identities whose latest sighting is older than the window, oldest first, stopping at
   * the first live sighting that is still young (arrival order, as the window was always kept).
   */
  private expire(now: number): void {
    const oldest = now - MIRROR_WINDOW_MICROS;
    const queue = this.queue;
    let head = this.head;
    while (head < queue.length) {
      const s = queue[head]!;
      if (s.live && s.micros >= oldest) break;
      if (s.live) this.unlink(s);
      head++;
    }
    // Drop the consumed front now and then, so the array does not grow with the capture.
    if (head > 4096 && head * 2 > queue.length) {
      this.queue = queue.slice(head);
      head = 0;
    }
    this.head = head;
  }
}

/** A 32-bit mix of a request's identity (murmur3-style finaliser steps); only picks the bucket. */
function mix(h: MessageHeader, body: number): number {
  let x = Math.imul(h.sessionIdLo ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ h.sessionIdHi ^ (x >>> 13), 0xc2b2ae35);
  x = Math.imul(x ^ h.messageIdLo ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ h.messageIdHi ^ (x >>> 13), 0xc2b2ae35);
  x = Math.imul(x ^ (h.command | (h.treeId << 16)) ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (h.treeId >>> 16) ^ body ^ (x >>> 13), 0x27d4eb2f);
  // A small integer key keeps the Map on its fast path.
  return (x ^ (x >>> 15)) & 0x3fffffff;
}

/**
 * A 32-bit hash of the body's first bytes. A compound member is padded to 8 bytes (MS-SMB2
 * 3.2.4.1.4) and a relay may compound differently, so the last, possibly padded, 8-byte block is
 * left out: floor((n - 1) / 8) * 8 is the same for a body and its padded copy. That length is a
 * multiple of 8, so the bytes go in as two interleaved lanes of 32-bit words (murmur3-style
 * steps): byte-wise FNV-1a was one multiply per byte in a single dependency chain, the largest
 * part of this filter's cost on a real recording.
 */
function bodyHash(data: Buffer, h: MessageHeader): number {
  const start = h.start + SMB2_HEADER_SIZE;
  const length = Math.max(0, h.end - start);
  const end = start + Math.min(HASHED_BODY_BYTES, Math.floor((length - 1) / 8) * 8);
  let a = LANE_A_SEED;
  let b = LANE_B_SEED;
  for (let i = start; i < end; i += 8) {
    a = Math.imul(a ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)), C1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)), C2);
    b = (b << 13) | (b >>> 19);
  }
  a = Math.imul(a ^ (a >>> 16) ^ (end - start), 0x85ebca6b);
  return (a ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35)) >>> 0;
}
