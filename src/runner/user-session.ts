/**
 * One virtual user's SMB session and tree connect on its pooled connection, and their recovery:
 * after a transport failure the user waits for the pool's shared reconnect and logs in again; after
 * STATUS_NETWORK_SESSION_EXPIRED it logs in again on the same connection (MS-SMB2 3.2.5.1.6 asks
 * for re-authentication; the client sets up a fresh session, so only durable handles survive).
 * Concurrent failures of one user's in-flight ops cause one recovery, not one per op.
 */
import type { Session, SessionOptions } from '../client/session.js';
import type { SmbClient } from '../client/smb-client.js';
import type { Tree } from '../client/tree.js';
import type { ConnectionPool } from './connection-pool.js';
import type { LoginCredentials } from './credential-sessions.js';

export interface UserSessionConfig {
  readonly pool: ConnectionPool;
  readonly connectionIndex: number;
  readonly share: string;
  readonly credentials: LoginCredentials;
  readonly sessionOptions?: SessionOptions;
}

interface Live {
  readonly client: SmbClient;
  readonly session: Session;
  readonly tree: Tree;
}

export const RecoveryKind = { CONNECTION: 'connection', SESSION: 'session' } as const;
export type RecoveryKind = (typeof RecoveryKind)[keyof typeof RecoveryKind];

export class UserSession {
  private live: Live | undefined;
  private recovering: Promise<Tree> | undefined;
  /** Incremented at every (re)login; an op remembers the generation it ran under. */
  generation = 0;
  /** Successful recoveries of this user. */
  recoveries = 0;

  constructor(private readonly config: UserSessionConfig) {}

  get tree(): Tree | undefined {
    return this.live?.tree;
  }

  get client(): SmbClient | undefined {
    return this.live?.client;
  }

  get isOpen(): boolean {
    return this.live !== undefined && !this.live.client.isClosed && !this.live.session.isLoggedOff;
  }

  /** Connects (through the pool), logs in and connects the tree. */
  async open(firstAttemptOnly = false): Promise<Tree> {
    const client = await this.config.pool.client(this.config.connectionIndex, firstAttemptOnly);
    return this.loginOn(client);
  }

  /**
   * Re-establishes the session after a failure seen under `failedGeneration`. If another op of the
   * same user already recovered (a newer generation) its tree is returned without a new login.
   */
  recover(kind: RecoveryKind, failedGeneration: number): Promise<Tree> {
    if (failedGeneration < this.generation && this.isOpen) return Promise.resolve(this.live!.tree);
    if (this.recovering) return this.recovering;
    const old = this.live;
    this.live = undefined;
    const run = async (): Promise<Tree> => {
      if (old) old.client.connection.unregisterSession(old.session.sessionId);
      const client =
        kind === RecoveryKind.CONNECTION || !old || old.client.isClosed
          ? await (old
              ? this.config.pool.reconnect(this.config.connectionIndex, old.client)
              : this.config.pool.client(this.config.connectionIndex))
          : old.client;
      const tree = await this.loginOn(client);
      this.recoveries++;
      return tree;
    };
    this.recovering = run().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  /** Logs off (best effort); the pooled connection stays open for the other users. */
  async close(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (!live || live.client.isClosed) return;
    try {
      await live.session.logoff();
    } catch {
      // The server may already have dropped the session; nothing to clean up locally.
    }
  }

  private async loginOn(client: SmbClient): Promise<Tree> {
    const { credentials } = this.config;
    const session = await client.login(
      typeof credentials === 'function' ? credentials() : credentials,
      this.config.sessionOptions,
    );
    try {
      const tree = await session.connectTree(this.config.share);
      this.live = { client, session, tree };
      this.generation++;
      return tree;
    } catch (err) {
      await session.logoff().catch(() => undefined);
      throw err;
    }
  }
}
