import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { stopAdLabByState } from '../../../src/lab/ad-lab-control.js';
import { readAdLabState } from '../../../src/lab/ad-lab-state.js';
import { isProcessAlive } from '../../../src/lab/smbd-process.js';
import { processesUsingConfig } from '../../../src/lab/ad-samba-process.js';
import { adLabSkipReason, tryShare } from './ad-lab-fixture.js';

describe('smbench lab up|status|down --ad', { skip: adLabSkipReason(), timeout: 180_000 }, () => {
  let work: string | undefined;
  let statePath = '';

  after(async () => {
    // If an assertion failed half-way, do not leave a detached DC behind.
    const state = statePath === '' ? undefined : await readAdLabState(statePath).catch(() => undefined);
    if (state !== undefined) await stopAdLabByState(state).catch(() => undefined);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  test('up starts a detached DC, status sees it, down stops every process and removes it', async () => {
    work = await mkdtemp(join(tmpdir(), 'smbench-ad-cli-'));
    statePath = join(work, 'ad-lab.json');
    assert.equal(await main(['lab', 'up', '--ad', '--state', statePath, '--json']), 0);
    const state = await readAdLabState(statePath);
    assert.ok(state);
    assert.ok(isProcessAlive(state.pid));
    const admin = { user: state.adminUser, password: state.adminPassword, domain: state.domain };
    assert.equal(await tryShare(state, admin), 'ok');
    assert.equal(await main(['lab', 'status', '--ad', '--state', statePath]), 0);
    assert.notEqual(await main(['lab', 'up', '--ad', '--state', statePath]), 0, 'a second up is refused');

    assert.equal(await main(['lab', 'down', '--ad', '--state', statePath]), 0);
    assert.ok(!isProcessAlive(state.pid));
    assert.deepEqual(processesUsingConfig(state.confPath), []);
    assert.ok(!existsSync(state.dir));
    assert.ok(!existsSync(statePath));
    assert.equal(await main(['lab', 'status', '--ad', '--state', statePath]), 1);
  });
});
