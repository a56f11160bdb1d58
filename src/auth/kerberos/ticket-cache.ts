import type { PrincipalName } from './asn1/principal-name.js';
import type { Ticket } from './asn1/ticket.js';
import type { KerberosKey } from './crypto/etype.js';
import { LongTermKeys } from './long-term-keys.js';

/**
 * In-memory credential cache, one entry per principal (no ccache files: a load test holds
 * thousands of users in one process). Each entry keeps the principal's long-term keys, its TGT
 * and service tickets keyed by SPN, plus the in-flight requests so that concurrent logins of the
 * same user share one KDC exchange ("single flight").
 */

/** A ticket the client holds, with what the KDC told us about it in the encrypted reply part. */
export interface CachedTicket {
  readonly ticket: Ticket;
  readonly sessionKey: KerberosKey;
  /** The client name and realm as the KDC issued them (canonical case). */
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly flags: number;
  readonly authtime: Date;
  readonly starttime: Date | undefined;
  readonly endtime: Date;
  readonly renewTill: Date | undefined;
}

/** Whether a ticket is usable for at least `marginMs` more (RFC 4120 3.2.3 freshness). */
export function isFresh(t: CachedTicket, nowMs: number, marginMs: number): boolean {
  return t.endtime.getTime() - nowMs > marginMs;
}

/** Whether a TGT may still be renewed past `nowMs + marginMs` (RFC 4120 3.3.3.1). */
export function isRenewable(t: CachedTicket, nowMs: number, marginMs: number): boolean {
  return t.renewTill !== undefined && t.renewTill.getTime() - nowMs > marginMs && t.endtime.getTime() > nowMs;
}

export class PrincipalEntry {
  tgt: CachedTicket | undefined;
  tgtInFlight: Promise<CachedTicket> | undefined;
  readonly services = new Map<string, CachedTicket>();
  readonly servicesInFlight = new Map<string, Promise<CachedTicket>>();

  constructor(
    readonly realm: string,
    readonly name: PrincipalName,
    readonly keys: LongTermKeys,
    /** The password (or hash) this entry was built from, to notice a changed credential. */
    readonly secretFingerprint: string,
  ) {}

  get display(): string {
    return `${this.name.nameString.join('/')}@${this.realm}`;
  }

  /** Drops tickets (e.g. after the KDC said the TGT is no good) but keeps the derived keys. */
  dropTickets(): void {
    this.tgt = undefined;
    this.services.clear();
  }
}

export class TicketCache {
  private readonly entries = new Map<string, PrincipalEntry>();

  /** Cache key: user names are case-insensitive in AD and Samba; realms are upper case. */
  static keyOf(realm: string, name: PrincipalName): string {
    return `${name.nameString.join('/').toLowerCase()}@${realm.toUpperCase()}`;
  }

  get(key: string): PrincipalEntry | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: PrincipalEntry): void {
    this.entries.set(key, entry);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Counts for reports: principals, TGTs and service tickets held. */
  stats(): { principals: number; tgts: number; serviceTickets: number } {
    let tgts = 0;
    let serviceTickets = 0;
    for (const e of this.entries.values()) {
      if (e.tgt) tgts++;
      serviceTickets += e.services.size;
    }
    return { principals: this.entries.size, tgts, serviceTickets };
  }
}
