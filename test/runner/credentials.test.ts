import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { parseUsersFile, principalOf, resolveCredentials } from '../../src/runner/credentials.js';

const isUsage = (e: unknown): boolean => e instanceof SmbBenchError && e.code === ErrorCode.USAGE;

test('CSV users files: header, comments, quoting, optional domain', () => {
  const text = 'user,password,domain\n# comment\nalice,secret\n\n"bob","pa,ss""word",CORP\nCORP\\carol,x\n';
  assert.deepEqual(parseUsersFile(text), [
    { user: 'alice', password: 'secret', domain: '' },
    { user: 'bob', password: 'pa,ss"word', domain: 'CORP' },
    { user: 'carol', password: 'x', domain: 'CORP' },
  ]);
  assert.throws(() => parseUsersFile('alice\n'), isUsage);
  assert.throws(() => parseUsersFile('"alice,x\n'), isUsage);
});

test('JSON users files: an array or {users: [...]}', () => {
  assert.deepEqual(parseUsersFile('[{"user":"a","password":"p"},{"user":"b@D","password":"q"}]'), [
    { user: 'a', password: 'p', domain: '' },
    { user: 'b', password: 'q', domain: 'D' },
  ]);
  assert.deepEqual(parseUsersFile('{"users":[{"user":"a","password":"p","domain":"X"}]}'), [
    { user: 'a', password: 'p', domain: 'X' },
  ]);
  assert.throws(() => parseUsersFile('[{"user":"a"}]'), isUsage);
  assert.throws(() => parseUsersFile('{"users": 3}'), isUsage);
});

test('flags win over the environment; a missing user or password is a usage error', async () => {
  const env = { SMBENCH_USER: 'envuser', SMBENCH_PASSWORD: 'envpw', SMBENCH_DOMAIN: 'ENV' };
  assert.deepEqual(await resolveCredentials({ env }), [
    { user: 'envuser', password: 'envpw', domain: 'ENV' },
  ]);
  assert.deepEqual(await resolveCredentials({ user: 'flag', password: 'pw', env }), [
    { user: 'flag', password: 'pw', domain: 'ENV' },
  ]);
  await assert.rejects(resolveCredentials({ env: {} }), isUsage);
  await assert.rejects(resolveCredentials({ user: 'x', env: {} }), /no password/);
});

test('a users file is read from disk and excludes --user', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'smbench-creds-'));
  try {
    const file = join(dir, 'users.csv');
    await writeFile(file, 'a,1\nb,2\n');
    const list = await resolveCredentials({ usersFile: file, env: {} });
    assert.equal(list.length, 2);
    assert.equal(principalOf({ user: 'a', password: '', domain: 'D' }), 'D\\a');
    await assert.rejects(resolveCredentials({ usersFile: file, user: 'x', env: {} }), isUsage);
    await assert.rejects(resolveCredentials({ usersFile: join(dir, 'missing.csv'), env: {} }), isUsage);
    await writeFile(file, '# nobody\n');
    await assert.rejects(resolveCredentials({ usersFile: file, env: {} }), /no users/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
