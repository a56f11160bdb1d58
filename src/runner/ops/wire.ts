/**
 * Sending built requests and turning answers into WireReply. A status answer is a result, not an
 * exception (fidelity compares it with the IR); transport errors, timeouts and the "session is
 * gone" statuses are thrown, because the retry policy decides what happens next.
 */
import { SmbStatusError } from '../../client/errors.js';
import type { CompoundItem } from '../../client/connection.js';
import type { Tree } from '../../client/tree.js';
import { isSessionGoneStatus } from '../retry-policy.js';
import type { WireReply, WireRequest } from './op-executor.js';

function treeOf(req: WireRequest, fallback: Tree): Tree {
  return req.tree ?? fallback;
}

/**
 * Sends one request; resolves with its status and body, throws on anything but a status.
 * Aborting `signal` sends SMB2 CANCEL for it (MS-SMB2 3.2.4.24).
 */
export async function sendOne(req: WireRequest, currentTree: Tree, signal?: AbortSignal): Promise<WireReply> {
  const tree = treeOf(req, currentTree);
  try {
    const reply = await tree.session.connection.request(
      req.codec,
      req.request,
      tree.context({ ...(signal ? { signal } : {}), ...req.context, payloadSize: req.payloadSize }),
    );
    return { status: reply.status, body: reply.body };
  } catch (err) {
    if (err instanceof SmbStatusError && !isSessionGoneStatus(err.status))
      return { status: err.status, body: undefined };
    throw err;
  }
}

/**
 * Sends a compound chain (MS-SMB2 3.2.4.1.4) on the current tree. Each element settles on its own:
 * the result is a WireReply per request, or the error that the element failed with when it was not
 * a plain status (the chain's transport failed, or the session is gone). Aborting `signal` cancels
 * the elements still pending (a CHANGE_NOTIFY at the end of a chain, say).
 */
export async function sendChain(
  reqs: readonly WireRequest[],
  currentTree: Tree,
  related: boolean,
  signal?: AbortSignal,
): Promise<(WireReply | Error)[]> {
  const items: CompoundItem[] = reqs.map((r) => ({
    codec: r.codec,
    request: r.request,
    payloadSize: r.payloadSize,
  }));
  const settled = await currentTree.compound(items, related, signal ? { signal } : undefined);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return { status: s.value.status, body: s.value.body };
    const err = s.reason as unknown;
    if (err instanceof SmbStatusError && !isSessionGoneStatus(err.status))
      return { status: err.status, body: undefined };
    return err instanceof Error ? err : new Error(String(err));
  });
}
