/**
 * Issue #11.3, the server process: the smbd serving the run's connection is killed mid-run, or
 * stopped (SIGSTOP, with the whole smbd process group) for 10 s and resumed. The run must end,
 * every op accounted for.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { FaultProxy } from '../../support/fault-proxy.js';
import { waitFor } from '../scale/cli-process.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import {
  assertAccounted,
  describeRun,
  leaseWorkload,
  officeWorkload,
  runThroughProxy,
  isGone,
  smbdServing,
  within,
  type FaultWorkload,
  type OpAccount,
} from './fault-run.js';

describe('runs survive the server process dying or freezing', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let office: FaultWorkload;
  let leases: FaultWorkload;

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-faults-server-'));
    office = await officeWorkload(lab, dir);
    leases = await leaseWorkload(lab, dir);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `w` through a fresh proxy and applies `fault` to the serving smbd at 60% of the run. */
  async function runWithServerFault(
    w: FaultWorkload,
    runRoot: string,
    fault: (pids: number[], release: () => void) => Promise<void>,
  ): Promise<{ results: RunResults; account: OpAccount }> {
    const proxy = await FaultProxy.start(lab);
    try {
      const run = runThroughProxy({ lab, via: proxy, workload: w.path, runRoot, extra: w.extra });
      // The server's answers are held at 60% of the run while the fault is applied, so it lands
      // mid-run however fast the run goes; `fault` releases them once the server is in its state.
      const held = proxy.holdAtServerPdus(Math.floor(w.cleanPdus * 0.6));
      // Looked up as soon as the connection exists, while the run goes on (a /proc scan is slow).
      await proxy.whenServerPdus(1);
      const pids = await smbdServing(lab, proxy);
      assert.ok(pids.length > 0, 'found the smbd serving the run');
      const release = await held;
      await fault(pids, release);
      const { results } = await within(60_000, `the run (${runRoot})`, run);
      const account = assertAccounted(results, w, runRoot);
      console.log(describeRun(runRoot, account, results));
      return { results, account };
    } finally {
      await proxy.close();
    }
  }

  const kill = async (pids: number[], release: () => void): Promise<void> => {
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await waitFor('the killed smbd to be gone', async () =>
      (await Promise.all(pids.map(isGone))).every((gone) => gone) ? true : undefined,
    );
    release();
  };

  test('smbd killed mid-run: reconnect, re-login, retry; ops on lost handles skipped and counted', async () => {
    const { results } = await runWithServerFault(office, 'killed', kill);
    assert.equal(results.meta['reconnects'], 1, 'one shared reconnect for the four users');
    const handles = results.meta['handlesAfterRecovery'] as { reopened: number; lost: number };
    assert.equal(handles.reopened, 0, 'nothing was durable');
  });

  test('smbd killed mid-run with durable handles: DH2C tried, Samba lost them with the process', async () => {
    const { results, account } = await runWithServerFault(leases, 'killed-durable', kill);
    assert.equal(results.meta['reconnects'], 1);
    const handles = results.meta['handlesAfterRecovery'] as { reopened: number; lost: number };
    assert.ok(handles.reopened + handles.lost > 0, 'the kill landed while handles were open');
    // Samba keeps a durable open only when its smbd disconnects it cleanly; a killed smbd takes
    // them along and DH2C gets STATUS_OBJECT_NAME_NOT_FOUND (MS-SMB2 3.3.5.9.12). Whatever was
    // lost is skipped with its reason, never dropped.
    const lostOps = Object.entries(results.skips)
      .filter(([k]) => k.endsWith(': handle lost on reconnect'))
      .reduce((n, [, v]) => n + v, 0);
    assert.equal(lostOps, account.skipped, 'every skip is an op of a lost handle');
  });

  /** SIGSTOP to the whole smbd process group (the listener and every fork), SIGCONT 10 s later. */
  const freeze = async (_pids: number[], release: () => void): Promise<void> => {
    process.kill(-lab.pid, 'SIGSTOP');
    release();
    try {
      await new Promise((r) => setTimeout(r, 10_000));
    } finally {
      process.kill(-lab.pid, 'SIGCONT');
    }
  };

  test('smbd stopped for 10 s and resumed: the run waits and loses nothing', async () => {
    const { results, account } = await runWithServerFault(office, 'stopped', freeze);
    assert.equal(account.failed, 0, 'the 30 s request timeout outlasts the stop');
    assert.equal(results.meta['reconnects'], 0);
  });

  test('smbd stopped for 10 s with a 2 s request timeout: stall detected, reconnect once it is back', async () => {
    const short = { ...office, extra: { ...office.extra, requestTimeoutMs: 2_000 } };
    const { results } = await runWithServerFault(short, 'stopped-short-timeout', freeze);
    assert.equal(results.meta['reconnects'], 1, 'reconnected after SIGCONT');
    assert.equal(results.meta['brokenUsers'], 0, 'no user gave up');
  });
});
