import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { KrbErrorCode } from './asn1/krb-error-codes.js';
import { servicePrincipal, userPrincipal } from './asn1/principal-name.js';
import { asExchange } from './as-exchange.js';
import { DEFAULT_ETYPES, type EncryptionType } from './crypto/etype.js';
import type { KdcContext } from './kdc-context.js';
import { createTcpKdcTransport, parseKdcEndpoint, type KdcTransport } from './kdc-transport.js';
import { KerberosError } from './kerberos-errors.js';
import { loadKrb5Conf, type Krb5Conf } from './krb5-conf.js';
import { defaultSalt, LongTermKeys } from './long-term-keys.js';
import { tgsExchange } from './tgs-exchange.js';
import { isFresh, isRenewable, PrincipalEntry, TicketCache, type CachedTicket } from './ticket-cache.js';

/**
 * The shared Kerberos client: one per process (or per target realm), used by every
 * KerberosAuthenticator. It owns the in-memory ticket cache, talks to the KDC, and makes sure
 * that N concurrent logins of one user cost one AS exchange and one TGS exchange per service.
 * Tickets are refreshed lazily: a ticket with less than `refreshMarginMs` left is replaced at the
 * next request (a renewable TGT is renewed, RFC 4120 3.3.3.1, else a new AS exchange is made).
 */

export interface KerberosUser {
  /** `alice`, or `alice@REALM` (then `realm` may be omitted). */
  readonly user: string;
  readonly realm?: string;
  readonly password?: string;
  /** For rc4-hmac only: the NT hash instead of the password. */
  readonly ntHash?: Buffer;
}

export interface KerberosClientOptions {
  /** Realm for users given without one; else krb5.conf's default_realm. */
  readonly realm?: string;
  /** KDC `host[:port]` (or several); else the realm's `kdc` entries in krb5.conf; else the realm name. */
  readonly kdc?: string | readonly string[];
  /** Replaces the TCP transport (tests, custom routing). */
  readonly transport?: KdcTransport;
  /** Parsed krb5.conf; by default $KRB5_CONFIG or /etc/krb5.conf is read when needed. */
  readonly krb5Conf?: Krb5Conf;
  readonly etypes?: readonly EncryptionType[];
  /** Per KDC attempt; default 10 s. */
  readonly kdcTimeoutMs?: number;
  /** Default 10 h (the KDC caps it). */
  readonly ticketLifetimeMs?: number;
  /** Default 7 days (the KDC caps it). */
  readonly renewLifetimeMs?: number;
  /** Refresh tickets with less than this left; default 5 min (Kerberos' default clock skew). */
  readonly refreshMarginMs?: number;
  /** Default true. */
  readonly includePac?: boolean;
  /**
   * On KRB_AP_ERR_SKEW from the KDC, adopt the KDC's clock for this client and retry once (like
   * MIT's kdc_timesync). Default false: the error is reported with the measured skew.
   */
  readonly syncClockWithKdc?: boolean;
  readonly now?: () => number;
  readonly randomBytes?: (n: number) => Buffer;
}

const FIVE_MINUTES = 5 * 60_000;

/** Errors after which the TGT is assumed bad and a fresh one is fetched (once). */
const STALE_TGT_ERRORS: ReadonlySet<number> = new Set([
  KrbErrorCode.KRB_AP_ERR_TKT_EXPIRED,
  KrbErrorCode.KRB_AP_ERR_MODIFIED,
  KrbErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
  KrbErrorCode.KDC_ERR_TGT_REVOKED,
]);

export class KerberosClient {
  private readonly cache = new TicketCache();
  private readonly transports = new Map<string, KdcTransport>();
  private confPromise: Promise<Krb5Conf> | undefined;
  private clockOffsetMs = 0;
  private readonly clock: () => number;
  private readonly random: (n: number) => Buffer;

  constructor(private readonly options: KerberosClientOptions = {}) {
    this.clock = options.now ?? Date.now;
    this.random = options.randomBytes ?? randomBytes;
    if (options.krb5Conf) this.confPromise = Promise.resolve(options.krb5Conf);
  }

  /** Current time as the KDC sees it (local time plus any learned offset). */
  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  randomBytes(n: number): Buffer {
    return this.random(n);
  }

  /** A service ticket for `spn` (e.g. `cifs/fs1.example.com`), from the cache when still fresh. */
  async getServiceTicket(user: KerberosUser, spn: string): Promise<CachedTicket> {
    const entry = await this.entryFor(user);
    const key = spn.toLowerCase();
    const cached = entry.services.get(key);
    if (cached && isFresh(cached, this.now(), this.margin)) return cached;
    const pending = entry.servicesInFlight.get(key);
    if (pending) return pending;
    const request = this.fetchServiceTicket(entry, spn).finally(() => entry.servicesInFlight.delete(key));
    entry.servicesInFlight.set(key, request);
    const ticket = await request;
    entry.services.set(key, ticket);
    return ticket;
  }

  /** The user's TGT, from the cache when still fresh. */
  async getTgt(user: KerberosUser): Promise<CachedTicket> {
    return this.tgtFor(await this.entryFor(user));
  }

  /** Forgets a user's tickets and keys. */
  async forget(user: KerberosUser): Promise<void> {
    const { realm, name } = await this.identify(user);
    this.cache.delete(TicketCache.keyOf(realm, name));
  }

  clear(): void {
    this.cache.clear();
  }

  stats(): { principals: number; tgts: number; serviceTickets: number } {
    return this.cache.stats();
  }

  private get margin(): number {
    return this.options.refreshMarginMs ?? FIVE_MINUTES;
  }

  private async fetchServiceTicket(entry: PrincipalEntry, spn: string): Promise<CachedTicket> {
    const ctx = await this.contextFor(entry.realm);
    const sname = servicePrincipal(spn);
    const tgt = await this.tgtFor(entry);
    try {
      return await tgsExchange(ctx, tgt, { sname });
    } catch (err) {
      if (!(err instanceof KerberosError) || !STALE_TGT_ERRORS.has(err.krbErrorCode)) throw err;
      if (entry.tgt === tgt) entry.tgt = undefined;
      return tgsExchange(ctx, await this.tgtFor(entry), { sname });
    }
  }

  private tgtFor(entry: PrincipalEntry): Promise<CachedTicket> {
    if (entry.tgt && isFresh(entry.tgt, this.now(), this.margin)) return Promise.resolve(entry.tgt);
    if (entry.tgtInFlight) return entry.tgtInFlight;
    const request = this.refreshTgt(entry)
      .then((tgt) => {
        entry.tgt = tgt;
        return tgt;
      })
      .finally(() => {
        entry.tgtInFlight = undefined;
      });
    entry.tgtInFlight = request;
    return request;
  }

  private async refreshTgt(entry: PrincipalEntry): Promise<CachedTicket> {
    const ctx = await this.contextFor(entry.realm);
    const old = entry.tgt;
    if (old && isRenewable(old, this.now(), this.margin)) {
      try {
        return await tgsExchange(ctx, old, { sname: old.ticket.sname, renew: true });
      } catch {
        // A refused renewal (policy, revoked, expired meanwhile) is not fatal: log in afresh.
      }
    }
    const client = { realm: entry.realm, name: entry.name, keys: entry.keys, display: entry.display };
    try {
      return await asExchange(ctx, client);
    } catch (err) {
      if (
        this.options.syncClockWithKdc &&
        err instanceof KerberosError &&
        err.krbErrorCode === KrbErrorCode.KRB_AP_ERR_SKEW &&
        err.skewMs !== undefined
      ) {
        this.clockOffsetMs += err.skewMs;
        return asExchange(ctx, client);
      }
      throw err;
    }
  }

  private async identify(
    user: KerberosUser,
  ): Promise<{ realm: string; name: ReturnType<typeof userPrincipal> }> {
    let name = user.user;
    let realm = user.realm;
    const at = name.lastIndexOf('@');
    if (at > 0) {
      realm ??= name.slice(at + 1);
      name = name.slice(0, at);
    }
    realm ??= this.options.realm ?? (await this.conf()).defaultRealm;
    if (!name) throw new SmbBenchError(ErrorCode.USAGE, 'Kerberos credentials need a user name');
    if (!realm) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `no Kerberos realm for ${name}: pass --realm, use user@REALM, or set default_realm in krb5.conf`,
      );
    }
    return { realm: realm.toUpperCase(), name: userPrincipal(name) };
  }

  private async entryFor(user: KerberosUser): Promise<PrincipalEntry> {
    const { realm, name } = await this.identify(user);
    const key = TicketCache.keyOf(realm, name);
    const fingerprint = createHash('sha256')
      .update(user.password ?? '')
      .update('\0')
      .update(user.ntHash ?? Buffer.alloc(0))
      .digest('hex');
    const existing = this.cache.get(key);
    if (existing && existing.secretFingerprint === fingerprint) return existing;
    const display = `${name.nameString.join('/')}@${realm}`;
    const secret = {
      ...(user.password !== undefined ? { password: user.password } : {}),
      ...(user.ntHash !== undefined ? { ntHash: user.ntHash } : {}),
    };
    const entry = new PrincipalEntry(
      realm,
      name,
      new LongTermKeys(secret, defaultSalt(realm, name.nameString), display),
      fingerprint,
    );
    this.cache.set(key, entry);
    return entry;
  }

  private conf(): Promise<Krb5Conf> {
    this.confPromise ??= loadKrb5Conf().catch(() => ({ realms: new Map() }));
    return this.confPromise;
  }

  private async contextFor(realm: string): Promise<KdcContext> {
    return {
      transport: await this.transportFor(realm),
      now: () => this.now(),
      randomBytes: (n) => this.random(n),
      etypes: this.options.etypes ?? DEFAULT_ETYPES,
      ticketLifetimeMs: this.options.ticketLifetimeMs ?? 10 * 3600_000,
      renewLifetimeMs: this.options.renewLifetimeMs ?? 7 * 24 * 3600_000,
      includePac: this.options.includePac ?? true,
    };
  }

  private async transportFor(realm: string): Promise<KdcTransport> {
    if (this.options.transport) return this.options.transport;
    let transport = this.transports.get(realm);
    if (transport) return transport;
    let specs: readonly string[];
    if (this.options.kdc !== undefined) {
      specs = typeof this.options.kdc === 'string' ? this.options.kdc.split(',') : this.options.kdc;
    } else {
      // An AD domain's DNS name resolves to its domain controllers, which all run a KDC.
      specs = (await this.conf()).realms.get(realm) ?? [realm.toLowerCase()];
    }
    transport = createTcpKdcTransport(
      specs.map(parseKdcEndpoint),
      this.options.kdcTimeoutMs === undefined ? {} : { timeoutMs: this.options.kdcTimeoutMs },
    );
    this.transports.set(realm, transport);
    return transport;
  }
}
