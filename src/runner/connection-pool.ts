/**
 * A pool of TCP connections to the target, each carrying many authenticated sessions (MS-SMB2
 * 3.2.1.3: a connection has a SessionTable), so thousands of virtual users need only tens of
 * sockets. The pool only chooses and (re)opens connections; sessions belong to the users.
 *
 * Reconnects are shared: when the connection under 64 users drops, the first user to notice starts
 * one reconnect (exponential backoff with jitter, backoff.ts) and the other 63 wait on the same
 * promise instead of opening 63 sockets.
 */
import { randomBytes } from 'node:crypto';
import { SmbClient, type ClientOptions } from '../client/smb-client.js';
import type { BreakEvent } from '../client/break-handler.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { backoffDelayMs, DEFAULT_BACKOFF, sleep, type BackoffPolicy } from './backoff.js';
import type { RunTarget } from './target.js';

export type ClientConnector = (options: ClientOptions) => Promise<SmbClient>;

export interface ConnectionPoolOptions {
  readonly target: RunTarget;
  /** Passed to SmbClient.connect for every connection (timeouts, dialects, signing...). */
  readonly client?: Omit<ClientOptions, 'host' | 'port'>;
  readonly backoff?: BackoffPolicy;
  /** For tests: replaces SmbClient.connect. */
  readonly connect?: ClientConnector;
  readonly random?: () => number;
}

/** Oplock/lease breaks seen on all connections of the pool (MS-SMB2 3.2.5.19). */
export interface BreakCounts {
  received: number;
  acknowledged: number;
  failedAcks: number;
}

interface Slot {
  client: SmbClient | undefined;
  pending: Promise<SmbClient> | undefined;
  /**
   * NEGOTIATE ClientGuid (MS-SMB2 2.2.3), kept across reconnects of this slot: a durable handle
   * can only be reclaimed from a connection with the same ClientGuid (3.3.5.9.12). One per slot,
   * not per pool, so a server with multichannel does not fold all connections into one client.
   */
  readonly clientGuid: Buffer;
}

/** Connect errors that another attempt cannot fix. */
const FATAL_CONNECT = new Set<string>([
  ErrorCode.AUTH,
  ErrorCode.USAGE,
  ErrorCode.UNSUPPORTED,
  ErrorCode.PROTOCOL,
]);

export class ConnectionPool {
  private readonly slots = new Map<number, Slot>();
  private readonly connector: ClientConnector;
  private readonly backoff: BackoffPolicy;
  private closed = false;
  /** Successful reconnects after a connection was lost. */
  reconnects = 0;
  readonly breaks: BreakCounts = { received: 0, acknowledged: 0, failedAcks: 0 };

  constructor(private readonly options: ConnectionPoolOptions) {
    this.connector = options.connect ?? ((o) => SmbClient.connect(o));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Open connections right now. */
  get openConnections(): number {
    let n = 0;
    for (const s of this.slots.values()) if (s.client && !s.client.isClosed) n++;
    return n;
  }

  /**
   * The connected client of slot `index`, connecting (or reconnecting with backoff) if needed.
   * `firstAttemptOnly` fails on the first error instead of backing off (the run's initial probe).
   */
  client(index: number, firstAttemptOnly = false): Promise<SmbClient> {
    if (this.closed) return Promise.reject(new SmbBenchError(ErrorCode.ABORTED, 'connection pool is closed'));
    let slot = this.slots.get(index);
    if (!slot) {
      slot = { client: undefined, pending: undefined, clientGuid: randomBytes(16) };
      this.slots.set(index, slot);
    }
    if (slot.client && !slot.client.isClosed) return Promise.resolve(slot.client);
    if (slot.pending) return slot.pending;
    const wasConnected = slot.client !== undefined;
    const s = slot;
    s.pending = this.connectWithBackoff(s.clientGuid, firstAttemptOnly).then(
      (client) => {
        s.client = client;
        s.pending = undefined;
        if (wasConnected) this.reconnects++;
        if (this.closed) client.close();
        return client;
      },
      (err: unknown) => {
        s.pending = undefined;
        throw err;
      },
    );
    return s.pending;
  }

  /**
   * Called by a user whose requests on `failed` hit a transport error: closes it if it is still
   * the slot's client (a half-dead socket) and returns the slot's next client.
   */
  reconnect(index: number, failed: SmbClient): Promise<SmbClient> {
    const slot = this.slots.get(index);
    if (slot?.client === failed && !failed.isClosed) failed.close();
    return this.client(index);
  }

  /** Closes every connection; pending connects close their client when they finish. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) slot.client?.close();
  }

  private async connectWithBackoff(clientGuid: Buffer, firstAttemptOnly: boolean): Promise<SmbClient> {
    const { host, port } = this.options.target;
    let lastError: unknown;
    const attempts = firstAttemptOnly ? 1 : Math.max(1, this.backoff.maxAttempts);
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt, this.backoff, this.options.random));
      if (this.closed) break;
      try {
        const client = await this.connector({ ...this.options.client, host, port, clientGuid });
        client.breaks.on('break', (event) => this.countBreak(event));
        return client;
      } catch (err) {
        lastError = err;
        if (err instanceof SmbBenchError && FATAL_CONNECT.has(err.code)) throw err;
      }
    }
    if (this.closed) throw new SmbBenchError(ErrorCode.ABORTED, 'connection pool is closed');
    if (lastError instanceof SmbBenchError) throw lastError;
    throw new SmbBenchError(ErrorCode.TRANSPORT, `cannot connect to ${host}:${port}`, { cause: lastError });
  }

  private countBreak(event: BreakEvent): void {
    this.breaks.received++;
    if (event.acknowledged) this.breaks.acknowledged++;
    if (event.error) this.breaks.failedAcks++;
  }
}
