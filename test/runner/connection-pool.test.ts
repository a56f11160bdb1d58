import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ClientOptions, SmbClient } from '../../src/client/smb-client.js';
import { TransportError } from '../../src/client/errors.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { backoffDelayMs } from '../../src/runner/backoff.js';
import { ConnectionPool } from '../../src/runner/connection-pool.js';

/** Just enough of an SmbClient for the pool: isClosed, close(), breaks events. */
function fakeClient(id: number): SmbClient & { id: number } {
  let closed = false;
  return {
    id,
    breaks: new EventEmitter(),
    get isClosed() {
      return closed;
    },
    close() {
      closed = true;
    },
  } as unknown as SmbClient & { id: number };
}

const target = { host: '127.0.0.1', port: 1, share: 's' };
const fastBackoff = { baseMs: 1, maxMs: 4, maxAttempts: 4 };

test('backoff grows exponentially with jitter and is capped', () => {
  const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 10 };
  assert.equal(
    backoffDelayMs(0, policy, () => 0.5),
    0,
  );
  assert.equal(
    backoffDelayMs(1, policy, () => 0),
    50,
  );
  assert.equal(
    backoffDelayMs(1, policy, () => 1),
    100,
  );
  assert.equal(
    backoffDelayMs(3, policy, () => 1),
    400,
  );
  assert.equal(
    backoffDelayMs(20, policy, () => 1),
    1000,
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelayMs(4, policy);
    assert.ok(d >= 400 && d <= 800);
  }
});

test('users of one slot share one connection and one reconnect', async () => {
  let connects = 0;
  const guids: string[] = [];
  const pool = new ConnectionPool({
    target,
    backoff: fastBackoff,
    connect: async (o: ClientOptions) => {
      assert.equal(o.port, 1);
      guids.push(o.clientGuid!.toString('hex'));
      return fakeClient(connects++);
    },
  });
  const [a, b] = await Promise.all([pool.client(0), pool.client(0)]);
  assert.equal(a, b);
  assert.equal(connects, 1);
  const c = await pool.client(1);
  assert.notEqual(c, a);
  assert.equal(pool.openConnections, 2);
  // 64 users notice the broken connection at once: one reconnect.
  const again = await Promise.all(Array.from({ length: 64 }, () => pool.reconnect(0, a)));
  assert.equal(new Set(again).size, 1);
  assert.equal(connects, 3);
  assert.equal(pool.reconnects, 1);
  assert.equal(a.isClosed, true);
  // A slot keeps its ClientGuid across reconnects (durable reconnects need it); slots differ.
  assert.equal(guids[2], guids[0]);
  assert.notEqual(guids[1], guids[0]);
  pool.close();
  assert.equal(pool.openConnections, 0);
});

test('transient connect failures are retried with backoff; fatal ones are not', async () => {
  let attempts = 0;
  const pool = new ConnectionPool({
    target,
    backoff: fastBackoff,
    connect: async () => {
      attempts++;
      if (attempts < 3) throw new TransportError('ECONNREFUSED');
      return fakeClient(attempts);
    },
  });
  await pool.client(0);
  assert.equal(attempts, 3);

  let authAttempts = 0;
  const authPool = new ConnectionPool({
    target,
    backoff: fastBackoff,
    connect: async () => {
      authAttempts++;
      throw new SmbBenchError(ErrorCode.AUTH, 'nope');
    },
  });
  await assert.rejects(authPool.client(0), /nope/);
  assert.equal(authAttempts, 1);

  let downAttempts = 0;
  const downPool = new ConnectionPool({
    target,
    backoff: fastBackoff,
    connect: async () => {
      downAttempts++;
      throw new TransportError('down');
    },
  });
  await assert.rejects(downPool.client(0), /down/);
  assert.equal(downAttempts, 4);
  downAttempts = 0;
  await assert.rejects(downPool.client(1, true), /down/);
  assert.equal(downAttempts, 1, 'the initial probe does not back off');
});
