import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabState, readLabState, removeLabState, writeLabState } from '../../src/lab/lab-state.js';
import type { LabState } from '../../src/lab/lab-state.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';

const state: LabState = {
  version: 1,
  host: '127.0.0.1',
  port: 40000,
  pid: 1234,
  dir: '/tmp/smbench-lab-abc',
  confPath: '/tmp/smbench-lab-abc/etc/smb.conf',
  logPath: '/tmp/smbench-lab-abc/log/smbd.log',
  shares: [{ name: 'bench', path: '/tmp/smbench-lab-abc/shares/bench' }],
  users: [{ user: 'smbench', password: 'pw', domain: 'SMBENCHLAB' }],
  smbdVersion: '4.17.12-Debian',
  startedAt: '2024-01-01T00:00:00.000Z',
  keep: false,
};

test('state files round-trip, are private, and a missing file reads as undefined', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'smbench-state-test-'));
  try {
    const path = join(dir, 'nested', 'lab.json');
    assert.equal(await readLabState(path), undefined);
    await writeLabState(path, state);
    assert.deepEqual(await readLabState(path), state);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.ok((await readFile(path, 'utf8')).endsWith('\n'));
    await removeLabState(path);
    assert.equal(await readLabState(path), undefined);
    await removeLabState(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('invalid state files are ERR_LAB errors naming the problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'smbench-state-test-'));
  try {
    const path = join(dir, 'lab.json');
    await writeFile(path, '{ not json');
    await assert.rejects(
      readLabState(path),
      (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.LAB,
    );
    await writeFile(path, JSON.stringify({ ...state, pid: 'x' }));
    await assert.rejects(readLabState(path), /pid is not a positive integer/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('parseLabState rejects other versions and malformed lists', () => {
  assert.throws(() => parseLabState({ ...state, version: 2 }), /unsupported version/);
  assert.throws(() => parseLabState({ ...state, users: [{ user: 'a' }] }), /password/);
  assert.throws(() => parseLabState([]), /not an object/);
});
