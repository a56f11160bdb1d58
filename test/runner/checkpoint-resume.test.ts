/**
 * Checkpoint and resume at the level of one virtual user, against the scripted fake server: a
 * "crash" while an op is in flight, then a resume from the snapshot taken at that instant. Every
 * op must be measured exactly once over the two segments, units before the resume point are not
 * sent again, and units after it are sent again (to re-open handles) without being measured twice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IrReader } from '../../src/ir/ir-reader.js';
import type { IrOp } from '../../src/ir/types.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunResults } from '../../src/observe/run-results.js';
import { UserProgress } from '../../src/runner/checkpoint-progress.js';
import { combineSegments } from '../../src/runner/checkpoint-results.js';
import type { UserCheckpoint } from '../../src/runner/checkpoint-format.js';
import { OpFeed } from '../../src/runner/op-feed.js';
import { UserPaths } from '../../src/runner/user-paths.js';
import { VirtualUser } from '../../src/runner/virtual-user.js';
import { makePacing } from '../../src/scheduler/pacing.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { Command } from '../../src/smb2/constants.js';
import { FakeServer, sleep, type Responder } from './fake-server.js';

const base = (seq: number, deps: number[]) => ({ seq, user: 'u0', t: seq * 10, status: 0, deps });
const create = (seq: number, handle: string, deps: number[] = []): IrOp =>
  ({
    ...base(seq, deps),
    op: 'create',
    path: `f${seq}`,
    handle,
    desiredAccess: 0x12019f,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition: 1,
    createOptions: 0,
    oplockLevel: 0,
  }) as IrOp;
const read = (seq: number, handle: string, deps: number[]): IrOp =>
  ({ ...base(seq, deps), op: 'read', handle, offset: 0, length: 10 }) as IrOp;
const close = (seq: number, handle: string, deps: number[]): IrOp =>
  ({ ...base(seq, deps), op: 'close', handle, flags: 0 }) as IrOp;

/** Three open/read/close groups in sequence: quiescent points after each close. */
const OPS: IrOp[] = [
  create(0, 'h0'),
  read(1, 'h0', [0]),
  close(2, 'h0', [1]),
  create(3, 'h1', [2]),
  read(4, 'h1', [3]),
  close(5, 'h1', [4]),
  create(6, 'h2', [5]),
  read(7, 'h2', [6]),
  read(8, 'h2', [6]),
  close(9, 'h2', [7, 8]),
];

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

interface Segment {
  readonly server: FakeServer;
  readonly user: VirtualUser;
  readonly progress: UserProgress;
  readonly metrics: RunMetrics;
  readonly warm: RunMetrics;
  readonly scheduler: Scheduler;
}

async function startSegment(respond: Responder, resume?: UserCheckpoint): Promise<Segment> {
  const server = new FakeServer(respond);
  const feed = new OpFeed({
    reader: reader(OPS),
    consumers: new Map([['u0', 1]]),
    iterations: 1,
    opCount: OPS.length,
  });
  const cursor = feed.cursor('u0');
  await feed.load();
  const scheduler = new Scheduler();
  const metrics = new RunMetrics();
  const warm = new RunMetrics();
  const progress = new UserProgress(0, resume);
  const user = new VirtualUser({
    index: 0,
    session: server.session(),
    paths: new UserPaths('run', 'u0'),
    cursor,
    scheduler,
    metrics,
    options: { pacing: makePacing('max'), retries: 0, window: 64, asyncSlackMs: 50, requestDurable: false },
    progress,
    warmMetrics: warm,
  });
  scheduler.start();
  void user.run();
  return { server, user, progress, metrics, warm, scheduler };
}

const measuredUnits = (r: RunResults): number =>
  r.totals.ops + Object.values(r.skips).reduce((n, k) => n + k, 0);

test('a crash mid-run and a resume measure every op exactly once', async () => {
  // Segment 1: the first read of h2 (ordinal 7) hangs: the "crash" happens while it is in flight.
  let reads = 0;
  let release!: () => void;
  const hang = new Promise<void>((resolve) => (release = resolve));
  const first = await startSegment(async (command) => {
    if (command === Command.READ && ++reads === 3) await hang;
    return 0;
  });
  while (reads < 3) await sleep(2);
  await sleep(10);
  // The checkpoint: progress and metrics at the same instant.
  const checkpoint = first.progress.snapshot();
  const before = first.metrics.toResults({});
  // h0 and h1 were opened and closed: the resume point is the create of h2 (ordinal 6).
  assert.equal(checkpoint.resumeAt, 6);
  assert.equal(checkpoint.done, false);
  // Ordinals 6 (create h2) and 8 (second read) completed after the point: measured already.
  assert.deepEqual(checkpoint.measured, [
    [6, 7],
    [8, 9],
  ]);
  assert.equal(measuredUnits(before), 8);
  // Let the crashed segment end; nothing it does from now on is in the checkpoint.
  release();
  first.user.stop();
  await first.user.done;
  first.scheduler.stop();

  // Segment 2: resume from the checkpoint.
  const second = await startSegment(async () => 0, checkpoint);
  await second.user.done;
  second.scheduler.stop();
  const after = second.metrics.toResults({});
  const warm = second.warm.toResults({});
  // Units 0-5 were not sent again; 6 and 8 were (h2 must be re-opened) but not measured.
  assert.deepEqual(second.server.commands(), [Command.CREATE, Command.READ, Command.READ, Command.CLOSE]);
  assert.equal(measuredUnits(warm), 2, 'create h2 and the second read were warm');
  assert.equal(measuredUnits(after), 2, 'the hung read and the close were measured');
  const whole = combineSegments([before, after]);
  assert.equal(measuredUnits(whole), OPS.length, 'every op measured exactly once');
  assert.equal(whole.perKind['read']!.ops, 4);
  assert.equal(whole.perKind['create']!.ops, 3);
  assert.equal(whole.perKind['close']!.ops, 3);
  assert.equal(second.progress.snapshot().done, true);
});

test('a user done before the checkpoint is not replayed at all', async () => {
  const first = await startSegment(async () => 0);
  await first.user.done;
  first.scheduler.stop();
  const checkpoint = first.progress.snapshot();
  assert.equal(checkpoint.done, true);
  assert.equal(measuredUnits(first.metrics.toResults({})), OPS.length);
  const again = new UserProgress(0, checkpoint);
  assert.equal(again.isDone, true);
});

test('a graceful stop: dropped units are not marked complete, so the resume runs them', async () => {
  // The create of h1 is slow; stop while it is in flight: the rest of the stream is dropped.
  let creates = 0;
  const first = await startSegment(async (command) => {
    if (command === Command.CREATE && ++creates === 2) await sleep(30);
    return 0;
  });
  while (creates < 2) await sleep(1);
  first.user.stop();
  await first.user.done;
  first.scheduler.stop();
  const checkpoint = first.progress.snapshot();
  const before = first.metrics.toResults({});
  assert.equal(measuredUnits(before), 4, 'h0 group and the in-flight create');
  assert.equal(checkpoint.resumeAt, 3);
  assert.deepEqual(checkpoint.measured, [[3, 4]]);
  const second = await startSegment(async () => 0, checkpoint);
  await second.user.done;
  second.scheduler.stop();
  const whole = combineSegments([before, second.metrics.toResults({})]);
  assert.equal(measuredUnits(whole), OPS.length);
  assert.equal(measuredUnits(second.warm.toResults({})), 1);
});
