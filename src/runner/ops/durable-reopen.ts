/**
 * Reclaiming durable handles after a reconnect (MS-SMB2 3.2.4.4 "Re-establishing a Durable
 * Open"): the original CREATE is sent again on the new session with an
 * SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2 context (DH2C, 2.2.13.2.12) carrying the old FileId and
 * CreateGuid, and the lease context with the same key. Non-durable handles cannot be reclaimed and
 * become unavailable: their later ops are skipped as "handle lost on reconnect".
 */
import type { Tree } from '../../client/tree.js';
import { createCodec, type CreateRequest, type CreateResponse } from '../../smb2/commands/create.js';
import type { HandleTable } from '../handle-table.js';
import { SkipReason } from '../skip-reasons.js';
import { grantedLeaseKey, registerCaching } from './create.js';
import { sendOne } from './wire.js';

export interface ReopenCounts {
  reopened: number;
  lost: number;
}

/** Moves every open handle onto `tree`: durable ones by DH2C, the rest marked lost. */
export async function reclaimHandles(handles: HandleTable, tree: Tree): Promise<ReopenCounts> {
  const counts: ReopenCounts = { reopened: 0, lost: 0 };
  await Promise.all(
    handles.openHandles().map(async ([id, open]) => {
      if (open.tree === tree) return;
      if (!open.durable) {
        handles.unavailable(id, SkipReason.HANDLE_LOST);
        counts.lost++;
        return;
      }
      const original = open.durable.request;
      const request: CreateRequest = {
        ...original,
        createContexts: [
          ...(original.createContexts ?? []).filter((c) => c.kind === 'leaseV1' || c.kind === 'leaseV2'),
          { kind: 'durableReconnectV2', fileId: open.fileId, createGuid: open.durable.createGuid, flags: 0 },
        ],
      };
      try {
        const reply = await sendOne({ codec: createCodec, request }, tree);
        if (reply.status !== 0 || reply.body === undefined) throw new Error('reconnect refused');
        const response = reply.body as CreateResponse;
        const leaseKey = grantedLeaseKey(response) ?? open.leaseKey;
        registerCaching(tree, response, leaseKey);
        handles.opened(id, { ...open, fileId: response.fileId, tree, leaseKey });
        counts.reopened++;
      } catch {
        handles.unavailable(id, SkipReason.HANDLE_LOST);
        counts.lost++;
      }
    }),
  );
  return counts;
}
