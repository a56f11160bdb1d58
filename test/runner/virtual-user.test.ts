import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbStatusError, TimeoutError } from '../../src/client/errors.js';
import type { IrOp } from '../../src/ir/types.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import { OpFeed } from '../../src/runner/op-feed.js';
import { SkipReason } from '../../src/runner/skip-reasons.js';
import { UserPaths } from '../../src/runner/user-paths.js';
import type { UserSession } from '../../src/runner/user-session.js';
import { TransportError } from '../../src/client/errors.js';
import { VirtualUser } from '../../src/runner/virtual-user.js';
import { Semaphore } from '../../src/runner/concurrency.js';
import { EMPTY_PLAN } from '../../src/runner/namespace-plan.js';
import { FillMode } from '../../src/runner/namespace-ops.js';
import { emptyPassTally, UserPasses } from '../../src/runner/pass-namespace.js';
import { makePacing } from '../../src/scheduler/pacing.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { Command } from '../../src/smb2/constants.js';
import { NtStatus } from '../../src/smb2/nt-status.js';
import type { IrReader } from '../../src/ir/ir-reader.js';
import { FakeServer, sleep, type Responder } from './fake-server.js';

const base = (seq: number, deps: number[] = [], t = seq * 10) => ({ seq, user: 'u0', t, status: 0, deps });
const create = (seq: number, handle: string | undefined, status = 0, deps: number[] = []): IrOp =>
  ({
    ...base(seq, deps),
    op: 'create',
    path: `f${seq}`,
    ...(handle ? { handle } : {}),
    desiredAccess: 0x12019f,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition: 1,
    createOptions: 0,
    oplockLevel: 0,
    status,
  }) as IrOp;
const read = (seq: number, handle: string, deps: number[]): IrOp =>
  ({ ...base(seq, deps), op: 'read', handle, offset: 0, length: 10 }) as IrOp;
const close = (seq: number, handle: string, deps: number[]): IrOp =>
  ({ ...base(seq, deps), op: 'close', handle, flags: 0 }) as IrOp;
const echo = (seq: number, deps: number[] = []): IrOp => ({ ...base(seq, deps), op: 'echo' }) as IrOp;

function reader(ops: IrOp[]): IrReader {
  return {
    path: 'x',
    header: {} as IrReader['header'],
    users: [],
    namespace: [],
    end: undefined,
    workloadId: undefined,
    async *ops() {
      yield* ops;
    },
    async close() {},
  };
}

/** Like the real connection: an already aborted signal cancels at once. */
function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
}

async function replay(
  ops: IrOp[],
  respond?: Responder,
  opts: {
    iterations?: number;
    retries?: number;
    session?: (server: FakeServer) => UserSession;
    asyncSlackMs?: number;
    passes?: UserPasses;
  } = {},
) {
  const server = new FakeServer(respond);
  const feed = new OpFeed({
    reader: reader(ops),
    consumers: new Map([['u0', 1]]),
    iterations: opts.iterations ?? 1,
    opCount: ops.length,
  });
  const cursor = feed.cursor('u0');
  await feed.load();
  const scheduler = new Scheduler();
  const metrics = new RunMetrics();
  const user = new VirtualUser({
    index: 0,
    session: opts.session ? opts.session(server) : server.session(),
    paths: new UserPaths('run', 'u0'),
    cursor,
    scheduler,
    metrics,
    options: {
      pacing: makePacing('max'),
      retries: opts.retries ?? 2,
      window: 64,
      asyncSlackMs: opts.asyncSlackMs ?? 50,
      requestDurable: false,
    },
    ...(opts.passes ? { passes: opts.passes } : {}),
  });
  scheduler.start();
  await user.run();
  scheduler.stop();
  return { server, results: metrics.toResults({}) };
}

test('an op waits for its deps; independent ops overlap', async () => {
  const { server, results } = await replay(
    [create(0, 'h0'), read(1, 'h0', [0]), echo(2), close(3, 'h0', [1])],
    async (command) => {
      if (command === Command.CREATE) await sleep(30);
      return 0;
    },
  );
  // The echo (no deps) went out before the slow create finished; read and close after it.
  assert.deepEqual(server.commands(), [Command.CREATE, Command.ECHO, Command.READ, Command.CLOSE]);
  assert.ok(server.sent[2]!.at >= 29, 'read waited for the create');
  assert.equal(results.totals.ops, 4);
  assert.equal(results.fidelity.matchRatio, 1);
});

test('ops on a handle whose create failed are skipped with a counted reason, the stream goes on', async () => {
  const { server, results } = await replay(
    [create(0, 'h0'), read(1, 'h0', [0]), close(2, 'h0', [1]), echo(3, [2])],
    async (command) => (command === Command.CREATE ? NtStatus.STATUS_OBJECT_NAME_NOT_FOUND : 0),
  );
  assert.deepEqual(server.commands(), [Command.CREATE, Command.ECHO]);
  assert.deepEqual(results.skips, {
    [`read: ${SkipReason.HANDLE_UNAVAILABLE}`]: 1,
    [`close: ${SkipReason.HANDLE_UNAVAILABLE}`]: 1,
  });
  assert.equal(results.fidelity.mismatched, 1);
  assert.equal(
    results.perKind['create']!.fidelity.mismatches[
      'expected STATUS_SUCCESS got STATUS_OBJECT_NAME_NOT_FOUND'
    ],
    1,
  );
});

test('a recorded failure reproduced is a match, not an error', async () => {
  const { results } = await replay(
    [create(0, undefined, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)],
    async () => NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.equal(results.fidelity.matched, 1);
  assert.equal(results.totals.errors, 0);
});

test('a change notify does not block later ops and is cancelled at the end of the stream', async () => {
  const notify = {
    ...base(1, [0]),
    op: 'change_notify',
    handle: 'h0',
    flags: 0,
    completionFilter: 1,
    outputBufferLength: 64,
    status: NtStatus.STATUS_CANCELLED,
  } as IrOp;
  const { server, results } = await replay(
    [create(0, 'h0'), notify, echo(2, [0]), echo(3, [2])],
    async (command, _req, signal) => {
      if (command !== Command.CHANGE_NOTIFY) return 0;
      await untilAborted(signal);
      return NtStatus.STATUS_CANCELLED;
    },
  );
  assert.deepEqual(server.commands().slice(0, 4), [
    Command.CREATE,
    Command.CHANGE_NOTIFY,
    Command.ECHO,
    Command.ECHO,
  ]);
  assert.equal(results.perKind['change_notify']!.fidelity.matched, 1);
  // The handle the trace left open is closed by the runner (not measured).
  assert.equal(server.commands().at(-1), Command.CLOSE);
  assert.equal(results.perKind['close'], undefined);
});

test('an IR cancel aborts the pending op it names', async () => {
  const notify = {
    ...base(1, [0]),
    op: 'change_notify',
    handle: 'h0',
    flags: 0,
    completionFilter: 1,
    outputBufferLength: 64,
    status: NtStatus.STATUS_CANCELLED,
  } as IrOp;
  const cancel = { ...base(2, [0]), op: 'cancel', target: 1 } as IrOp;
  let cancelledAt = 0;
  const t0 = performance.now();
  const { results } = await replay(
    [create(0, 'h0'), notify, cancel, close(3, 'h0', [1])],
    async (command, _req, signal) => {
      if (command !== Command.CHANGE_NOTIFY) return 0;
      await untilAborted(signal);
      cancelledAt = performance.now() - t0;
      return NtStatus.STATUS_CANCELLED;
    },
    // A slack far longer than the test: only the IR's cancel can end the notify in time. (Not a
    // timing assert on speed: a busy machine cannot make 60 s pass in a few milliseconds.)
    { asyncSlackMs: 60_000 },
  );
  assert.ok(cancelledAt < 30_000, `cancelled by the IR's cancel, not the slack timer (${cancelledAt} ms)`);
  assert.equal(results.perKind['cancel']!.ops, 1);
  assert.equal(results.perKind['close']!.ops, 1);
});

test('an IR cancel that overtakes its target (--max, no deps) cancels it as soon as it is sent', async () => {
  const notify = {
    ...base(1, [0]),
    op: 'change_notify',
    handle: 'h0',
    flags: 0,
    completionFilter: 1,
    outputBufferLength: 64,
    status: NtStatus.STATUS_CANCELLED,
  } as IrOp;
  const cancel = { ...base(2, []), op: 'cancel', target: 1 } as IrOp;
  let abortedWhenSent: boolean | undefined;
  const { results } = await replay(
    [create(0, 'h0'), notify, cancel, close(3, 'h0', [1])],
    async (command, _req, signal) => {
      // The create is slow, so the cancel (no deps) runs before the notify is even sent.
      if (command === Command.CREATE) await sleep(20);
      if (command !== Command.CHANGE_NOTIFY) return 0;
      abortedWhenSent = signal?.aborted;
      await untilAborted(signal);
      return NtStatus.STATUS_CANCELLED;
    },
  );
  assert.equal(abortedWhenSent, true, 'the notify went out with its cancel already due');
  assert.equal(results.perKind['change_notify']!.fidelity.matched, 1);
  assert.equal(results.perKind['cancel']!.ops, 1);
  assert.equal(results.perKind['close']!.ops, 1);
});

test(
  'an IR cancel of an op of any kind (a READ the server holds) aborts it',
  { timeout: 10_000 },
  async () => {
    const cancel = { ...base(2, [0]), op: 'cancel', target: 1 } as IrOp;
    let readAborted = false;
    const { results } = await replay(
      [create(0, 'h0'), read(1, 'h0', [0]), cancel, close(3, 'h0', [1])],
      async (command, _req, signal) => {
        if (command !== Command.READ) return 0;
        // Held like a pipe READ with nothing to read: only the cancel ends it.
        await untilAborted(signal);
        readAborted = signal !== undefined;
        return NtStatus.STATUS_CANCELLED;
      },
    );
    assert.equal(readAborted, true);
    assert.deepEqual(results.perKind['read']!.statuses, { STATUS_CANCELLED: 1 });
    assert.equal(results.perKind['close']!.ops, 1);
  },
);

test('an IR cancel whose target already completed is a counted skip', async () => {
  const notify = {
    ...base(1, [0]),
    op: 'change_notify',
    handle: 'h0',
    flags: 0,
    completionFilter: 1,
    outputBufferLength: 64,
  } as IrOp;
  const cancel = { ...base(2, [1]), op: 'cancel', target: 1 } as IrOp;
  const { results } = await replay([create(0, 'h0'), notify, cancel, close(3, 'h0', [1])]);
  assert.deepEqual(results.skips, { [`cancel: ${SkipReason.CANCEL_TARGET_DONE}`]: 1 });
  assert.equal(results.perKind['change_notify']!.fidelity.matched, 1);
  assert.equal(results.perKind['close']!.ops, 1);
});

test('a compound holding a change notify is cancelled like a lone one', async () => {
  let chainSignal: AbortSignal | undefined;
  const server = new FakeServer();
  const tree = server.tree as unknown as {
    compound: (items: unknown, related: unknown, ctx?: { signal?: AbortSignal }) => Promise<unknown[]>;
  };
  tree.compound = async (items: unknown, _related: unknown, ctx?: { signal?: AbortSignal }) => {
    chainSignal = ctx?.signal;
    await untilAborted(chainSignal);
    return (items as unknown[]).map(() => ({
      status: 'rejected',
      reason: new SmbStatusError(NtStatus.STATUS_CANCELLED, Command.CHANGE_NOTIFY),
    }));
  };
  const chain = { id: 0, size: 2 };
  const createInChain = { ...create(0, 'h0'), compound: { ...chain, index: 0, related: false } } as IrOp;
  const notify = {
    ...base(1, []),
    op: 'change_notify',
    handle: 'h0',
    flags: 0,
    completionFilter: 1,
    outputBufferLength: 64,
    status: NtStatus.STATUS_CANCELLED,
    compound: { ...chain, index: 1, related: true },
  } as IrOp;
  const cancel = { ...base(2, []), op: 'cancel', target: 1 } as IrOp;
  const { results } = await replay([createInChain, notify, cancel], undefined, {
    session: () => server.session(),
  });
  assert.ok(chainSignal?.aborted, 'the chain was sent with a signal, and the IR cancel aborted it');
  assert.equal(results.perKind['change_notify']!.fidelity.matched, 1);
});

test('timeouts of replay-safe ops are retried; the retry is counted', async () => {
  let reads = 0;
  const { results } = await replay(
    [create(0, 'h0'), read(1, 'h0', [0]), close(2, 'h0', [1])],
    async (command) => {
      if (command === Command.READ && reads++ === 0) throw new TimeoutError('slow');
      return 0;
    },
  );
  assert.equal(results.retries, 1);
  assert.equal(results.fidelity.matched, 3);
});

test('non-replayable ops are not retried: the failure is recorded with its error code', async () => {
  const { results } = await replay([create(0, 'h0'), close(1, 'h0', [0])], async (command) => {
    if (command === Command.CLOSE) throw new TimeoutError('slow');
    return 0;
  });
  assert.equal(results.retries, 0);
  assert.equal(results.perKind['close']!.statuses['ERR_SMB_TIMEOUT'], 1);
  assert.equal(results.totals.errors, 1);
});

test('iterations replay the stream again with fresh handles', async () => {
  const { server, results } = await replay(
    [create(0, 'h0'), read(1, 'h0', [0]), close(2, 'h0', [1])],
    undefined,
    { iterations: 3 },
  );
  assert.equal(results.totals.ops, 9);
  const fileIds = server.sent
    .filter((s) => s.command === Command.READ)
    .map((s) => (s.request['fileId'] as { volatile: bigint }).volatile);
  assert.equal(new Set(fileIds).size, 3);
});

test('fresh passes: pass k replays in its own directory; a failed per-pass prepare is counted', async () => {
  const tally = emptyPassTally();
  const passes = new UserPasses({
    mode: 'fresh',
    runRoot: 'run',
    dirName: 'u0',
    plan: EMPTY_PLAN,
    fill: FillMode.auto,
    fillThreshold: 0,
    limiter: new Semaphore(4),
    tally,
  });
  const { server, results } = await replay([create(0, 'h0'), close(1, 'h0', [0])], undefined, {
    iterations: 3,
    passes,
  });
  assert.equal(results.totals.ops, 6);
  const names = server.sent
    .filter((s) => s.command === Command.CREATE)
    .map((s) => s.request['name'] as string);
  assert.deepEqual(names, ['run\\u0\\f0', 'run\\u0@pass1\\f0', 'run\\u0@pass2\\f0']);
  // This fake tree cannot make directories: each per-pass prepare failed, was counted, and the
  // pass still replayed.
  assert.equal(tally.passes + tally.failures, 2);
  assert.match(tally.firstError ?? '', /^pass 1 of run\/u0@pass1: /);
});

test('an expired session is re-established and the op retried once', async () => {
  let expired = true;
  let recoveries = 0;
  const { results } = await replay(
    [echo(0), echo(1, [0])],
    async (command) => {
      if (command === Command.ECHO && expired) {
        expired = false;
        return NtStatus.STATUS_NETWORK_SESSION_EXPIRED;
      }
      return 0;
    },
    {
      session: (server) => {
        const s = server.session() as unknown as { recover: () => Promise<unknown> };
        s.recover = async () => {
          recoveries++;
          return server.tree;
        };
        return s as unknown as UserSession;
      },
    },
  );
  assert.equal(recoveries, 1);
  assert.equal(results.retries, 1);
  assert.equal(results.fidelity.matched, 2);
});

test('after a reconnect, handles that were not durable are lost and their ops skipped', async () => {
  const replacement = new FakeServer();
  let failed = false;
  const { results } = await replay(
    [create(0, 'h0'), echo(1, [0]), read(2, 'h0', [1]), close(3, 'h0', [2])],
    async (command) => {
      if (command === Command.ECHO && !failed) {
        failed = true;
        throw new TransportError('connection reset');
      }
      return 0;
    },
    {
      session: (server) => {
        let tree = server.tree;
        const s = {
          get tree() {
            return tree;
          },
          generation: 1,
          isOpen: true,
          open: async () => tree,
          close: async () => {},
          recover: async () => {
            tree = replacement.tree;
            s.generation++;
            return tree;
          },
        };
        return s as unknown as UserSession;
      },
    },
  );
  // The echo is replay-safe: retried on the new connection.
  assert.equal(results.retries, 1);
  assert.deepEqual(replacement.commands(), [Command.ECHO]);
  assert.deepEqual(results.skips, {
    [`read: ${SkipReason.HANDLE_LOST}`]: 1,
    [`close: ${SkipReason.HANDLE_LOST}`]: 1,
  });
});
