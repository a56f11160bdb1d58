/**
 * A small fault-injecting TCP proxy on 127.0.0.1 for the fault tests (the kernel here has no
 * netem). It forwards client <-> server bytes and counts the NBSS-framed PDUs (MS-SMB2 2.1: a
 * 4-byte header, 0x00 + 24-bit length) the server sends, so a fault can be aimed at "connection
 * k, after the server answered n PDUs" and a test can wait for a point of the run.
 *
 * Faults on a proxied connection: reset (RST both ways), stall (stop forwarding, keep the sockets
 * open), slow (delay every chunk), cut (forward only the first half of the next server PDU, then
 * close), corrupt (from then on, every byte from the server replaced by a random one). Faults that replace the server: garbage (answer every client chunk with random bytes),
 * silent (accept and never answer), close (accept and close at once).
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';

export const Fault = {
  RESET: 'reset',
  STALL: 'stall',
  SLOW: 'slow',
  CUT: 'cut mid-PDU',
  CORRUPT: 'corrupted',
  GARBAGE: 'garbage',
  SILENT: 'accept, never answer',
  CLOSE: 'close at once',
} as const;
export type Fault = (typeof Fault)[keyof typeof Fault];

/** Faults that stand in for the server: the connection never reaches it. */
const REPLACES_SERVER = new Set<Fault>([Fault.GARBAGE, Fault.SILENT, Fault.CLOSE]);

export interface FaultPlan {
  readonly fault: Fault;
  /**
   * Proxied faults start at the first PDU boundary where the server has sent at least this many
   * PDUs on the connection (checked after each forwarded PDU, so 0 means after the first).
   */
  readonly afterServerPdus?: number;
  /** SLOW: delay per forwarded chunk, ms (default 20). */
  readonly delayMs?: number;
}

export interface ProxyUpstream {
  readonly host: string;
  readonly port: number;
}

/** Which fault (if any) connection number `index` (0-based, in accept order) gets. */
export type FaultSchedule = (index: number) => FaultPlan | undefined;

/** Follows the NBSS frames of one direction of a byte stream. */
class FrameTracker {
  /** Frames completed so far. */
  pdus = 0;
  private inBody = false;
  /** Body bytes of the current frame still to come. */
  private remaining = 0;
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;

  /**
   * Consumes the bytes of `chunk` from `off` up to the end of the current frame (or of the
   * chunk) and returns how many it consumed; `pdus` grows when a frame is complete.
   */
  step(chunk: Buffer, off: number): number {
    let pos = off;
    if (!this.inBody) {
      const n = Math.min(4 - this.headerFill, chunk.length - pos);
      chunk.copy(this.header, this.headerFill, pos, pos + n);
      this.headerFill += n;
      pos += n;
      if (this.headerFill < 4) return pos - off;
      this.headerFill = 0;
      this.remaining = this.header.readUInt32BE(0) & 0xffffff;
      this.inBody = true;
    }
    const n = Math.min(this.remaining, chunk.length - pos);
    this.remaining -= n;
    pos += n;
    if (this.remaining === 0) {
      this.inBody = false;
      this.pdus++;
    }
    return pos - off;
  }

  /** True between two frames. */
  get atBoundary(): boolean {
    return !this.inBody && this.headerFill === 0;
  }
}

interface Waiter {
  readonly pdus: number;
  readonly resolve: () => void;
}

export class FaultProxy {
  /** Connections accepted so far. */
  accepted = 0;
  /** Faults actually injected (a planned fault on a connection that ended first does not count). */
  readonly injected: Fault[] = [];
  /** PDUs the server sent, over all connections. */
  serverPdus = 0;
  private readonly sockets = new Set<Socket>();
  private readonly upstreams = new Set<Socket>();
  private waiters: Waiter[] = [];
  /** holdAtServerPdus: where to hold, whom to tell, and the server bytes held meanwhile. */
  private hold: { readonly at: number; readonly onHeld: () => void } | undefined;
  private holding = false;
  private held: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  readonly host = '127.0.0.1';

  static async start(
    upstream: ProxyUpstream,
    schedule: FaultSchedule = () => undefined,
  ): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    const proxy = new FaultProxy(server, address.port);
    server.on('connection', (client) => proxy.accept(client, upstream, schedule(proxy.accepted++)));
    return proxy;
  }

  /** Resolves once the server has sent `pdus` PDUs through the proxy (all connections). */
  whenServerPdus(pdus: number): Promise<void> {
    if (this.serverPdus >= pdus) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pdus, resolve }));
  }

  /**
   * Stops passing the server's bytes to the clients once it has sent `pdus` PDUs (at a PDU
   * boundary), so a test can act on the server at an exact point of the run. Resolves, once
   * holding, with the function that lets the held bytes and everything after flow again.
   */
  holdAtServerPdus(pdus: number): Promise<() => void> {
    return new Promise((resolve) => {
      const release = (): void => {
        this.holding = false;
        const held = this.held;
        this.held = [];
        for (const forward of held) forward();
      };
      this.hold = { at: pdus, onHeld: () => resolve(release) };
    });
  }

  /** Local ports of the proxy's live connections to the server (to find the smbd serving each). */
  get upstreamPorts(): number[] {
    return [...this.upstreams].flatMap((s) => (s.localPort === undefined ? [] : [s.localPort]));
  }

  /** Stops accepting and destroys every open socket. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // Resets and cuts are the point here; an error only ends the connection.
    socket.on('error', () => socket.destroy());
    return socket;
  }

  private accept(client: Socket, upstream: ProxyUpstream, plan: FaultPlan | undefined): void {
    this.track(client);
    if (plan && REPLACES_SERVER.has(plan.fault)) return this.impersonate(client, plan.fault);
    const server = this.track(connect({ host: upstream.host, port: upstream.port }));
    this.upstreams.add(server);
    server.on('close', () => this.upstreams.delete(server));
    const fromServer = new FrameTracker();
    let state: 'forward' | 'stalled' | 'cutting' | 'corrupting' | 'done' = 'forward';
    const armed = plan !== undefined && plan.fault !== Fault.SLOW;
    const delayMs = plan?.fault === Fault.SLOW ? (plan.delayMs ?? 20) : 0;
    if (plan?.fault === Fault.SLOW) this.injected.push(Fault.SLOW);
    const end = (): void => {
      state = 'done';
      client.destroy();
      server.destroy();
    };
    client.on('close', end);
    server.on('close', end);

    const trigger = (): boolean => {
      if (!armed || state !== 'forward' || fromServer.pdus < (plan.afterServerPdus ?? 0)) return false;
      this.injected.push(plan.fault);
      if (plan.fault === Fault.RESET) {
        state = 'done';
        client.resetAndDestroy();
        server.resetAndDestroy();
      } else if (plan.fault === Fault.STALL) {
        state = 'stalled';
      } else if (plan.fault === Fault.CORRUPT) {
        state = 'corrupting';
      } else {
        state = 'cutting';
      }
      return true;
    };

    // While cutting, requests still reach the server, so the frame to cut does come.
    const toServer = delayed(delayMs, (chunk) => {
      if (state === 'forward' || state === 'cutting' || state === 'corrupting') server.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (state === 'forward' || state === 'cutting') toServer(chunk);
    });

    // Half of a frame, then the connection is gone (a crash or a broken middlebox mid-write).
    const cut = (bytes: Buffer): void => {
      client.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)));
      client.end();
      server.destroy();
      state = 'done';
    };
    const toClient = delayed(delayMs, (chunk) => {
      if (state === 'done' || state === 'stalled') return;
      if (state === 'cutting') return cut(chunk);
      if (state === 'corrupting') return void client.write(randomBytes(chunk.length));
      // Forwards frame by frame so a fault lands exactly on a PDU boundary.
      let off = 0;
      while (off < chunk.length) {
        const n = fromServer.step(chunk, off);
        client.write(chunk.subarray(off, off + n));
        off += n;
        if (!fromServer.atBoundary) continue;
        this.serverPdus++;
        this.wake();
        if (this.startHolding()) {
          const rest = chunk.subarray(off);
          if (rest.length > 0) this.held.push(() => toClient(rest));
          return;
        }
        if (trigger()) {
          if (plan?.fault === Fault.CUT && off < chunk.length) cut(chunk.subarray(off));
          if (plan?.fault === Fault.CORRUPT && off < chunk.length)
            client.write(randomBytes(chunk.length - off));
          return;
        }
      }
    });
    server.on('data', (chunk: Buffer) => {
      if (this.holding) this.held.push(() => toClient(chunk));
      else toClient(chunk);
    });
  }

  private impersonate(client: Socket, fault: Fault): void {
    this.injected.push(fault);
    if (fault === Fault.CLOSE) {
      client.end();
      return;
    }
    client.on('data', (chunk: Buffer) => {
      if (fault === Fault.GARBAGE) client.write(randomBytes(Math.max(64, chunk.length)));
    });
  }

  /** At a PDU boundary: whether a requested hold starts now. */
  private startHolding(): boolean {
    if (this.hold === undefined || this.serverPdus < this.hold.at) return false;
    const { onHeld } = this.hold;
    this.hold = undefined;
    this.holding = true;
    onHeld();
    return true;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.pdus <= this.serverPdus);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.pdus > this.serverPdus);
    for (const w of ready) w.resolve();
  }
}

/** Runs `forward` for every chunk, in order, each `delayMs` after the previous one (0: at once). */
function delayed(delayMs: number, forward: (chunk: Buffer) => void): (chunk: Buffer) => void {
  if (delayMs <= 0) return forward;
  let chain = Promise.resolve();
  return (chunk) => {
    chain = chain.then(
      () =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            forward(chunk);
            resolve();
          }, delayMs);
        }),
    );
  };
}
