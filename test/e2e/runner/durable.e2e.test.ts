import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SmbClient, type ClientOptions } from '../../../src/client/smb-client.js';
import { IrWriter } from '../../../src/ir/ir-writer.js';
import type { IrOp } from '../../../src/ir/types.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { Command } from '../../../src/smb2/constants.js';
import { startLabForTests } from '../fixtures/lab-fixture.js';

const READ_WRITE = 0x0012019f;
const RWH = 7;

/** One user: open with a RWH lease + DH2Q, read, (connection dies), read again, close. */
async function writeWorkload(path: string): Promise<void> {
  const w = await IrWriter.create(path, {
    format: 'smbench-ir',
    version: 1,
    generator: 'runner durable e2e',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  });
  await w.writeUser({ id: 'u0', name: 'LAB\\u0', dialect: 0x0311, sessions: 1 });
  await w.writeNamespaceEntry({ user: 'u0', path: 'doc.bin', kind: 'file', size: 10_000 });
  const ops = [
    {
      seq: 0,
      t: 0,
      op: 'create',
      path: 'doc.bin',
      handle: 'h0',
      desiredAccess: READ_WRITE,
      fileAttributes: 0,
      shareAccess: 7,
      createDisposition: 1,
      createOptions: 0x40,
      oplockLevel: 0xff,
      leaseState: RWH,
      contexts: ['RqLs', 'DH2Q'],
      deps: [],
    },
    { seq: 1, t: 1000, op: 'read', handle: 'h0', offset: 0, length: 4096, deps: [0] },
    { seq: 2, t: 2000, op: 'read', handle: 'h0', offset: 4096, length: 4096, deps: [1] },
    { seq: 3, t: 3000, op: 'close', handle: 'h0', flags: 0, deps: [2] },
  ];
  for (const op of ops) await w.writeOp({ user: 'u0', status: 0, ...op } as IrOp);
  await w.close();
}

test('a durable handle survives a dropped connection: reconnect, re-login, DH2C, retry', async (t) => {
  const lab = await startLabForTests(t);
  if (!lab) return;
  const dir = await mkdtemp(join(tmpdir(), 'smbench-durable-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const workload = join(dir, 'durable.smbw');
  await writeWorkload(workload);

  let killed = false;
  // The first connection dies right after the first READ is answered, like a network failure.
  const connect = async (options: ClientOptions): Promise<SmbClient> => {
    const client = await SmbClient.connect(options);
    const conn = client.connection;
    const request = conn.request.bind(conn);
    conn.request = (async (...args: Parameters<typeof conn.request>) => {
      const reply = await request(...args);
      if (!killed && args[0].command === Command.READ) {
        killed = true;
        (conn as unknown as { transport: { socket: { destroy(): void } } }).transport.socket.destroy();
      }
      return reply;
    }) as typeof conn.request;
    return client;
  };
  const u = lab.users[0]!;
  const outcome = await runWorkload({
    workload,
    target: { host: lab.host, port: lab.port, share: lab.shares[0]!.name },
    credentials: [{ user: u.user, password: u.password, domain: '' }],
    runRoot: 'durable',
    prepare: true,
    durable: true,
    progress: false,
    connect,
  });
  const r = outcome.results;
  assert.equal(killed, true);
  assert.equal(r.meta['reconnects'], 1);
  assert.deepEqual(r.skips, {}, 'the handle was reclaimed, not lost');
  assert.equal(r.retries, 1, 'the read that hit the dead connection was retried');
  assert.equal(r.fidelity.matched, 4, JSON.stringify(r.perKind, null, 1));
});
