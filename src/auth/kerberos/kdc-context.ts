import type { EncryptionType } from './crypto/etype.js';
import type { KdcTransport } from './kdc-transport.js';

/** What the AS and TGS exchanges need from the client that runs them. */
export interface KdcContext {
  readonly transport: KdcTransport;
  /** Current time in ms, including any clock offset learned from the KDC. */
  now(): number;
  randomBytes(n: number): Buffer;
  /** Encryption types offered to the KDC, most preferred first. */
  readonly etypes: readonly EncryptionType[];
  /** Requested ticket lifetime ('till'); the KDC caps it (10 h in AD). */
  readonly ticketLifetimeMs: number;
  /** Requested renewable lifetime ('rtime'); the KDC caps it (7 days in AD). */
  readonly renewLifetimeMs: number;
  /** Ask for a PAC (MS-KILE 2.2.3); Windows and Samba servers need one to build the user's token. */
  readonly includePac: boolean;
}

/**
 * A request nonce (RFC 4120 5.4.1). Kept to 31 bits: some KDCs decode UInt32 fields as Int32.
 */
export function newNonce(ctx: KdcContext): number {
  return ctx.randomBytes(4).readUInt32BE(0) & 0x7fffffff;
}

/** KerberosTime has whole seconds; the microseconds travel separately (cusec/pausec). */
export function splitTime(ms: number): { time: Date; usec: number } {
  const whole = Math.floor(ms / 1000) * 1000;
  return { time: new Date(whole), usec: (ms - whole) * 1000 };
}
