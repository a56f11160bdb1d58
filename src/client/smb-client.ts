import type { SessionAuthenticator } from '../auth/authenticator.js';
import { createNtlmAuthenticator, type NtlmCredentials } from '../auth/ntlm/ntlm-authenticator.js';
import { echoCodec } from '../smb2/commands/echo.js';
import { Connection, type ConnectionSettings } from './connection.js';
import type { BreakHandler } from './break-handler.js';
import { negotiate, type Negotiation, type NegotiateOptions } from './negotiate.js';
import { Session, type SessionOptions } from './session.js';

export interface ClientOptions extends NegotiateOptions {
  host: string;
  /** Default 445. */
  port?: number;
  /** Default 60 s. */
  requestTimeoutMs?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Credits to keep available for pipelining; default 512. */
  creditTarget?: number;
  /** Longest wait after an interim STATUS_PENDING, then CANCEL and TimeoutError; default no limit. */
  asyncTimeoutMs?: number;
}

/**
 * The entry point of the SMB client library: one TCP connection, negotiated, on which any number
 * of sessions can be established.
 *
 * ```ts
 * const client = await SmbClient.connect({ host: '127.0.0.1', port: 4450 });
 * const session = await client.login({ user: 'alice', password: 'secret' });
 * const tree = await session.connectTree('share');
 * ```
 */
export class SmbClient {
  private constructor(
    readonly connection: Connection,
    readonly negotiation: Negotiation,
  ) {}

  /** Oplock/lease break acknowledgments and their counters ('break' events). */
  get breaks(): BreakHandler {
    return this.connection.breaks;
  }

  static async connect(options: ClientOptions): Promise<SmbClient> {
    const settings: ConnectionSettings = {
      host: options.host,
      port: options.port ?? 445,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      creditTarget: options.creditTarget ?? 512,
      ...(options.asyncTimeoutMs !== undefined ? { asyncTimeoutMs: options.asyncTimeoutMs } : {}),
    };
    const connection = await Connection.open(settings);
    try {
      const negotiation = await negotiate(connection, { serverName: options.host, ...options });
      return new SmbClient(connection, negotiation);
    } catch (err) {
      connection.close();
      throw err;
    }
  }

  /** Authenticates a new session with NTLMv2 credentials or any SessionAuthenticator (e.g. Kerberos). */
  login(credentials: NtlmCredentials | SessionAuthenticator, options: SessionOptions = {}): Promise<Session> {
    const authenticator = 'step' in credentials ? credentials : createNtlmAuthenticator(credentials);
    return Session.setup(this.connection, this.negotiation, authenticator, options);
  }

  /** ECHO (MS-SMB2 3.2.4.22): a round trip that needs no session; used as a liveness probe. */
  async echo(): Promise<void> {
    await this.connection.request(echoCodec, {});
  }

  get isClosed(): boolean {
    return this.connection.isClosed;
  }

  close(): void {
    this.connection.close();
  }
}
