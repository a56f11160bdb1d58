import { connect, type Socket } from 'node:net';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';

/**
 * Talks to a KDC over TCP (RFC 4120 7.2.2): each message is preceded by its length as 4 bytes in
 * network order, one request per connection. TCP avoids KRB_ERR_RESPONSE_TOO_BIG, which tickets
 * with a PAC routinely trigger over UDP. Every exchange has a deadline; a failed attempt moves on
 * to the next configured KDC.
 */

export interface KdcEndpoint {
  readonly host: string;
  readonly port: number;
}

export interface KdcTransport {
  /** Sends one KDC-REQ and resolves with the raw reply (a KDC-REP or KRB-ERROR). */
  send(request: Buffer): Promise<Buffer>;
  /** For messages: the KDC(s) this transport talks to. */
  readonly description: string;
}

export interface TcpKdcTransportOptions {
  /** Per-attempt deadline covering connect, send and reply; default 10 s. */
  readonly timeoutMs?: number;
  /** Rounds over the KDC list before giving up; default 2. */
  readonly rounds?: number;
}

/** RFC 4120 7.2.2: the high bit of the length is reserved; no sane reply approaches 16 MiB. */
const MAX_REPLY = 16 * 1024 * 1024;

export const DEFAULT_KDC_PORT = 88;

/** Parses `host`, `host:port` or `[v6]:port` into an endpoint. */
export function parseKdcEndpoint(spec: string): KdcEndpoint {
  const s = spec.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : DEFAULT_KDC_PORT };
  const parts = s.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return { host: parts[0]!, port: Number(parts[1]) };
  if (!s) throw new SmbBenchError(ErrorCode.USAGE, 'empty KDC address');
  return { host: s, port: DEFAULT_KDC_PORT };
}

function exchangeOnce(endpoint: KdcEndpoint, request: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let expected = -1;
    let settled = false;
    const socket: Socket = connect({ host: endpoint.host, port: endpoint.port });
    const finish = (err: Error | undefined, reply?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(request.length);
      // write, not end: some KDCs drop a half-closed connection before replying.
      socket.write(Buffer.concat([prefix, request]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (expected < 0 && received >= 4) {
        const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        expected = head.readUInt32BE(0);
        if (expected & 0x80000000 || expected > MAX_REPLY) {
          finish(new Error(`reply length 0x${expected.toString(16)} is not acceptable`));
          return;
        }
      }
      if (expected >= 0 && received >= expected + 4) {
        finish(undefined, Buffer.concat(chunks).subarray(4, 4 + expected));
      }
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error('connection closed before a complete reply')));
  });
}

/** A transport that tries each KDC in turn, for `rounds` rounds. */
export function createTcpKdcTransport(
  endpoints: readonly KdcEndpoint[],
  options: TcpKdcTransportOptions = {},
): KdcTransport {
  if (endpoints.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'no KDC configured');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rounds = Math.max(1, options.rounds ?? 2);
  const description = endpoints.map((e) => `${e.host}:${e.port}`).join(', ');
  return {
    description,
    async send(request: Buffer): Promise<Buffer> {
      const failures: string[] = [];
      let lastError: unknown;
      for (let round = 0; round < rounds; round++) {
        for (const endpoint of endpoints) {
          try {
            return await exchangeOnce(endpoint, request, timeoutMs);
          } catch (err) {
            lastError = err;
            failures.push(`${endpoint.host}:${endpoint.port}: ${(err as Error).message}`);
          }
        }
      }
      throw new SmbBenchError(ErrorCode.AUTH, `KDC unreachable (${failures.join('; ')})`, {
        cause: lastError,
      });
    },
  };
}
