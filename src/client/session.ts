import type { SessionAuthenticator } from '../auth/authenticator.js';
import { deriveSessionKeys } from '../crypto/session-keys.js';
import { nextPreauthHash } from '../crypto/preauth-hash.js';
import { verifyMessage } from '../crypto/signing.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { logoffCodec } from '../smb2/commands/logoff.js';
import { sessionSetupCodec, SessionFlags } from '../smb2/commands/session-setup.js';
import { Capabilities, Dialect, HeaderFlags, SecurityMode } from '../smb2/constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import type { Connection, RequestContext } from './connection.js';
import { SmbStatusError } from './errors.js';
import type { Negotiation } from './negotiate.js';
import type { SessionSecurity } from './session-security.js';
import { Tree, type TreeConnectOptions } from './tree.js';

export interface SessionOptions {
  /** Require signing even if the server does not (MS-SMB2 3.2.4.2.3 RequireMessageSigning). */
  requireSigning?: boolean;
}

/**
 * An authenticated SMB2 session (MS-SMB2 3.2.1.3). Many sessions may share one connection, which
 * is how smbench multiplexes thousands of users over few TCP connections.
 */
export class Session {
  private readonly trees = new Set<Tree>();
  private loggedOff = false;

  private constructor(
    readonly connection: Connection,
    readonly negotiation: Negotiation,
    readonly security: SessionSecurity,
    readonly principal: string,
    readonly flags: number,
  ) {}

  get sessionId(): bigint {
    return this.security.sessionId;
  }

  get isGuest(): boolean {
    return (
      (this.flags & (SessionFlags.SMB2_SESSION_FLAG_IS_GUEST | SessionFlags.SMB2_SESSION_FLAG_IS_NULL)) !== 0
    );
  }

  get isLoggedOff(): boolean {
    return this.loggedOff || this.connection.isClosed;
  }

  /** The request context every operation of this session uses (keys, signing, encryption). */
  context(extra?: RequestContext): RequestContext {
    return { ...extra, session: this.security };
  }

  /**
   * Runs the SESSION_SETUP exchange (MS-SMB2 3.2.4.2.3, 3.2.5.3) with any SessionAuthenticator,
   * keeping the 3.1.1 preauth integrity hash (3.2.5.3.1) and deriving signing/encryption keys.
   */
  static async setup(
    connection: Connection,
    negotiation: Negotiation,
    authenticator: SessionAuthenticator,
    options: SessionOptions = {},
  ): Promise<Session> {
    const dialect = negotiation.dialect;
    const is311 = dialect === Dialect.SMB3_1_1;
    let preauth = is311 ? negotiation.preauthHash : undefined;
    const security: SessionSecurity = {
      sessionId: 0n,
      signingKey: undefined,
      signingAlgorithm: negotiation.signingAlgorithm,
      encryptionKey: undefined,
      decryptionKey: undefined,
      signingRequired: false,
      encryptData: false,
    };
    let token: Buffer;
    try {
      token = await authenticator.step(negotiation.securityBuffer);
    } catch (err) {
      throw authError(authenticator.principal, err);
    }
    for (;;) {
      let reply;
      try {
        reply = await connection.request(
          sessionSetupCodec,
          {
            flags: 0,
            securityMode: options.requireSigning
              ? SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED
              : SecurityMode.SMB2_NEGOTIATE_SIGNING_ENABLED,
            capabilities: Capabilities.SMB2_GLOBAL_CAP_DFS,
            channel: 0,
            previousSessionId: 0n,
            securityBuffer: token,
          },
          {
            session: security,
            onEncoded: (msg) => {
              if (preauth) preauth = nextPreauthHash(preauth, msg);
            },
          },
        );
      } catch (err) {
        throw authError(authenticator.principal, err);
      }
      (security as { sessionId: bigint }).sessionId = reply.header.sessionId;
      if (reply.status === NtStatus.STATUS_MORE_PROCESSING_REQUIRED) {
        if (preauth) preauth = nextPreauthHash(preauth, reply.raw);
        try {
          token = await authenticator.step(reply.body.securityBuffer);
        } catch (err) {
          throw authError(authenticator.principal, err);
        }
        continue;
      }
      try {
        authenticator.finish(reply.body.securityBuffer);
      } catch (err) {
        throw authError(authenticator.principal, err);
      }
      const flags = reply.body.sessionFlags;
      const anonymous =
        (flags & (SessionFlags.SMB2_SESSION_FLAG_IS_GUEST | SessionFlags.SMB2_SESSION_FLAG_IS_NULL)) !== 0;
      if (!anonymous) {
        const keys = deriveSessionKeys({
          dialect,
          sessionKey: authenticator.sessionKey(),
          preauthHash: preauth,
          cipherId: negotiation.cipherId,
        });
        security.signingKey = keys.signingKey;
        security.encryptionKey = keys.encryptionKey;
        security.decryptionKey = keys.decryptionKey;
        security.signingRequired = Boolean(options.requireSigning) || negotiation.serverRequiresSigning;
        security.encryptData = (flags & SessionFlags.SMB2_SESSION_FLAG_ENCRYPT_DATA) !== 0;
        // MS-SMB2 3.2.5.3.1: the final SESSION_SETUP response of 3.x is signed with the new key.
        const signed = (reply.header.flags & HeaderFlags.SMB2_FLAGS_SIGNED) !== 0;
        if (signed && !verifyMessage(security.signingAlgorithm, security.signingKey!, reply.raw)) {
          throw new SmbBenchError(
            ErrorCode.AUTH,
            `session setup for ${authenticator.principal}: bad signature on the final response`,
          );
        }
        if (!signed && security.signingRequired && dialect >= Dialect.SMB3_0) {
          throw new SmbBenchError(
            ErrorCode.AUTH,
            `session setup for ${authenticator.principal}: final response not signed`,
          );
        }
      } else if (options.requireSigning) {
        throw new SmbBenchError(
          ErrorCode.AUTH,
          `server gave ${authenticator.principal} a guest/anonymous session; signing impossible`,
        );
      }
      connection.registerSession(security);
      return new Session(connection, negotiation, security, authenticator.principal, flags);
    }
  }

  async connectTree(share: string, options: TreeConnectOptions = {}): Promise<Tree> {
    const tree = await Tree.connect(this, share, options);
    this.trees.add(tree);
    return tree;
  }

  /** @internal called by Tree.disconnect */
  forgetTree(tree: Tree): void {
    this.trees.delete(tree);
  }

  /** LOGOFF (MS-SMB2 3.2.4.23). Open trees are implicitly gone on the server. */
  async logoff(): Promise<void> {
    if (this.loggedOff) return;
    this.loggedOff = true;
    this.trees.clear();
    try {
      if (!this.connection.isClosed) await this.connection.request(logoffCodec, {}, this.context());
    } finally {
      this.connection.unregisterSession(this.sessionId);
    }
  }
}

function authError(principal: string, err: unknown): SmbBenchError {
  if (err instanceof SmbStatusError) {
    return new SmbBenchError(ErrorCode.AUTH, `authentication failed for ${principal}: ${err.statusName}`, {
      cause: err,
    });
  }
  if (err instanceof SmbBenchError && err.code !== ErrorCode.PROTOCOL) return err;
  return new SmbBenchError(
    ErrorCode.AUTH,
    `authentication failed for ${principal}: ${(err as Error).message}`,
    { cause: err },
  );
}
