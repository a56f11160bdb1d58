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
const HASHED_BODY_BYTES = 256;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

interface Sighting {
  readonly key: string;
  readonly connectionId: number;
  readonly micros: number;
}

export class MirrorFilter {
  /** The latest sighting of each request identity of the last window. */
  private readonly latest = new Map<string, Sighting>();
  /**
   * Every sighting in arrival order, as a queue (`head` is its front). A sighting superseded by a
   * later one of the same identity stays queued but is stale (`latest` no longer points at it).
   * Expiring walks this array instead of iterating the Map: deleting from a Map leaves holes that
   * every fresh iterator has to skip again, which made each request cost O(window).
   */
  private queue: Sighting[] = [];
  private head = 0;

  /** True when this request repeats one seen on another connection within the window. */
  isMirror(data: Buffer, h: MessageHeader, connectionId: number, micros: number): boolean {
    if (h.sessionIdLo === 0 && h.sessionIdHi === 0) return false;
    this.expire(micros);
    const key = identity(data, h);
    const prior = this.latest.get(key);
    if (prior !== undefined && prior.connectionId !== connectionId) return true;
    const sighting: Sighting = { key, connectionId, micros };
    this.latest.set(key, sighting);
    this.queue.push(sighting);
    return false;
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
      const live = this.latest.get(s.key) === s;
      if (live && s.micros >= oldest) break;
      if (live) this.latest.delete(s.key);
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

function identity(data: Buffer, h: MessageHeader): string {
  return (
    `${h.sessionIdLo}.${h.sessionIdHi}.${h.messageIdLo}.${h.messageIdHi}.${h.command}.${h.treeId}.` +
    bodyHash(data, h).toString(36)
  );
}

/**
 * FNV-1a over the body's first bytes. A compound member is padded to 8 bytes (MS-SMB2 3.2.4.1.4)
 * and a relay may compound differently, so the last, possibly padded, 8-byte block is left out:
 * floor((n - 1) / 8) * 8 is the same for a body and its padded copy.
 */
function bodyHash(data: Buffer, h: MessageHeader): number {
  const start = h.start + SMB2_HEADER_SIZE;
  const length = Math.max(0, h.end - start);
  const hashed = Math.min(HASHED_BODY_BYTES, Math.floor((length - 1) / 8) * 8);
  let hash = FNV_OFFSET;
  for (let i = 0; i < hashed; i++) hash = Math.imul(hash ^ data[start + i]!, FNV_PRIME);
  return hash >>> 0;
}
