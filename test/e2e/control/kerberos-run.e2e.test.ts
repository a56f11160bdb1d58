/**
 * Issue #5's whole path: provision 200 users in a real Samba AD over LDAPS, replay a workload with
 * them over Kerberos on a share that requires signing and encryption, then deprovision exactly
 * what was created.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deprovisionUsers } from '../../../src/control/deprovision-users.js';
import { readManifest } from '../../../src/control/provision-manifest.js';
import { provisionUsers } from '../../../src/control/provision-users.js';
import { startAdLab, type AdLab } from '../../../src/lab/ad-lab.js';
import { parseUsersFile } from '../../../src/runner/credentials.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import { SKIPPED_PER_USER, writeRunnerWorkload } from '../runner/runner-workload.js';
import { adLabSkipReason, adminConnection } from './ad-lab-fixture.js';

const COUNT = 200;

describe('Kerberos run with 200 provisioned AD users', { skip: adLabSkipReason() }, () => {
  let lab: AdLab;
  let work: string;

  before(async () => {
    lab = await startAdLab({
      extraGlobal: { 'server signing': 'mandatory', 'server smb encrypt': 'required' },
    });
    work = await mkdtemp(join(tmpdir(), 'smbench-krb-run-'));
  });
  after(async () => {
    await lab?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('provision, run over Kerberos with signing + encryption required, deprovision', async () => {
    const usersFile = join(work, 'users.csv');
    const manifestFile = join(work, 'users.manifest.json');
    const provisioned = await provisionUsers({
      connection: adminConnection(lab),
      ou: 'smbench-krb',
      count: COUNT,
      prefix: 'krb',
      group: lab.shareGroup,
      usersFile,
      manifestFile,
    });
    assert.equal(provisioned.created, COUNT);
    const credentials = parseUsersFile(await readFile(usersFile, 'utf8'));
    assert.equal(credentials.length, COUNT);

    const workload = join(work, 'w.smbw');
    const opsPerUser = await writeRunnerWorkload(workload, 2);
    const outcome = await runWorkload({
      workload,
      target: { host: lab.host, port: lab.smbPort, share: lab.share },
      credentials,
      users: COUNT,
      sessionsPerConnection: 50,
      runRoot: 'krb-run',
      requireSigning: true,
      login: { auth: 'kerberos', host: lab.dcHostName, realm: lab.realm, kdc: `${lab.host}:${lab.kdcPort}` },
      pacing: makePacing('recorded', 4),
      prepare: true,
      cleanup: true,
      progress: false,
    });
    const { results } = outcome;
    assert.equal(results.meta['loginFailures'] ?? 0, 0);
    assert.equal(results.meta['brokenUsers'], 0);
    assert.equal(results.totals.ops, COUNT * (opsPerUser - SKIPPED_PER_USER));
    assert.ok(results.fidelity.matchRatio >= 0.99, JSON.stringify(results.perKind, null, 1));

    const removed = await deprovisionUsers({
      connection: adminConnection(lab),
      manifest: await readManifest(manifestFile),
    });
    assert.equal(removed.usersDeleted, COUNT);
  });
});
