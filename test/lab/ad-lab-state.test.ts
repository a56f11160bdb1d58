import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AD_LAB_STATE_VERSION,
  parseAdLabState,
  readAdLabState,
  writeAdLabState,
} from '../../src/lab/ad-lab-state.js';
import type { AdLabState } from '../../src/lab/ad-lab-state.js';

const state: AdLabState = {
  version: AD_LAB_STATE_VERSION,
  realm: 'SMBENCH.TEST',
  domain: 'SMBENCH',
  dcHostName: 'smbenchdc.smbench.test',
  host: '127.3.4.5',
  smbPort: 40001,
  kdcPort: 40002,
  kpasswdPort: 40003,
  ldapPort: 389,
  ldapsPort: 636,
  baseDn: 'DC=smbench,DC=test',
  adminUser: 'Administrator',
  adminPassword: 'Smbench-Admin-1',
  krb5ConfPath: '/tmp/smbench-ad-x/etc/krb5.conf',
  caPath: '/tmp/smbench-ad-x/private/tls/ca.pem',
  tlsServerName: 'smbenchdc.smbench.test',
  share: 'bench',
  sharePath: '/tmp/smbench-ad-x/shares/bench',
  shareGroup: 'BenchUsers',
  pid: 1234,
  dir: '/tmp/smbench-ad-x',
  confPath: '/tmp/smbench-ad-x/etc/smb.conf',
  logPath: '/tmp/smbench-ad-x/log/samba.log',
  sambaVersion: '4.17.12-Debian',
  startedAt: '2026-01-01T00:00:00.000Z',
  keep: false,
};

test('state round-trips through its file, which is private', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ad-state-'));
  try {
    const path = join(dir, 'sub', 'ad-lab.json');
    await writeAdLabState(path, state);
    assert.deepEqual(await readAdLabState(path), state);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readAdLabState(join(dir, 'missing.json')), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('invalid state names the bad field', () => {
  assert.throws(() => parseAdLabState({ ...state, kdcPort: 'x' }), /kdcPort/);
  assert.throws(() => parseAdLabState({ ...state, host: 5 }), /host/);
  assert.throws(() => parseAdLabState({ ...state, version: 2 }), /version/);
  assert.throws(() => parseAdLabState([]), /not an object/);
});
