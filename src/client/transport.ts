import { Socket, connect as netConnect } from 'node:net';
import { TransportError } from './errors.js';

/** Direct TCP transport frames each SMB2 message with a 4-byte header: 0x00 + 24-bit length (MS-SMB2 2.1). */
export const NBSS_HEADER_SIZE = 4;
/** Far above any legal SMB2 message (8 MiB max transact + headers); larger means a broken stream. */
const MAX_FRAME_SIZE = 16 * 1024 * 1024 + 1024;

export interface TransportHandlers {
  /** One complete frame payload (no NBSS header). The buffer is owned by the handler. */
  onFrame(frame: Buffer): void;
  /** Called once when the connection is gone, with the reason if it was an error. */
  onClose(error: TransportError | undefined): void;
}

export interface TransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  /** Disable Nagle: SMB is request/response, latency matters more than packet count. */
  noDelay?: boolean;
}

/**
 * A TCP connection that speaks NBSS framing. Receiving keeps incoming chunks in a list and copies
 * each frame out exactly once (no Buffer.concat per chunk); small frames fully inside one chunk are
 * sliced without copying.
 */
export class Transport {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closed = false;
  private closeError: TransportError | undefined;

  private constructor(
    socket: Socket,
    private readonly handlers: TransportHandlers,
  ) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) =>
      this.fail(new TransportError(`connection error: ${err.message}`, { cause: err })),
    );
    socket.on('close', () => this.finish());
  }

  static connect(options: TransportOptions, handlers: TransportHandlers): Promise<Transport> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: options.host, port: options.port, noDelay: options.noDelay ?? true });
      const timeoutMs = options.connectTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new TransportError(`connect to ${options.host}:${options.port} timed out after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(
          new TransportError(`cannot connect to ${options.host}:${options.port}: ${err.message}`, {
            cause: err,
          }),
        );
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new Transport(socket, handlers));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True when the kernel buffer is full; callers may wait for `drained()`. */
  private drainWaiter: Promise<void> | undefined;

  get congested(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** One shared promise for every waiter, so thousands of pipelined senders add one listener. */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.closed) return Promise.resolve();
    this.drainWaiter ??= new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        this.drainWaiter = undefined;
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
    return this.drainWaiter;
  }

  /**
   * Sends one frame: the NBSS header then the message parts. Writes are corked until the current
   * burst of callbacks and promise continuations is over (process.nextTick runs after the
   * microtask queue drains), so the dozens of requests a burst of responses triggers leave in
   * one writev system call instead of one each.
   */
  send(parts: readonly Buffer[]): void {
    const length = this.checkedLength(parts, 0);
    const header = Buffer.allocUnsafe(NBSS_HEADER_SIZE);
    header.writeUInt32BE(length, 0); // type byte 0x00 + 24-bit length
    this.corkForBurst();
    this.socket.write(header);
    for (const p of parts) this.socket.write(p);
  }

  /**
   * Like `send`, for a message whose first NBSS_HEADER_SIZE bytes are room for the header:
   * one socket write per request instead of two (each write is a stream entry, and one iovec
   * of the writev), which is most of a small request's cost on the client.
   */
  sendFramed(framed: Buffer, trailer?: Buffer): void {
    const length = this.checkedLength(trailer ? [framed, trailer] : [framed], NBSS_HEADER_SIZE);
    framed.writeUInt32BE(length, 0); // type byte 0x00 + 24-bit length
    this.corkForBurst();
    this.socket.write(framed);
    if (trailer) this.socket.write(trailer);
  }

  private checkedLength(parts: readonly Buffer[], headerRoom: number): number {
    if (this.closed) throw this.closeError ?? new TransportError('connection is closed');
    let length = -headerRoom;
    for (const p of parts) length += p.length;
    if (length > MAX_FRAME_SIZE)
      throw new TransportError(`frame of ${length} bytes exceeds the transport limit`);
    return length;
  }

  private corkForBurst(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(this.uncork);
  }

  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  close(): void {
    this.socket.end();
    this.socket.destroySoon();
  }

  destroy(error?: TransportError): void {
    if (error) this.closeError ??= error;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= NBSS_HEADER_SIZE) {
      const head = this.peekHeader();
      const type = head >>> 24;
      const length = head & 0xffffff;
      if (type !== 0x00) {
        // 0x85 keepalive carries no payload; anything else is not valid on direct TCP.
        if (type === 0x85 && length === 0) {
          this.consume(NBSS_HEADER_SIZE);
          continue;
        }
        this.fail(
          new TransportError(
            `the server's bytes are not SMB2 over TCP (NBSS message type 0x${type.toString(16)}, MS-SMB2 2.1): is this an SMB server?`,
          ),
        );
        return;
      }
      if (length > MAX_FRAME_SIZE) {
        this.fail(new TransportError(`incoming frame of ${length} bytes exceeds the transport limit`));
        return;
      }
      if (this.buffered < NBSS_HEADER_SIZE + length) return;
      this.consume(NBSS_HEADER_SIZE);
      const frame = this.take(length);
      try {
        this.handlers.onFrame(frame);
      } catch (err) {
        // A handler bug must not leave the stream half-parsed; fail the connection loudly.
        this.fail(new TransportError(`frame handler failed: ${(err as Error).message}`, { cause: err }));
        return;
      }
      if (this.closed) return;
    }
  }

  private peekHeader(): number {
    const first = this.chunks[0]!;
    if (first.length >= NBSS_HEADER_SIZE) return first.readUInt32BE(0);
    const tmp = Buffer.allocUnsafe(NBSS_HEADER_SIZE);
    let filled = 0;
    for (const c of this.chunks) {
      const n = Math.min(c.length, NBSS_HEADER_SIZE - filled);
      c.copy(tmp, filled, 0, n);
      filled += n;
      if (filled === NBSS_HEADER_SIZE) break;
    }
    return tmp.readUInt32BE(0);
  }

  private consume(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.length <= n) {
        n -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  /** Removes n bytes from the front; zero-copy when they sit in one chunk, one copy otherwise. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      this.consume(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  private fail(error: TransportError): void {
    this.closeError ??= error;
    this.socket.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    this.handlers.onClose(this.closeError);
  }
}
