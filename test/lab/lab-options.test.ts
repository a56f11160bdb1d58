import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_LAB_PASSWORD,
  DEFAULT_LAB_SHARE,
  DEFAULT_LAB_USER,
  resolveShares,
  resolveUsers,
} from '../../src/lab/lab-options.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { assertUsablePort, findFreePort } from '../../src/lab/free-port.js';
import { parseSambaVersion } from '../../src/lab/samba-tools.js';

const isUsage = (err: unknown): boolean => err instanceof SmbBenchError && err.code === ErrorCode.USAGE;

test('defaults: one bench share and the documented smbench user', () => {
  assert.deepEqual(resolveShares(undefined), [
    { name: DEFAULT_LAB_SHARE, encrypt: undefined, extra: {}, streams: true },
  ]);
  assert.deepEqual(
    resolveShares([]).map((s) => s.name),
    ['bench'],
  );
  assert.deepEqual(resolveUsers(undefined), [{ user: DEFAULT_LAB_USER, password: DEFAULT_LAB_PASSWORD }]);
});

test('shares accept names or options', () => {
  const shares = resolveShares(['a', { name: 'b', encrypt: 'required' }]);
  assert.deepEqual(shares, [
    { name: 'a', encrypt: undefined, extra: {}, streams: true },
    { name: 'b', encrypt: 'required', extra: {}, streams: true },
  ]);
});

test('bad or duplicate share names are usage errors', () => {
  for (const name of ['', '../x', 'a b', 'global', 'IPC$', 'homes', '[x]']) {
    assert.throws(() => resolveShares([name]), isUsage, name);
  }
  assert.throws(() => resolveShares(['x', 'X']), isUsage);
});

test('bad users and passwords are usage errors', () => {
  assert.throws(() => resolveUsers([{ user: 'Root Admin', password: 'x' }]), isUsage);
  assert.throws(() => resolveUsers([{ user: 'u', password: '' }]), isUsage);
  assert.throws(() => resolveUsers([{ user: 'u', password: 'a\nb' }]), isUsage);
  assert.throws(
    () =>
      resolveUsers([
        { user: 'u', password: 'a' },
        { user: 'u', password: 'b' },
      ]),
    isUsage,
  );
});

test('ports 139 and 445 are refused; a free port is never one of them', async () => {
  assert.throws(() => assertUsablePort(445), isUsage);
  assert.throws(() => assertUsablePort(139), isUsage);
  assert.throws(() => assertUsablePort(0), isUsage);
  assert.throws(() => assertUsablePort(70000), isUsage);
  assertUsablePort(4455);
  const port = await findFreePort('127.0.0.1');
  assert.ok(port > 0 && port !== 445 && port !== 139);
});

test('parseSambaVersion reads smbd --version output', () => {
  assert.deepEqual(parseSambaVersion('Version 4.17.12-Debian\n'), {
    text: '4.17.12-Debian',
    major: 4,
    minor: 17,
    patch: 12,
  });
  assert.equal(parseSambaVersion('garbage'), undefined);
});
