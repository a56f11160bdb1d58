import { AbortedError } from './errors.js';

interface Waiter {
  charge: number;
  resolve: (firstMessageId: bigint) => void;
  reject: (err: Error) => void;
}

/**
 * The client's credit account for one connection (MS-SMB2 3.2.4.1.5 and 3.2.5.1.4).
 *
 * Every request consumes `charge` credits and as many consecutive MessageIds; every response
 * (interim or final) grants CreditResponse credits back. Requests that cannot be paid wait in FIFO
 * order so a large multi-credit WRITE cannot be starved by a stream of small requests, and so
 * MessageIds are handed out in the order requests are sent (the server's window only moves forward).
 *
 * Deadlock freedom: a waiter is only ever blocked by credits held by requests already in flight,
 * and each of those returns at least one credit with its response (Samba and Windows grant >= 1 for
 * every response unless the client asked for 0, which we never do). A charge larger than the
 * largest balance the server will ever give is clamped by the caller (see maxCharge).
 */
export class CreditAccount {
  private balance: number;
  private nextMessageId = 0n;
  private readonly waiters: Waiter[] = [];
  /** The highest balance observed: charges above it could wait forever, so callers split I/O. */
  private peak: number;

  constructor(initialCredits = 1) {
    this.balance = initialCredits;
    this.peak = initialCredits;
  }

  get available(): number {
    return this.balance;
  }

  get queued(): number {
    return this.waiters.length;
  }

  get highWater(): number {
    return this.peak;
  }

  /**
   * Takes `charge` credits now if possible and returns the first MessageId, or undefined when the
   * caller must wait (use `acquire`). The fast path has no promise allocation.
   */
  tryAcquire(charge: number): bigint | undefined {
    if (this.waiters.length > 0 || this.balance < charge) return undefined;
    return this.take(charge);
  }

  acquire(charge: number): Promise<bigint> {
    const id = this.tryAcquire(charge);
    if (id !== undefined) return Promise.resolve(id);
    return new Promise((resolve, reject) => this.waiters.push({ charge, resolve, reject }));
  }

  /** A request that consumes a MessageId but no credit: CANCEL reuses the target's id instead. */
  grant(credits: number): void {
    if (credits <= 0) return;
    this.balance += credits;
    if (this.balance > this.peak) this.peak = this.balance;
    this.wake();
  }

  /**
   * MS-SMB2 3.2.5.1.4: after NEGOTIATE the first MessageId is 1 (NEGOTIATE used 0). Used when the
   * connection resets its ids, and by tests.
   */
  setNextMessageId(id: bigint): void {
    this.nextMessageId = id;
  }

  /** Rejects every waiter: the connection is gone. */
  abort(error: Error = new AbortedError('connection closed')): void {
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w.reject(error);
  }

  private take(charge: number): bigint {
    this.balance -= charge;
    const id = this.nextMessageId;
    // A request with CreditCharge 0 (SMB 2.0.2) still consumes one MessageId.
    this.nextMessageId += BigInt(Math.max(1, charge));
    return id;
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!;
      if (this.balance < head.charge) return;
      this.waiters.shift();
      head.resolve(this.take(head.charge));
    }
  }
}

/** MS-SMB2 3.2.4.1.5: CreditCharge = 1 + (max(SendPayloadSize, ExpectedResponsePayloadSize) - 1) / 65536. */
export function creditChargeFor(payloadBytes: number): number {
  if (payloadBytes <= 0) return 1;
  return 1 + Math.floor((payloadBytes - 1) / 65536);
}
