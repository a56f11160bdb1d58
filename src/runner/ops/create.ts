/**
 * CREATE (MS-SMB2 2.2.13) replayed with the recorded fields, the path moved under the user's
 * directory, and the create contexts rebuilt for this connection: a lease when the capture asked
 * for one (v2 on 3.x, v1 on 2.1, a batch oplock on 2.0.2, which has no leases), MxAc and QFid as
 * recorded, and a durable v2 request (DH2Q, 2.2.13.2.11) when recorded or with `--durable`.
 */
import { randomBytes } from 'node:crypto';
import type { Tree } from '../../client/tree.js';
import { splitStreamPath } from '../../ir/ir-stream-path.js';
import type { IrCreateOp } from '../../ir/types.js';
import { isNtError } from '../../ir/nt-status.js';
import { closeCodec } from '../../smb2/commands/close.js';
import {
  createCodec,
  FileAttributes,
  ImpersonationLevel,
  OplockLevel,
  type CreateRequest,
  type CreateRequestContext,
  type CreateResponse,
} from '../../smb2/commands/create.js';
import { Dialect } from '../../smb2/constants.js';
import { LeaseState } from '../../smb2/create-contexts/lease.js';
import type { DurableState } from '../handle-table.js';
import { OpSkipped, SkipReason } from '../skip-reasons.js';
import type { OpExecutor, OpResult, WireReply, WireRequest } from './op-executor.js';
import type { UserOpState } from './user-op-state.js';
import { sendOne } from './wire.js';

const DEFAULT_LEASE_STATE = LeaseState.SMB2_LEASE_READ_CACHING | LeaseState.SMB2_LEASE_HANDLE_CACHING;

function leaseContext(op: IrCreateOp, dialect: number, key: Buffer): CreateRequestContext {
  const leaseState = op.leaseState ?? DEFAULT_LEASE_STATE;
  if (dialect >= Dialect.SMB3_0) {
    return {
      kind: 'leaseV2',
      leaseKey: key,
      leaseState,
      leaseFlags: 0,
      leaseDuration: 0n,
      parentLeaseKey: Buffer.alloc(16),
      epoch: 0,
    };
  }
  return { kind: 'leaseV1', leaseKey: key, leaseState, leaseFlags: 0, leaseDuration: 0n };
}

function streamOf(path: string): { streamName?: string } {
  const { stream } = splitStreamPath(path);
  return stream === undefined ? {} : { streamName: stream };
}

/** The CREATE request for an IR create op on `tree`, plus the durable state to remember if granted. */
export function buildCreateRequest(
  op: IrCreateOp,
  user: UserOpState,
  tree: Tree,
): { request: CreateRequest; createGuid: Buffer | undefined } {
  let name: string;
  try {
    name = user.paths.wirePath(op.path);
  } catch {
    throw new OpSkipped(SkipReason.BAD_PATH);
  }
  const dialect = tree.session.negotiation.dialect;
  const contexts: CreateRequestContext[] = [];
  let oplockLevel = op.oplockLevel;
  if (oplockLevel === OplockLevel.SMB2_OPLOCK_LEVEL_LEASE) {
    if (dialect >= Dialect.SMB2_1) contexts.push(leaseContext(op, dialect, user.leaseKeyFor(name)));
    else oplockLevel = OplockLevel.SMB2_OPLOCK_LEVEL_BATCH;
  }
  const recorded = new Set(op.contexts ?? []);
  if (recorded.has('MxAc')) contexts.push({ kind: 'maximalAccess' });
  if (recorded.has('QFid')) contexts.push({ kind: 'queryOnDiskId' });
  let createGuid: Buffer | undefined;
  const wantsDurable = user.requestDurable || recorded.has('DH2Q') || recorded.has('DHnQ');
  if (wantsDurable && dialect >= Dialect.SMB3_0) {
    createGuid = randomBytes(16);
    contexts.push({ kind: 'durableV2', timeout: 0, flags: 0, createGuid });
  } else if (wantsDurable && dialect >= Dialect.SMB2_1 && recorded.has('DHnQ')) {
    contexts.push({ kind: 'durableV1' });
  }
  const request: CreateRequest = {
    requestedOplockLevel: oplockLevel,
    impersonationLevel: op.impersonationLevel ?? ImpersonationLevel.Impersonation,
    desiredAccess: op.desiredAccess,
    fileAttributes: op.fileAttributes,
    shareAccess: op.shareAccess,
    createDisposition: op.createDisposition,
    createOptions: op.createOptions,
    name,
    createContexts: contexts,
  };
  return { request, createGuid };
}

/** The lease key the server granted (MS-SMB2 2.2.14.2.10/11), if it granted a lease. */
export function grantedLeaseKey(response: CreateResponse): Buffer | undefined {
  if (response.oplockLevel !== OplockLevel.SMB2_OPLOCK_LEVEL_LEASE) return undefined;
  for (const ctx of response.createContexts) {
    if (ctx.kind === 'leaseV1' || ctx.kind === 'leaseV2') return ctx.leaseKey;
  }
  return undefined;
}

/** Registers granted caching with the connection's break handler so breaks get acknowledged (3.2.5.19). */
export function registerCaching(tree: Tree, response: CreateResponse, leaseKey: Buffer | undefined): void {
  const breaks = tree.session.connection.breaks;
  if (leaseKey) breaks.registerLease(leaseKey, tree);
  else if (response.oplockLevel !== OplockLevel.SMB2_OPLOCK_LEVEL_NONE)
    breaks.registerOplock(response.fileId, tree);
}

function isDurableGranted(response: CreateResponse): boolean {
  return response.createContexts.some((c) => c.kind === 'durableV2' || c.kind === 'durableV1');
}

/** Closes an open the IR did not expect (the original create failed but the replay's succeeded). */
function closeOrphan(tree: Tree, response: CreateResponse): void {
  tree.session.connection.breaks.forget(response.fileId, grantedLeaseKey(response));
  void sendOne({ codec: closeCodec, request: { flags: 0, fileId: response.fileId } }, tree).catch(
    () => undefined,
  );
}

interface CreateSent extends WireRequest {
  readonly createGuid?: Buffer;
}

export const createExecutor: OpExecutor<'create'> = {
  build(op, user) {
    const tree = user.tree;
    const { request, createGuid } = buildCreateRequest(op, user, tree);
    const sent: CreateSent = { codec: createCodec, request, createGuid };
    return sent;
  },

  finish(op, user, reply: WireReply, sent: WireRequest): OpResult {
    const tree = sent.tree ?? user.tree;
    if (isNtError(reply.status) || reply.body === undefined) {
      if (op.handle !== undefined) user.handles.unavailable(op.handle);
      return { status: reply.status, bytes: 0 };
    }
    const response = reply.body as CreateResponse;
    const leaseKey = grantedLeaseKey(response);
    if (op.handle === undefined) {
      closeOrphan(tree, response);
      return { status: reply.status, bytes: 0 };
    }
    registerCaching(tree, response, leaseKey);
    const createGuid = (sent as CreateSent).createGuid;
    const durable: DurableState | undefined =
      createGuid && isDurableGranted(response)
        ? { createGuid, request: sent.request as CreateRequest }
        : undefined;
    user.handles.opened(op.handle, {
      fileId: response.fileId,
      tree,
      leaseKey,
      isDirectory: (response.fileAttributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY) !== 0,
      size: response.endOfFile,
      durable,
      path: op.path,
      ...streamOf(op.path),
    });
    return { status: reply.status, bytes: 0 };
  },
};
