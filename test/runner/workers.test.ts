import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IrWriter } from '../../src/ir/ir-writer.js';
import type { IrOp } from '../../src/ir/types.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import { FidelityNote } from '../../src/observe/fidelity-notes.js';
import { applyRelayBatch, RelayRecorder } from '../../src/runner/workers/metrics-relay.js';
import { WorkerEngine } from '../../src/runner/workers/worker-engine.js';
import { buildWorkerJobs } from '../../src/runner/workers/worker-jobs.js';
import { workerRunOptions } from '../../src/runner/workers/worker-protocol.js';
import { mergeWorkerMeta, mergeWorkerResults } from '../../src/runner/workers/worker-results.js';
import { mapVirtualUsers } from '../../src/runner/user-mapping.js';
import type { RunOptions } from '../../src/runner/run-options.js';
import { makePacing } from '../../src/scheduler/pacing.js';

test('relayed samples rebuild the same measurements on the main thread', () => {
  const direct = new RunMetrics();
  const mirror = new RunMetrics();
  const recorder = new RelayRecorder();
  direct.addListener(recorder);
  const samples = [
    { kind: 'read', serviceUs: 120, fromIntendedUs: 150, bytes: 4096, status: 0, expectedStatus: 0 },
    // Signed int32 statuses must survive the trip (NaN, not -1, marks "no expected status").
    { kind: 'create', serviceUs: 900, fromIntendedUs: 900, bytes: 0, status: -1073741772, expectedStatus: 0 },
    { kind: 'echo', serviceUs: 5, fromIntendedUs: 5, bytes: 0, status: 0, expectedStatus: undefined },
    {
      kind: 'write',
      serviceUs: 30_000,
      fromIntendedUs: 31_000,
      bytes: 0,
      status: 0,
      expectedStatus: 0,
      error: 'ERR_SMB_TIMEOUT',
    },
    {
      kind: 'close',
      serviceUs: 50,
      fromIntendedUs: 50,
      bytes: 0,
      status: 0xc0000034,
      expectedStatus: 0xc0000128,
      note: FidelityNote.relatedAfterFailedCreate,
    },
  ];
  for (let i = 0; i < 3000; i++) direct.recordOp(samples[i % samples.length]!);
  direct.recordLag(42);
  direct.recordSkip('ioctl', 'ioctl not replayed');
  direct.recordRetry('read');
  assert.equal(recorder.isEmpty, false);
  const batch = structuredClone(recorder.take());
  assert.equal(recorder.isEmpty, true);
  applyRelayBatch(mirror, batch);
  const a = direct.toResults({});
  const b = mirror.toResults({});
  assert.deepEqual(b.perKind, a.perKind);
  assert.deepEqual(b.totals, { ...a.totals, opsPerSecond: b.totals.opsPerSecond });
  assert.deepEqual(b.lag, a.lag);
  assert.deepEqual(b.skips, a.skips);
  assert.deepEqual(b.errorsByStatus, a.errorsByStatus);
  assert.deepEqual(b.fidelity, a.fidelity);
  assert.equal(b.fidelity.equivalent, 600);
  assert.equal(b.retries, 1);
});

test("workers' meta adds up per-worker counts", () => {
  const meta = mergeWorkerMeta([
    {
      users: 3,
      connections: 1,
      loginFailures: 1,
      brokenUsers: 1,
      reconnects: 0,
      breaks: { received: 2 },
      pacing: 'x',
    },
    {
      users: 2,
      connections: 1,
      loginFailures: 0,
      brokenUsers: 0,
      reconnects: 4,
      breaks: { received: 1 },
      firstLoginError: 'e',
    },
  ]);
  assert.deepEqual(meta, {
    users: 5,
    connections: 2,
    loginFailures: 1,
    brokenUsers: 1,
    reconnects: 4,
    breaks: { received: 3 },
    pacing: 'x',
    workers: 2,
    firstLoginError: 'e',
  });
});

const irUsers = [
  { id: 'u0', name: 'A\\a', sessions: 1 },
  { id: 'u1', name: 'A\\b', sessions: 1 },
];
const credentials = [{ user: 'x', password: 'p', domain: '' }];

test('worker jobs: users split by position, each with its own resume points, only plain data', () => {
  const specs = mapVirtualUsers({ irUsers, users: 5, credentials, sessionsPerConnection: 64 });
  const options: RunOptions = {
    workload: 'w.smbw',
    target: { host: 'h', port: 445, share: 's' },
    credentials,
    progress: process.stderr,
    signal: new AbortController().signal,
    observer: { attach() {} },
    meta: { x: 1 },
  };
  const resume = new Map([[3, { user: 3, done: false, iteration: 0, resumeAt: 1, measured: [] }]]);
  const jobs = buildWorkerJobs({
    specs,
    workers: 3,
    options,
    ctx: { runRoot: 'r', pacing: makePacing('max'), spc: 64, sessionOptions: {} },
    totalUsers: 10,
    trackProgress: true,
    resume,
    startAtMs: undefined,
  });
  assert.deepEqual(
    jobs.map((j) => j.specs.map((s) => s.index)),
    [[0, 3], [1, 4], [2]],
  );
  assert.deepEqual(jobs[0]!.resume, [resume.get(3)]);
  assert.deepEqual(jobs[1]!.resume, []);
  assert.deepEqual(Object.keys(workerRunOptions(options)).sort(), ['credentials', 'target', 'workload']);
  for (const job of jobs) assert.doesNotThrow(() => structuredClone(job), 'a job crosses a thread');
});

/** NBSS + SMB2 NEGOTIATE response (MS-SMB2 2.2.4) with DialectRevision 0x0999. */
function bogusNegotiateResponse(): Buffer {
  const header = Buffer.alloc(64);
  header.write('\xfeSMB', 0, 'latin1');
  header.writeUInt16LE(64, 4); // StructureSize
  header.writeUInt16LE(1, 14); // CreditResponse
  header.writeUInt32LE(1, 16); // SMB2_FLAGS_SERVER_TO_REDIR
  const body = Buffer.alloc(65);
  body.writeUInt16LE(65, 0); // StructureSize
  body.writeUInt16LE(0x0999, 4); // DialectRevision
  for (const at of [28, 32, 36]) body.writeUInt32LE(65536, at); // MaxTransact/Read/WriteSize
  body.writeUInt16LE(128, 56); // SecurityBufferOffset
  const nbss = Buffer.alloc(4);
  nbss.writeUInt32BE(header.length + body.length, 0);
  return Buffer.concat([nbss, header, body]);
}

let dir: string;
let server: Server;
let port: number;
let workload: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smbench-workers-'));
  workload = join(dir, 'w.smbw');
  const w = await IrWriter.create(workload, {
    format: 'smbench-ir',
    version: 1,
    generator: 'workers test',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  });
  for (const u of irUsers) await w.writeUser({ ...u, dialect: 0x0311 });
  for (let seq = 0; seq < 6; seq++) {
    await w.writeOp({ seq, user: `u${seq % 2}`, t: seq * 100, op: 'echo', status: 0, deps: [] } as IrOp);
  }
  await w.close();
  // A "server" whose NEGOTIATE response picks a dialect nobody offered: connecting fails at once
  // with a protocol error (fatal: no reconnect backoff), so every user's ops are skipped.
  server = createServer((socket) => {
    socket.once('data', () => socket.write(bogusNegotiateResponse()));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a WorkerEngine runs real worker threads and merges their results exactly', async () => {
  const specs = mapVirtualUsers({ irUsers, users: 5, credentials, sessionsPerConnection: 64 });
  const options: RunOptions = {
    workload,
    target: { host: '127.0.0.1', port, share: 's' },
    credentials,
    requestTimeoutMs: 2000,
  };
  const engine = new WorkerEngine({
    jobs: buildWorkerJobs({
      specs,
      workers: 2,
      options,
      ctx: { runRoot: 'r', pacing: makePacing('max'), spc: 64, sessionOptions: {} },
      totalUsers: 5,
      trackProgress: true,
      resume: undefined,
      startAtMs: undefined,
    }),
    progressStream: false,
  });
  const { results, users } = await engine.finished;
  // 5 virtual users x 3 echo ops of their captured user, all skipped (no session).
  assert.deepEqual(results.skips, { 'echo: session unavailable': 15 });
  assert.equal(results.meta['workers'], 2);
  assert.equal(results.meta['users'], 5);
  assert.equal(results.meta['loginFailures'], 5);
  assert.deepEqual(users.map((u) => [u.user, u.done]).sort(), [
    [0, true],
    [1, true],
    [2, true],
    [3, true],
    [4, true],
  ]);
  const mirror = engine.mirror.snapshot();
  assert.equal(mirror.skips, 15, 'the live mirror saw every skip');
  assert.equal(mergeWorkerResults([results]).meta['workers'], 1);
});

test('a worker that cannot run fails the engine with its error', async () => {
  const specs = mapVirtualUsers({ irUsers, users: 2, credentials, sessionsPerConnection: 64 });
  const engine = new WorkerEngine({
    jobs: buildWorkerJobs({
      specs,
      workers: 2,
      options: {
        workload: join(dir, 'missing.smbw'),
        target: { host: '127.0.0.1', port, share: 's' },
        credentials,
      },
      ctx: { runRoot: 'r', pacing: makePacing('max'), spc: 64, sessionOptions: {} },
      totalUsers: 2,
      trackProgress: false,
      resume: undefined,
      startAtMs: undefined,
    }),
    progressStream: false,
  });
  await assert.rejects(engine.finished, /missing\.smbw/);
});
