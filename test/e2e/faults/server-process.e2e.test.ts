/**
 * Issue #11.3, the server process: the smbd serving the run's connection is killed mid-run, or
 * stopped (SIGSTOP) for 10 s and resumed. The run must end, every op accounted for.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { FaultProxy } from '../../support/fault-proxy.js';
import { assertAccounted, FAULT_USERS, runThroughProxy, smbdServing, within } from './fault-run.js';

describe('runs survive the server process dying or freezing', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let planned: number;
  /** Server PDUs of a clean run (prepare + replay) through the proxy. */
  let cleanPdus: number;

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-faults-server-'));
    workload = join(dir, 'office.smbw');
    planned = (await writeRunnerWorkload(workload, 2)) * FAULT_USERS;
    const proxy = await FaultProxy.start(lab);
    try {
      const clean = await runThroughProxy({ lab, via: proxy, workload, runRoot: 'clean' });
      const account = assertAccounted(clean.results, planned, 'clean run');
      assert.equal(account.failed, 0);
      cleanPdus = proxy.serverPdus;
      console.log(`clean run: ${JSON.stringify(account)}, ${cleanPdus} server PDUs`);
    } finally {
      await proxy.close();
    }
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const durable of [false, true]) {
    test(`smbd killed mid-run (durable ${durable}): reconnect, re-login, retry, the rest counted`, async () => {
      const proxy = await FaultProxy.start(lab);
      try {
        const run = runThroughProxy({
          lab,
          via: proxy,
          workload,
          runRoot: `killed-${durable}`,
          extra: { durable },
        });
        await proxy.whenServerPdus(Math.floor(cleanPdus * 0.6));
        const pids = await smbdServing(lab, proxy);
        assert.ok(pids.length > 0, 'found the smbd serving the run');
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        const outcome = await within(60_000, 'the run after smbd was killed', run);
        const r = outcome.results;
        const account = assertAccounted(r, planned, 'smbd killed');
        console.log(
          `smbd killed (durable ${durable}): ${JSON.stringify(account)}, reconnects ${String(r.meta['reconnects'])}, retries ${r.retries}, skips ${JSON.stringify(r.skips)}, errors ${JSON.stringify(r.errorsByStatus)}`,
        );
        assert.ok(Number(r.meta['reconnects']) >= 1, 'the pool reconnected');
        assert.ok(proxy.accepted >= 2, 'a new connection was made');
      } finally {
        await proxy.close();
      }
    });
  }

  test('smbd stopped for 10 s and resumed: the run waits and completes', async () => {
    const proxy = await FaultProxy.start(lab);
    try {
      const run = runThroughProxy({ lab, via: proxy, workload, runRoot: 'stopped' });
      await proxy.whenServerPdus(Math.floor(cleanPdus * 0.6));
      const pids = await smbdServing(lab, proxy);
      assert.ok(pids.length > 0, 'found the smbd serving the run');
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 10_000));
      for (const pid of pids) process.kill(pid, 'SIGCONT');
      const outcome = await within(60_000, 'the run after SIGSTOP/SIGCONT', run);
      const r = outcome.results;
      const account = assertAccounted(r, planned, 'smbd stopped');
      console.log(
        `smbd stopped: ${JSON.stringify(account)}, reconnects ${String(r.meta['reconnects'])}, retries ${r.retries}`,
      );
    } finally {
      await proxy.close();
    }
  });
});
