import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import {
  createCodec,
  OplockLevel,
  type CreateRequest,
  type CreateResponse,
} from '../smb2/commands/create.js';
import { treeConnectCodec, ShareFlags } from '../smb2/commands/tree-connect.js';
import { treeDisconnectCodec } from '../smb2/commands/tree-disconnect.js';
import { Dialect } from '../smb2/constants.js';
import type { CompoundItem, RequestContext } from './connection.js';
import type { Reply } from './reply.js';
import { OpenFile } from './open-file.js';
import { openRequest, type OpenIntent } from './open-request.js';
import type { Session } from './session.js';
import { validateNegotiate } from './validate-negotiate.js';

export interface TreeConnectOptions {
  /** Server name used in the \\server\share path; defaults to the connection's host. */
  serverName?: string;
  /** Skip FSCTL_VALIDATE_NEGOTIATE_INFO on 3.0/3.0.2 (MS-SMB2 3.2.5.5). */
  skipValidateNegotiate?: boolean;
}

/** A connected share (MS-SMB2 3.2.1.4 TreeConnect). */
export class Tree {
  private disconnected = false;

  private constructor(
    readonly session: Session,
    readonly share: string,
    readonly treeId: number,
    readonly shareType: number,
    readonly shareFlags: number,
    readonly maximalAccess: number,
    /** Share demands encryption: SMB2_SHAREFLAG_ENCRYPT_DATA (MS-SMB2 3.2.5.5). */
    readonly encryptData: boolean,
  ) {}

  static async connect(session: Session, share: string, options: TreeConnectOptions): Promise<Tree> {
    const conn = session.connection;
    const server = options.serverName ?? conn.settings.host;
    const dialect = session.negotiation.dialect;
    // 3.1.1 signs TREE_CONNECT so a man in the middle cannot strip encryption (MS-SMB2 3.2.4.1.1).
    const ctx = session.context({ sign: dialect === Dialect.SMB3_1_1 && !session.isGuest });
    const reply = await conn.request(treeConnectCodec, { flags: 0, path: `\\\\${server}\\${share}` }, ctx);
    const body = reply.body;
    const encryptData =
      dialect >= Dialect.SMB3_0 && (body.shareFlags & ShareFlags.SMB2_SHAREFLAG_ENCRYPT_DATA) !== 0;
    if (encryptData && !session.negotiation.cipherId) {
      throw new SmbBenchError(
        ErrorCode.UNSUPPORTED,
        `share ${share} requires encryption but no cipher was negotiated`,
      );
    }
    const tree = new Tree(
      session,
      share,
      reply.header.treeId,
      body.shareType,
      body.shareFlags,
      body.maximalAccess,
      encryptData,
    );
    if (
      (dialect === Dialect.SMB3_0 || dialect === Dialect.SMB3_0_2) &&
      !options.skipValidateNegotiate &&
      !session.isGuest
    ) {
      await validateNegotiate(tree);
    }
    return tree;
  }

  get isConnected(): boolean {
    return !this.disconnected && !this.session.isLoggedOff;
  }

  private defaultContext: RequestContext | undefined;

  /** The request context for operations on this tree. */
  context(extra?: RequestContext): RequestContext {
    // Most calls pass no extras: one shared context instead of two object spreads per request
    // (treeId, encryptData and the session's security are fixed for the tree's life; nothing
    // downstream writes to a context).
    if (extra === undefined)
      return (this.defaultContext ??= this.session.context({
        treeId: this.treeId,
        encrypt: this.encryptData || undefined,
      }));
    return this.session.context({
      ...extra,
      treeId: this.treeId,
      encrypt: this.encryptData || extra?.encrypt,
    });
  }

  /** CREATE (MS-SMB2 3.2.4.3) with every field under the caller's control. */
  async create(request: CreateRequest, extra?: RequestContext): Promise<OpenFile> {
    const conn = this.session.connection;
    const reply = await conn.request(createCodec, request, this.context(extra));
    const response = reply.body as CreateResponse;
    const file = OpenFile.fromCreate(this, request.name, response, leaseKeyOf(response));
    // Register granted caching so breaks get acknowledged (MS-SMB2 3.2.5.19).
    if (file.leaseKey) conn.breaks.registerLease(file.leaseKey, this);
    else if (response.oplockLevel !== OplockLevel.SMB2_OPLOCK_LEVEL_NONE)
      conn.breaks.registerOplock(response.fileId, this);
    return file;
  }

  /** CREATE from plain intent (see open-request.ts), e.g. `tree.open('dir/a.txt', { access: 'write' })`. */
  open(path: string, intent?: OpenIntent, extra?: RequestContext): Promise<OpenFile> {
    return this.create(openRequest(path, intent), extra);
  }

  /**
   * Sends a compound chain on this tree (MS-SMB2 3.2.4.1.4). With `related`, later requests use
   * RELATED_FILE_ID to act on the handle the first one (a CREATE) opens, in one round trip.
   */
  compound(
    items: readonly CompoundItem[],
    related = true,
    extra?: RequestContext,
  ): Promise<PromiseSettledResult<Reply<unknown>>[]> {
    return this.session.connection.compound(items, this.context(extra), related);
  }

  async disconnect(): Promise<void> {
    if (this.disconnected) return;
    this.disconnected = true;
    this.session.forgetTree(this);
    if (!this.session.isLoggedOff) {
      await this.session.connection.request(treeDisconnectCodec, {}, this.context());
    }
  }
}

/** The lease key the server granted (MS-SMB2 2.2.14.2.10/11), if it granted a lease. */
function leaseKeyOf(response: CreateResponse): Buffer | undefined {
  if (response.oplockLevel !== OplockLevel.SMB2_OPLOCK_LEVEL_LEASE) return undefined;
  for (const ctx of response.createContexts) {
    if (ctx.kind === 'leaseV1' || ctx.kind === 'leaseV2') return ctx.leaseKey;
  }
  return undefined;
}
