/**
 * One session per distinct credential, for the work that is not a virtual user's replay: checking
 * every credential before a run (so a wrong password fails in a second with a clear message, not
 * as 5,000 failed users), and prepare/cleanup, which act as the user that will own the files.
 */
import type { SessionAuthenticator } from '../auth/authenticator.js';
import { createAuthenticator, type AuthMechanism } from '../auth/create-authenticator.js';
import type { NtlmCredentials } from '../auth/ntlm/ntlm-authenticator.js';
import { ntHash } from '../auth/ntlm/ntlmv2.js';
import type { SessionOptions } from '../client/session.js';
import type { Tree } from '../client/tree.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { ConnectionPool } from './connection-pool.js';
import { principalOf, type Credential } from './credentials.js';
import { UserSession } from './user-session.js';

/**
 * NTLM credentials with the NT hash computed once (MD4 of the password, MS-NLMP 3.3.1) instead of
 * once per login: thousands of virtual users usually share a handful of accounts.
 */
export function ntlmCredentials(c: Credential): NtlmCredentials {
  return { user: c.user, domain: c.domain, ntHash: ntHash(c.password) };
}

/** `--auth`, `--realm`, `--kdc`: how sessions authenticate (docs/kerberos.md). */
export interface LoginAuth {
  readonly auth: AuthMechanism;
  /** Server host name: Kerberos asks for a ticket to cifs/<host>. */
  readonly host: string;
  readonly realm?: string;
  readonly kdc?: string;
}

/**
 * What a UserSession logs in with: NTLM credentials (hash precomputed), or for Kerberos/auto a
 * factory, since an authenticator is single-use while the shared KerberosClient caches tickets.
 * Kerberos keeps the password: AES keys derive from it, not from the NT hash.
 */
export type LoginCredentials = NtlmCredentials | (() => SessionAuthenticator);

export function loginCredentials(c: Credential, login?: LoginAuth): LoginCredentials {
  if (!login || login.auth === 'ntlm') return ntlmCredentials(c);
  const creds = { user: c.user, password: c.password, ...(c.domain ? { domain: c.domain } : {}) };
  const options = {
    auth: login.auth,
    host: login.host,
    ...(login.realm ? { realm: login.realm } : {}),
    ...(login.kdc ? { kdc: login.kdc } : {}),
  };
  return () => createAuthenticator(creds, options);
}

export class CredentialSessions {
  private readonly sessions = new Map<number, UserSession>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly share: string,
    private readonly credentials: readonly Credential[],
    private readonly sessionOptions: SessionOptions = {},
    /** Sessions per pooled connection (the same packing the virtual users use). */
    private readonly sessionsPerConnection = 64,
    private readonly login?: LoginAuth,
  ) {}

  /** The tree of credential `index`, logging in on first use. */
  async tree(index: number, firstAttemptOnly = false): Promise<Tree> {
    let s = this.sessions.get(index);
    if (!s) {
      const credential = this.credentials[index];
      if (!credential) throw new SmbBenchError(ErrorCode.USAGE, `no credential #${index}`);
      s = new UserSession({
        pool: this.pool,
        connectionIndex: Math.floor(index / this.sessionsPerConnection),
        share: this.share,
        credentials: loginCredentials(credential, this.login),
        sessionOptions: this.sessionOptions,
      });
      this.sessions.set(index, s);
    }
    if (s.tree && s.isOpen) return s.tree;
    try {
      return await s.open(firstAttemptOnly);
    } catch (err) {
      this.sessions.delete(index);
      throw err;
    }
  }

  /**
   * Logs in with every credential once (in order, first failure wins) and connects the share, so
   * a bad password or share name is reported before anything else happens.
   */
  async verifyAll(): Promise<void> {
    for (let i = 0; i < this.credentials.length; i++) {
      try {
        await this.tree(i, true);
      } catch (err) {
        const who = principalOf(this.credentials[i]!);
        if (err instanceof SmbBenchError) {
          throw new SmbBenchError(
            err.code,
            `cannot log in as ${who} and connect to share ${this.share}: ${err.message}`,
            {
              cause: err,
            },
          );
        }
        throw err;
      }
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
  }
}
