import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import type { IrUser } from '../../src/ir/types.js';
import {
  connectionCountFor,
  connectionIndexFor,
  mapVirtualUsers,
  replayedIrUsers,
  userDirName,
} from '../../src/runner/user-mapping.js';

const irUsers: IrUser[] = [
  { id: 'u0', name: 'A\\alice', sessions: 1 },
  { id: 'u1', name: 'A\\bob', sessions: 1 },
  { id: 'u2', name: 'A\\carol', sessions: 1 },
];
const creds = [
  { user: 'x', password: 'p', domain: '' },
  { user: 'y', password: 'q', domain: '' },
];

test('pool assignment packs consecutive users onto a connection until it is full', () => {
  assert.equal(connectionIndexFor(0, 64), 0);
  assert.equal(connectionIndexFor(63, 64), 0);
  assert.equal(connectionIndexFor(64, 64), 1);
  assert.equal(connectionIndexFor(5, 1), 5);
  assert.equal(connectionCountFor(0, 64), 0);
  assert.equal(connectionCountFor(1, 64), 1);
  assert.equal(connectionCountFor(64, 64), 1);
  assert.equal(connectionCountFor(65, 64), 2);
  assert.equal(connectionCountFor(5000, 64), 79);
  assert.throws(() => connectionIndexFor(1, 0), SmbBenchError);
});

test('virtual user k replays IR user k mod U with credential k mod C', () => {
  const specs = mapVirtualUsers({ irUsers, users: 7, credentials: creds, sessionsPerConnection: 3 });
  assert.deepEqual(
    specs.map((s) => [s.index, s.irUser.id, s.copy, s.dirName, s.credentialIndex, s.connectionIndex]),
    [
      [0, 'u0', 0, 'u0', 0, 0],
      [1, 'u1', 0, 'u1', 1, 0],
      [2, 'u2', 0, 'u2', 0, 0],
      [3, 'u0', 1, 'u0.1', 1, 1],
      [4, 'u1', 1, 'u1.1', 0, 1],
      [5, 'u2', 1, 'u2.1', 1, 1],
      [6, 'u0', 2, 'u0.2', 0, 2],
    ],
  );
  assert.equal(specs[3]!.credential, creds[1]);
});

test('every virtual user gets its own directory, even with many copies of one IR user', () => {
  const specs = mapVirtualUsers({
    irUsers: irUsers.slice(0, 1),
    users: 5000,
    credentials: creds,
    sessionsPerConnection: 64,
  });
  assert.equal(new Set(specs.map((s) => s.dirName)).size, 5000);
  assert.equal(userDirName('u3', 0), 'u3');
  assert.equal(userDirName('u3', 2), 'u3.2');
});

test('the default is one virtual user per captured user; fewer users replay fewer IR users', () => {
  assert.equal(mapVirtualUsers({ irUsers, credentials: creds, sessionsPerConnection: 64 }).length, 3);
  const two = mapVirtualUsers({ irUsers, users: 2, credentials: creds, sessionsPerConnection: 64 });
  assert.deepEqual([...replayedIrUsers(two)], ['u0', 'u1']);
});

test('mapping refuses empty workloads, no credentials and bad counts', () => {
  assert.throws(
    () => mapVirtualUsers({ irUsers: [], credentials: creds, sessionsPerConnection: 1 }),
    /no users/,
  );
  assert.throws(() => mapVirtualUsers({ irUsers, credentials: [], sessionsPerConnection: 1 }), /credentials/);
  assert.throws(
    () => mapVirtualUsers({ irUsers, users: 0, credentials: creds, sessionsPerConnection: 1 }),
    /--users/,
  );
});
