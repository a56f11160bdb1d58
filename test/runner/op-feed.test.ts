import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrReader } from '../../src/ir/ir-reader.js';
import type { IrOp } from '../../src/ir/types.js';
import { ITERATION_END, OpFeed, type FeedCursor, type FeedEntry } from '../../src/runner/op-feed.js';

function fakeReader(ops: IrOp[]): IrReader & { passes: number } {
  const reader = {
    passes: 0,
    path: 'fake.smbw',
    header: {} as IrReader['header'],
    users: [],
    namespace: [],
    end: undefined,
    workloadId: undefined,
    async *ops(filter?: { users?: Iterable<string> }) {
      reader.passes++;
      const wanted = filter?.users ? new Set(filter.users) : undefined;
      for (const op of ops) if (!wanted || wanted.has(op.user)) yield op;
    },
    async close() {},
  };
  return reader;
}

const echo = (seq: number, user: string): IrOp =>
  ({ seq, user, t: seq, op: 'echo', status: 0, deps: [] }) as IrOp;

async function drain(cursor: FeedCursor, limit = 10_000): Promise<(number | 'end')[]> {
  const out: (number | 'end')[] = [];
  for (let i = 0; i < limit; i++) {
    const e: FeedEntry | undefined = await cursor.next();
    if (e === undefined) return out;
    out.push(e === ITERATION_END ? 'end' : e.seq);
  }
  throw new Error('cursor did not end');
}

test('in memory: each user sees its own units; copies share them; iterations re-walk one pass', async () => {
  const ops = [echo(0, 'u0'), echo(1, 'u1'), echo(2, 'u0'), echo(3, 'u2')];
  const reader = fakeReader(ops);
  const feed = new OpFeed({
    reader,
    consumers: new Map([
      ['u0', 2],
      ['u1', 1],
    ]),
    iterations: 2,
    opCount: 4,
  });
  const a = feed.cursor('u0');
  const b = feed.cursor('u0');
  const c = feed.cursor('u1');
  await feed.load();
  assert.equal(feed.inMemory, true);
  assert.deepEqual(await drain(a), [0, 2, 'end', 0, 2]);
  assert.deepEqual(await drain(b), [0, 2, 'end', 0, 2]);
  assert.deepEqual(await drain(c), [1, 'end', 1]);
  assert.equal(reader.passes, 1);
});

test('streaming: one pass per iteration, consumers wait for data', async () => {
  const ops = Array.from({ length: 50 }, (_, i) => echo(i, i % 2 === 0 ? 'u0' : 'u1'));
  const reader = fakeReader(ops);
  const feed = new OpFeed({
    reader,
    consumers: new Map([
      ['u0', 1],
      ['u1', 1],
    ]),
    iterations: 2,
    opCount: 50,
    maxOpsInMemory: 10,
    lookahead: 8,
  });
  const a = feed.cursor('u0');
  const b = feed.cursor('u1');
  const { done } = await feed.load();
  assert.equal(feed.inMemory, false);
  const [ra, rb] = await Promise.all([drain(a), drain(b)]);
  await done;
  const evens = ops.filter((o) => o.user === 'u0').map((o) => o.seq);
  const odds = ops.filter((o) => o.user === 'u1').map((o) => o.seq);
  assert.deepEqual(ra, [...evens, 'end', ...evens]);
  assert.deepEqual(rb, [...odds, 'end', ...odds]);
  assert.equal(reader.passes, 2);
});

test('streaming back-pressure: reading pauses while the slowest consumer is a window behind', async () => {
  const ops = Array.from({ length: 200 }, (_, i) => echo(i, 'u0'));
  const feed = new OpFeed({
    reader: fakeReader(ops),
    consumers: new Map([['u0', 2]]),
    iterations: 1,
    opCount: 200,
    maxOpsInMemory: 0,
    lookahead: 16,
  });
  const fast = feed.cursor('u0');
  const slow = feed.cursor('u0');
  const { done } = await feed.load();
  // The fast consumer cannot get more than the lookahead ahead of the slow one.
  let got = 0;
  let pending: Promise<FeedEntry | undefined> | undefined;
  for (;;) {
    const next = fast.next();
    if (next instanceof Promise) {
      const raced = await Promise.race([next, new Promise((r) => setTimeout(() => r('blocked'), 50))]);
      if (raced === 'blocked') {
        pending = next;
        break;
      }
    }
    got++;
  }
  assert.ok(got <= 16 + 1, `fast consumer got ${got}`);
  assert.ok(pending, 'the fast consumer was held back');
  slow.close();
  assert.notEqual(await pending, undefined);
  assert.equal((await drain(fast)).length + got + 1, 200);
  await done;
});

test('stop() ends the streams after what is queued', async () => {
  const ops = Array.from({ length: 100 }, (_, i) => echo(i, 'u0'));
  const feed = new OpFeed({
    reader: fakeReader(ops),
    consumers: new Map([['u0', 1]]),
    iterations: 3,
    opCount: 100,
    maxOpsInMemory: 0,
    lookahead: 4,
  });
  const c = feed.cursor('u0');
  const { done } = await feed.load();
  await c.next();
  feed.stop();
  await done;
  const rest = await drain(c);
  assert.ok(rest.length < 300);
});
