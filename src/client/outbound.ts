import { signMessage } from '../crypto/signing.js';
import { encryptMessage } from '../crypto/encryption.js';
import type { CommandCodec } from '../smb2/command-codec.js';
import { HeaderFlags, SMB2_HEADER_SIZE } from '../smb2/constants.js';
import { encodeHeader, newHeader } from '../smb2/header.js';
import { alignUp } from '../bytes/byte-writer.js';
import type { SessionSecurity } from './session-security.js';
import { NBSS_HEADER_SIZE } from './transport.js';

/** One request of a (possibly single-element) chain, with everything the header needs. */
export interface OutboundMessage {
  codec: CommandCodec<unknown, unknown>;
  request: unknown;
  messageId: bigint;
  creditCharge: number;
  creditRequest: number;
  treeId: number;
  sessionId: bigint;
  flags: number;
  channelSequence?: number;
}

export interface EncodedChain {
  /** The plaintext chain; message i lives at offsets[i]. */
  plain: Buffer;
  /**
   * `plain` with NBSS_HEADER_SIZE bytes of room in front of it (same memory), so a plaintext
   * chain leaves as one socket write without a separate 4-byte header buffer (transport.ts).
   */
  framed?: Buffer;
  offsets: number[];
  /** Bulk bytes sent after `plain` from the caller's buffer (zero-copy WRITE); never signed. */
  trailer?: Buffer;
}

/** Below this a copy costs less than the extra writev entry. */
const ZERO_COPY_MIN_BYTES = 16 * 1024;

/**
 * Encodes a chain of requests into one buffer: each message starts 8-byte aligned and carries the
 * distance to the next in NextCommand (MS-SMB2 3.2.4.1.4). One allocation for the whole chain.
 */
export function encodeChain(messages: readonly OutboundMessage[], allowZeroCopy = false): EncodedChain {
  const sizes = messages.map((m) => SMB2_HEADER_SIZE + m.codec.requestSize(m.request));
  let trailer: Buffer | undefined;
  if (allowZeroCopy && messages.length === 1) {
    const only = messages[0]!;
    const bulk = only.codec.trailer?.(only.request);
    if (bulk && bulk.length >= ZERO_COPY_MIN_BYTES) {
      trailer = bulk;
      sizes[0] = sizes[0]! - bulk.length;
    }
  }
  const offsets: number[] = [];
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    offsets.push(total);
    total += i === sizes.length - 1 ? sizes[i]! : alignUp(sizes[i]!, 8);
  }
  const framed = Buffer.alloc(NBSS_HEADER_SIZE + total);
  const plain = framed.subarray(NBSS_HEADER_SIZE);
  messages.forEach((m, i) => {
    const start = offsets[i]!;
    const isLast = i === messages.length - 1;
    const h = newHeader(m.codec.command);
    h.creditCharge = m.creditCharge;
    h.credits = m.creditRequest;
    h.flags = m.flags;
    h.status = m.channelSequence ?? 0;
    h.messageId = m.messageId;
    h.treeId = m.treeId;
    h.sessionId = m.sessionId;
    h.nextCommand = isLast ? 0 : offsets[i + 1]! - start;
    const msg = plain.subarray(start, start + sizes[i]!);
    encodeHeader(h, msg);
    m.codec.encodeRequest(m.request, msg);
  });
  return trailer ? { plain, framed, offsets, trailer } : { plain, framed, offsets };
}

/**
 * Signs each message of the chain over its padded extent (header through NextCommand), as
 * MS-SMB2 3.2.4.1.1 requires for compounded requests.
 */
export function signChain(chain: EncodedChain, security: SessionSecurity): void {
  const key = security.signingKey;
  if (!key) return;
  const { plain, offsets } = chain;
  for (let i = 0; i < offsets.length; i++) {
    const start = offsets[i]!;
    const end = i + 1 < offsets.length ? offsets[i + 1]! : plain.length;
    const flags = plain.readUInt32LE(start + 16);
    plain.writeUInt32LE((flags | HeaderFlags.SMB2_FLAGS_SIGNED) >>> 0, start + 16);
    signMessage(security.signingAlgorithm, key, plain.subarray(start, end));
  }
}

/** Wraps the whole chain in one TRANSFORM_HEADER message (MS-SMB2 3.2.4.1.8). */
export function encryptChain(chain: EncodedChain, security: SessionSecurity, cipherId: number): Buffer {
  const key = security.encryptionKey;
  if (!key) throw new Error('session has no encryption key');
  return encryptMessage(cipherId, key, security.sessionId, chain.plain);
}
