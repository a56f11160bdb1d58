/**
 * A scripted stand-in for a Tree and its connection, so the virtual user's scheduling logic
 * (deps, background notifies, cancels, retries, iterations) is tested without a server.
 */
import { EventEmitter } from 'node:events';
import { SmbStatusError } from '../../src/client/errors.js';
import type { Tree } from '../../src/client/tree.js';
import type { CommandCodec } from '../../src/smb2/command-codec.js';
import { Command } from '../../src/smb2/constants.js';
import type { UserSession } from '../../src/runner/user-session.js';

export interface SentRequest {
  readonly command: number;
  readonly request: Record<string, unknown>;
  readonly at: number;
}

/** Decides the answer to one request: a status (0 = success, body synthesised), or throws. */
export type Responder = (
  command: number,
  request: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<number>;

let nextFileId = 1n;

function bodyFor(command: number, request: Record<string, unknown>): unknown {
  switch (command) {
    case Command.CREATE:
      return {
        oplockLevel: 0,
        flags: 0,
        createAction: 1,
        creationTime: 0n,
        lastAccessTime: 0n,
        lastWriteTime: 0n,
        changeTime: 0n,
        allocationSize: 0n,
        endOfFile: 100n,
        fileAttributes: 0x20,
        fileId: { persistent: nextFileId, volatile: nextFileId++ },
        createContexts: [],
      };
    case Command.READ:
      return { dataOffset: 0, data: Buffer.alloc(request['length'] as number), dataRemaining: 0, flags: 0 };
    case Command.WRITE:
      return { count: (request['data'] as Buffer).length, remaining: 0 };
    case Command.QUERY_DIRECTORY:
    case Command.QUERY_INFO:
    case Command.CHANGE_NOTIFY:
      return { outputBuffer: Buffer.alloc(8) };
    default:
      return {};
  }
}

export class FakeServer {
  readonly sent: SentRequest[] = [];
  private readonly started = performance.now();

  constructor(private readonly respond: Responder = async () => 0) {}

  readonly tree = {
    session: {
      connection: {
        isClosed: false,
        breaks: Object.assign(new EventEmitter(), { registerLease() {}, registerOplock() {}, forget() {} }),
        request: async (
          codec: CommandCodec<unknown, unknown>,
          request: unknown,
          ctx: { signal?: AbortSignal },
        ) => {
          const req = request as Record<string, unknown>;
          this.sent.push({ command: codec.command, request: req, at: performance.now() - this.started });
          const status = await this.respond(codec.command, req, ctx?.signal);
          if (status !== 0) throw new SmbStatusError(status, codec.command);
          return { status, body: bodyFor(codec.command, req), header: {}, raw: Buffer.alloc(0) };
        },
      },
      negotiation: { dialect: 0x0311, maxReadSize: 1 << 20, maxWriteSize: 1 << 20 },
    },
    context: (extra?: object) => ({ ...extra }),
    compound: async () => [],
  } as unknown as Tree;

  /** A UserSession that is always open on this tree. */
  session(): UserSession {
    const tree = this.tree;
    return {
      tree,
      generation: 1,
      isOpen: true,
      open: async () => tree,
      close: async () => {},
      recover: async () => tree,
    } as unknown as UserSession;
  }

  commands(): number[] {
    return this.sent.map((s) => s.command);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
