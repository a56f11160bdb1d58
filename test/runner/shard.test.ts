import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import type { IrUser } from '../../src/ir/types.js';
import {
  formatShard,
  inShard,
  packConnections,
  parseShard,
  selectShard,
  splitForWorkers,
} from '../../src/runner/shard.js';
import { parseStartAt, waitForStart } from '../../src/runner/shard-start.js';
import { mapVirtualUsers } from '../../src/runner/user-mapping.js';

const irUsers: IrUser[] = [
  { id: 'u0', name: 'A\\alice', sessions: 1 },
  { id: 'u1', name: 'A\\bob', sessions: 1 },
];
const creds = [
  { user: 'x', password: 'p', domain: '' },
  { user: 'y', password: 'q', domain: '' },
  { user: 'z', password: 'r', domain: '' },
];
const all = (users: number, spc = 2) =>
  mapVirtualUsers({ irUsers, users, credentials: creds, sessionsPerConnection: spc });

test('parseShard accepts i/N with 0 <= i < N and refuses the rest as usage errors', () => {
  assert.deepEqual(parseShard('0/1'), { index: 0, count: 1 });
  assert.deepEqual(parseShard(' 2 / 3 '), { index: 2, count: 3 });
  assert.equal(formatShard(parseShard('7/8')), '7/8');
  for (const bad of ['3/3', '1/0', '-1/2', '1', 'a/b', '1/2/3', '', '1.5/2']) {
    assert.throws(() => parseShard(bad), SmbBenchError, bad);
  }
  assert.throws(() => parseShard('3/3'), /numbered from 0/);
});

test('shards partition the users by k mod N, whatever N, and keep each user identical', () => {
  const users = all(10);
  for (const n of [1, 2, 3, 4, 10, 11]) {
    const parts = Array.from({ length: n }, (_, i) => selectShard(users, { index: i, count: n }, 2));
    const seen = parts
      .flat()
      .map((s) => s.index)
      .sort((a, b) => a - b);
    assert.deepEqual(
      seen,
      users.map((s) => s.index),
      `N=${n}: every user exactly once`,
    );
    for (const [i, part] of parts.entries()) {
      for (const s of part) {
        assert.equal(s.index % n, i);
        const original = users[s.index]!;
        // Same captured user, account and directory as in a single-process run.
        assert.equal(s.irUser.id, original.irUser.id);
        assert.equal(s.credentialIndex, original.credentialIndex);
        assert.equal(s.dirName, original.dirName);
      }
    }
  }
  assert.equal(inShard(5, undefined), true);
  assert.equal(inShard(5, { index: 1, count: 2 }), true);
  assert.equal(inShard(5, { index: 0, count: 2 }), false);
});

test("a shard's users are packed onto the shard's own connections", () => {
  const shard = selectShard(all(12, 4), { index: 1, count: 3 }, 2);
  assert.deepEqual(
    shard.map((s) => s.index),
    [1, 4, 7, 10],
  );
  assert.deepEqual(
    shard.map((s) => s.connectionIndex),
    [0, 0, 1, 1],
  );
  const unchanged = packConnections(all(4, 2), 2);
  assert.deepEqual(
    unchanged.map((s) => s.connectionIndex),
    [0, 0, 1, 1],
  );
});

test('workers split by position (equal shares even when W and N share a factor)', () => {
  const shard = selectShard(all(24), { index: 0, count: 2 }, 64); // users 0,2,...,22
  const parts = splitForWorkers(shard, 2, 3);
  assert.deepEqual(
    parts.map((p) => p.length),
    [6, 6],
  );
  assert.deepEqual(
    parts[1]!.map((s) => s.index),
    [2, 6, 10, 14, 18, 22],
  );
  assert.deepEqual(
    parts[1]!.map((s) => s.connectionIndex),
    [0, 0, 0, 1, 1, 1],
  );
  assert.deepEqual(
    splitForWorkers(all(2), 4, 64).map((p) => p.length),
    [1, 1, 0, 0],
  );
  assert.throws(() => splitForWorkers(all(2), 0, 64), SmbBenchError);
});

test('parseStartAt: ISO with a zone, Unix ms, +duration; local times and seconds are refused', () => {
  const now = Date.parse('2025-01-31T12:00:00Z');
  assert.equal(parseStartAt('2025-01-31T12:00:30Z', now), now + 30_000);
  assert.equal(parseStartAt('2025-01-31T13:00:30+01:00', now), now + 30_000);
  assert.equal(parseStartAt(String(now + 5), now), now + 5);
  assert.equal(parseStartAt('+30s', now), now + 30_000);
  assert.equal(parseStartAt('+1.5m', now), now + 90_000);
  assert.throws(() => parseStartAt('2025-01-31T12:00:30', now), /with a zone/);
  assert.throws(() => parseStartAt('1738324800', now), /seconds\?/);
  assert.throws(() => parseStartAt('tomorrow', now), SmbBenchError);
});

test('waitForStart waits for the instant, reports lateness, and stops early on abort', async () => {
  const t0 = Date.now();
  const on = await waitForStart(t0 + 60);
  assert.ok(Date.now() - t0 >= 55, 'waited');
  assert.equal(on.lateMs, 0);
  const late = await waitForStart(Date.now() - 500);
  assert.equal(late.waitedMs, 0);
  assert.ok(late.lateMs >= 500);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  const t1 = Date.now();
  await waitForStart(Date.now() + 60_000, ac.signal);
  assert.ok(Date.now() - t1 < 5000, 'abort ended the wait');
});
