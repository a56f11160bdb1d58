/**
 * One bound LDAP connection (ldapts underneath) with the handful of operations provisioning uses,
 * each failing with a LdapOperationError that says what was being done. TLS is either implicit
 * (ldaps://) or StartTLS (RFC 4511 4.14) on ldap://; passwords are only ever sent over TLS.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { Attribute, Change, Entry } from 'ldapts';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { describeLdapError } from './ldap-errors.js';

export interface LdapConnectOptions {
  /** `ldaps://host[:port]` or `ldap://host[:port]` (then use startTls to encrypt). */
  readonly url: string;
  /** A DN, a UPN (`admin@realm`) or `DOMAIN\user`: AD accepts all three for a simple bind. */
  readonly bindDn: string;
  readonly bindPassword: string;
  /** PEM file(s) with the CA(s) to trust instead of the system store. */
  readonly caFiles?: readonly string[];
  /** Verify the certificate against this name instead of the URL's host (e.g. the DC's FQDN). */
  readonly tlsServerName?: string;
  /** Skip certificate verification entirely: for throwaway labs only. */
  readonly insecureTls?: boolean;
  readonly startTls?: boolean;
  /** Per-operation timeout; default 30 s. */
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export const LdapScheme = { ldap: 'ldap:', ldaps: 'ldaps:' } as const;

/** Parses and checks an LDAP URL; only scheme, host and port are meaningful (RFC 4516 subset). */
export function parseLdapUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--ldap must be an ldap:// or ldaps:// URL, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol !== LdapScheme.ldap && parsed.protocol !== LdapScheme.ldaps) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--ldap must be an ldap:// or ldaps:// URL, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.hostname === '') throw new SmbBenchError(ErrorCode.USAGE, `--ldap URL has no host: ${url}`);
  return parsed;
}

export async function tlsOptionsFor(opts: LdapConnectOptions): Promise<ConnectionOptions> {
  const tls: ConnectionOptions = {};
  if (opts.caFiles !== undefined && opts.caFiles.length > 0) {
    tls.ca = await Promise.all(
      opts.caFiles.map((file) =>
        readFile(file).catch((cause: unknown) => {
          throw new SmbBenchError(
            ErrorCode.USAGE,
            `cannot read CA file ${file}: ${(cause as Error).message}`,
            { cause },
          );
        }),
      ),
    );
  }
  if (opts.tlsServerName !== undefined) tls.servername = opts.tlsServerName;
  if (opts.insecureTls === true) tls.rejectUnauthorized = false;
  return tls;
}

export class LdapSession {
  private closed = false;

  private constructor(
    private readonly client: Client,
    readonly url: string,
    /** True when the connection is TLS-protected (ldaps:// or after StartTLS). */
    readonly encrypted: boolean,
  ) {}

  /** Connects, secures (StartTLS if asked) and binds; the first error is classified. */
  static async open(opts: LdapConnectOptions): Promise<LdapSession> {
    const url = parseLdapUrl(opts.url);
    const tls = await tlsOptionsFor(opts);
    const implicitTls = url.protocol === LdapScheme.ldaps;
    const client = new Client({
      url: opts.url,
      timeout: opts.timeoutMs ?? 30_000,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
      ...(implicitTls ? { tlsOptions: tls } : {}),
    });
    const where = `LDAP ${url.protocol}//${url.host}`;
    try {
      if (!implicitTls && opts.startTls === true) await client.startTLS(tls);
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw describeLdapError(err, `${where}: StartTLS`);
    }
    try {
      await client.bind(opts.bindDn, opts.bindPassword);
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw describeLdapError(err, `${where}: bind as ${opts.bindDn}`);
    }
    return new LdapSession(client, opts.url, implicitTls || opts.startTls === true);
  }

  /** Every entry matching filter under base, fetched in pages (AD caps a page at MaxPageSize=1000). */
  async searchAll(
    base: string,
    filter: string,
    attributes: readonly string[],
    scope: 'base' | 'one' | 'sub' = 'sub',
  ): Promise<Entry[]> {
    try {
      if (scope === 'base') {
        const { searchEntries } = await this.client.search(base, {
          scope,
          filter,
          attributes: [...attributes],
        });
        return searchEntries;
      }
      const out: Entry[] = [];
      const pages = this.client.searchPaginated(base, {
        scope,
        filter,
        attributes: [...attributes],
        paged: { pageSize: 500 },
      });
      for await (const page of pages) out.push(...page.searchEntries);
      return out;
    } catch (err) {
      throw describeLdapError(err, `search ${filter} under ${base || 'the root DSE'}`);
    }
  }

  /** The entry at dn, or undefined if there is none (noSuchObject). */
  async read(dn: string, attributes: readonly string[]): Promise<Entry | undefined> {
    try {
      const { searchEntries } = await this.client.search(dn, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: [...attributes],
      });
      return searchEntries[0];
    } catch (err) {
      const described = describeLdapError(err, `read ${dn}`);
      if (described.failure === 'no-such-object') return undefined;
      throw described;
    }
  }

  async add(dn: string, attributes: Attribute[]): Promise<void> {
    try {
      await this.client.add(dn, attributes);
    } catch (err) {
      throw describeLdapError(err, `add ${dn}`);
    }
  }

  async modify(dn: string, changes: Change | Change[], what = 'modify'): Promise<void> {
    try {
      await this.client.modify(dn, changes);
    } catch (err) {
      throw describeLdapError(err, `${what} ${dn}`);
    }
  }

  async del(dn: string): Promise<void> {
    try {
      await this.client.del(dn);
    } catch (err) {
      throw describeLdapError(err, `delete ${dn}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.unbind().catch(() => undefined);
  }
}

/** A string attribute of an entry (ldapts gives string | string[] | Buffer...). */
export function entryString(entry: Entry | undefined, name: string): string | undefined {
  if (entry === undefined) return undefined;
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** All string values of a (multi-valued) attribute. */
export function entryStrings(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  if (Buffer.isBuffer(value)) return [value.toString('utf8')];
  return [];
}
