/**
 * "Is smbd really serving?" A listening socket is not enough (a stale process or another program may
 * own the port), so the lab sends one SMB2 NEGOTIATE and waits for an SMB2 header back. This is a
 * deliberately tiny, self-contained encoder: the lab must work even while the client is broken.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { ByteWriter } from '../bytes/byte-writer.js';
import { ByteReader } from '../bytes/byte-reader.js';
import {
  ALL_DIALECTS,
  Command,
  SMB2_HEADER_SIZE,
  SMB2_PROTOCOL_ID,
  SecurityMode,
} from '../smb2/constants.js';

/** MS-SMB2 2.2.3.1: SMB2_PREAUTH_INTEGRITY_CAPABILITIES, required when offering 3.1.1. */
const SMB2_PREAUTH_INTEGRITY_CAPABILITIES = 0x0001;
/** MS-SMB2 2.2.3.1.1 */
const SHA_512 = 0x0001;
const SALT_LENGTH = 32;
/** Fixed part of the NEGOTIATE request, MS-SMB2 2.2.3. */
const NEGOTIATE_STRUCTURE_SIZE = 36;

export interface ProbeResult {
  /** NT status of the NEGOTIATE response (0 = STATUS_SUCCESS). */
  readonly status: number;
  /** DialectRevision chosen by the server (0 when the response is an error). */
  readonly dialect: number;
  /** SecurityMode of the response: tells whether the server requires signing. */
  readonly securityMode: number;
}

/** Builds NBSS length prefix + SMB2 header + NEGOTIATE offering every dialect 2.0.2..3.1.1. */
export function buildNegotiateProbe(): Buffer {
  const dialectsEnd = SMB2_HEADER_SIZE + NEGOTIATE_STRUCTURE_SIZE + ALL_DIALECTS.length * 2;
  // Negotiate contexts start 8-byte aligned from the SMB2 header (MS-SMB2 2.2.3).
  const contextOffset = (dialectsEnd + 7) & ~7;
  // HashAlgorithmCount, SaltLength, one HashAlgorithm, Salt (MS-SMB2 2.2.3.1.1).
  const preauthDataLength = 2 + 2 + 2 + SALT_LENGTH;
  const contextLength = 8 + preauthDataLength;
  const smbLength = contextOffset + contextLength;
  const buf = Buffer.alloc(4 + smbLength);
  const w = new ByteWriter(buf);
  // RFC 1002 session message: type 0, 24-bit length (MS-SMB2 2.1 Direct TCP transport).
  w.u32be(smbLength);
  // SMB2 sync header, MS-SMB2 2.2.1.2.
  w.u32(SMB2_PROTOCOL_ID).u16(SMB2_HEADER_SIZE).u16(0).u32(0).u16(Command.NEGOTIATE).u16(1);
  w.u32(0).u32(0).u64(0n).u32(0).u32(0).u64(0n).zeros(16);
  // NEGOTIATE request body.
  w.u16(NEGOTIATE_STRUCTURE_SIZE).u16(ALL_DIALECTS.length).u16(SecurityMode.SMB2_NEGOTIATE_SIGNING_ENABLED);
  w.u16(0).u32(0).bytes(randomBytes(16)).u32(contextOffset).u16(1).u16(0);
  for (const dialect of ALL_DIALECTS) w.u16(dialect);
  w.zeros(contextOffset - dialectsEnd);
  w.u16(SMB2_PREAUTH_INTEGRITY_CAPABILITIES).u16(preauthDataLength).u32(0);
  w.u16(1).u16(SALT_LENGTH).u16(SHA_512).bytes(randomBytes(SALT_LENGTH));
  return buf;
}

/** Parses the first NBSS frame of a NEGOTIATE response, or returns undefined if it is not SMB2. */
export function parseNegotiateProbeResponse(frame: Buffer): ProbeResult | undefined {
  if (frame.length < 4 + SMB2_HEADER_SIZE) return undefined;
  const r = new ByteReader(frame);
  r.skip(4);
  if (r.u32() !== SMB2_PROTOCOL_ID) return undefined;
  r.seek(4 + 8);
  const status = r.u32();
  if (r.u16() !== Command.NEGOTIATE) return undefined;
  r.seek(4 + SMB2_HEADER_SIZE);
  if (status !== 0 || r.remaining < 6) return { status, dialect: 0, securityMode: 0 };
  r.skip(2);
  const securityMode = r.u16();
  const dialect = r.u16();
  return { status, dialect, securityMode };
}

/**
 * Connects, negotiates, disconnects. Resolves undefined on refusal, reset, a non-SMB2 answer or
 * timeout, so callers can poll it.
 */
export function probeSmb2(host: string, port: number, timeoutMs = 2000): Promise<ProbeResult | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (result: ProbeResult | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.once('connect', () => socket.write(buildNegotiateProbe()));
    socket.on('data', (chunk: Buffer) => {
      // One small response, once per probe: concatenation is fine here.
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const frameLength = 4 + (received.readUInt32BE(0) & 0xffffff);
      if (received.length >= frameLength) finish(safeParse(received.subarray(0, frameLength)));
    });
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
  });
}

function safeParse(frame: Buffer): ProbeResult | undefined {
  try {
    return parseNegotiateProbeResponse(frame);
  } catch {
    return undefined;
  }
}
