/**
 * A tiny scripted SMB2 client/server conversation for compiler tests: negotiate, an NTLM logon,
 * tree connects and file operations, each as a request and (unless told otherwise) its response.
 * Message ids count up per connection like a real client's.
 */
import { encodeAuthenticateMessage } from '../../../src/auth/ntlm/authenticate-message.js';
import { NegotiateFlags } from '../../../src/auth/ntlm/constants.js';
import { encodeNegTokenResp } from '../../../src/auth/spnego/neg-token-resp.js';
import { closeCodec } from '../../../src/smb2/commands/close.js';
import { createCodec, CreateDisposition, type CreateRequest } from '../../../src/smb2/commands/create.js';
import { queryDirectoryCodec } from '../../../src/smb2/commands/query-directory.js';
import { readCodec } from '../../../src/smb2/commands/read.js';
import { sessionSetupCodec } from '../../../src/smb2/commands/session-setup.js';
import { treeConnectCodec } from '../../../src/smb2/commands/tree-connect.js';
import { writeCodec } from '../../../src/smb2/commands/write.js';
import { Command, type FileId } from '../../../src/smb2/constants.js';
import {
  createResponseBody,
  emptyBody,
  errorBody,
  negotiateResponseBody,
  readResponseBody,
  requestBody,
  sessionSetupResponseBody,
  TraceBuilder,
  treeConnectResponseBody,
  writeResponseBody,
} from './trace-builder.js';

export const Status = {
  SUCCESS: 0,
  MORE_PROCESSING_REQUIRED: 0xc0000016,
  OBJECT_NAME_NOT_FOUND: 0xc0000034,
  OBJECT_NAME_COLLISION: 0xc0000035,
  PENDING: 0x103,
  CANCELLED: 0xc0000120,
  NO_MORE_FILES: 0x80000006,
} as const;

export function ntlmAuthenticateToken(domain: string, user: string, spnego = true): Buffer {
  const token = encodeAuthenticateMessage({
    negotiateFlags: NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE,
    lmChallengeResponse: Buffer.alloc(24),
    ntChallengeResponse: Buffer.alloc(48, 1),
    domainName: domain,
    userName: user,
    workstation: 'WS',
    encryptedRandomSessionKey: Buffer.alloc(16),
  });
  return spnego ? encodeNegTokenResp({ responseToken: token }) : token;
}

export function fid(n: number): FileId {
  return { persistent: BigInt(n), volatile: BigInt(1000 + n) };
}

export interface CreateStep {
  name: string;
  fileId?: FileId;
  disposition?: number;
  createOptions?: number;
  action?: number;
  status?: number;
  endOfFile?: bigint;
  attributes?: number;
  /** DesiredAccess; default read (0x120089). */
  access?: number;
}

export class SmbScript {
  private nextId = 0;
  sessionId = 0n;
  treeId = 0;

  /** `conn` picks the TCP connection; scripts sharing a builder interleave in one capture. */
  constructor(
    readonly conn = 0,
    readonly b = new TraceBuilder(),
  ) {}

  /** Allocates the next MessageId. */
  mid(): number {
    return this.nextId++;
  }

  hdr(messageId: number, extra: { status?: number; flags?: number; asyncId?: bigint } = {}) {
    return { messageId, sessionId: this.sessionId, treeId: this.treeId, ...extra };
  }

  negotiate(dialect = 0x0311): this {
    const m = this.mid();
    this.b.request(Command.NEGOTIATE, emptyBody(36), { messageId: m }, this.conn);
    this.b.response(Command.NEGOTIATE, negotiateResponseBody(dialect), { messageId: m }, this.conn);
    return this;
  }

  login(domain: string, user: string, sessionId = 0x1000n + BigInt(this.conn), spnego = true): this {
    const m1 = this.mid();
    const negotiate = Buffer.from('NTLMSSP\0\x01\0\0\0\0\0\0\0', 'latin1');
    const setup = (token: Buffer) =>
      requestBody(sessionSetupCodec, {
        flags: 0,
        securityMode: 1,
        capabilities: 0,
        channel: 0,
        previousSessionId: 0n,
        securityBuffer: token,
      });
    this.b.request(Command.SESSION_SETUP, setup(negotiate), { messageId: m1 }, this.conn);
    this.b.response(
      Command.SESSION_SETUP,
      sessionSetupResponseBody(),
      { messageId: m1, sessionId, status: Status.MORE_PROCESSING_REQUIRED },
      this.conn,
    );
    this.sessionId = sessionId;
    const m2 = this.mid();
    this.b.request(
      Command.SESSION_SETUP,
      setup(ntlmAuthenticateToken(domain, user, spnego)),
      this.hdr(m2),
      this.conn,
    );
    this.b.response(Command.SESSION_SETUP, sessionSetupResponseBody(), this.hdr(m2), this.conn);
    return this;
  }

  treeConnect(share: string, treeId: number, shareType = 1): this {
    const m = this.mid();
    this.b.request(
      Command.TREE_CONNECT,
      requestBody(treeConnectCodec, { flags: 0, path: `\\\\srv\\${share}` }),
      this.hdr(m),
      this.conn,
    );
    this.treeId = treeId;
    this.b.response(Command.TREE_CONNECT, treeConnectResponseBody(shareType), this.hdr(m), this.conn);
    return this;
  }

  createBody(step: CreateStep): Buffer {
    const req: CreateRequest = {
      requestedOplockLevel: 0,
      impersonationLevel: 2,
      desiredAccess: step.access ?? 0x120089,
      fileAttributes: 0,
      shareAccess: 7,
      createDisposition: step.disposition ?? CreateDisposition.FILE_OPEN,
      createOptions: step.createOptions ?? 0,
      name: step.name,
    };
    return requestBody(createCodec, req);
  }

  createResponse(step: CreateStep): { body: Buffer; status: number } {
    const status = step.status ?? Status.SUCCESS;
    if (status !== Status.SUCCESS) return { body: errorBody(), status };
    return {
      body: createResponseBody({
        fileId: step.fileId ?? fid(0),
        createAction: step.action ?? 1,
        ...(step.endOfFile === undefined ? {} : { endOfFile: step.endOfFile }),
        ...(step.attributes === undefined ? {} : { attributes: step.attributes }),
      }),
      status,
    };
  }

  create(step: CreateStep): this {
    const m = this.mid();
    this.b.request(Command.CREATE, this.createBody(step), this.hdr(m), this.conn);
    const r = this.createResponse(step);
    this.b.response(Command.CREATE, r.body, this.hdr(m, { status: r.status }), this.conn);
    return this;
  }

  close(fileId: FileId): this {
    const m = this.mid();
    this.b.request(Command.CLOSE, requestBody(closeCodec, { flags: 0, fileId }), this.hdr(m), this.conn);
    this.b.response(Command.CLOSE, emptyBody(60), this.hdr(m), this.conn);
    return this;
  }

  read(fileId: FileId, offset: number, length: number, returned = length): this {
    const m = this.mid();
    const body = requestBody(readCodec, {
      padding: 0x50,
      flags: 0,
      length,
      offset: BigInt(offset),
      fileId,
      minimumCount: 0,
      channel: 0,
      remainingBytes: 0,
    });
    this.b.request(Command.READ, body, this.hdr(m), this.conn);
    this.b.response(Command.READ, readResponseBody(returned), this.hdr(m), this.conn);
    return this;
  }

  write(fileId: FileId, offset: number, data: Buffer): this {
    const m = this.mid();
    this.b.request(
      Command.WRITE,
      requestBody(writeCodec, { offset: BigInt(offset), fileId, data, flags: 0 }),
      this.hdr(m),
      this.conn,
    );
    this.b.response(Command.WRITE, writeResponseBody(data.length), this.hdr(m), this.conn);
    return this;
  }

  queryDirectoryBody(fileId: FileId, pattern = '*', infoClass = 37): Buffer {
    return requestBody(queryDirectoryCodec, {
      fileInformationClass: infoClass,
      flags: 0,
      fileIndex: 0,
      fileId,
      fileName: pattern,
      outputBufferLength: 65536,
    });
  }
}
