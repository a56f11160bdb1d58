import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { userXattrProblem } from '../../src/lab/xattr-probe.js';

test('a directory that cannot take the probe xattr gets a reason naming it', async () => {
  const missing = join(tmpdir(), 'smbench-no-such-dir-for-xattr-probe');
  const reason = await userXattrProblem(missing);
  assert.ok(reason?.includes(missing), reason);
  assert.match(reason ?? '', /does not take user xattrs/);
});

test('without setfattr the reason says what to install', async () => {
  const saved = process.env['SMBENCH_SETFATTR'];
  process.env['SMBENCH_SETFATTR'] = join(tmpdir(), 'smbench-no-such-setfattr');
  try {
    assert.match(
      (await userXattrProblem(tmpdir())) ?? '',
      /setfattr \(Debian package "attr"\) is not installed/,
    );
  } finally {
    if (saved === undefined) delete process.env['SMBENCH_SETFATTR'];
    else process.env['SMBENCH_SETFATTR'] = saved;
  }
});
