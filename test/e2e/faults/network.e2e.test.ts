/**
 * Issue #11.3, the network: the run's connection is reset, stalled, slowed, cut mid-PDU or fed
 * garbage by the fault proxy (test/support/fault-proxy.ts) part-way through the run; later
 * connections pass cleanly. The run must end within a bound, every op accounted for.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { Fault, FaultProxy, type FaultPlan } from '../../support/fault-proxy.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import {
  assertAccounted,
  describeRun,
  leaseWorkload,
  officeWorkload,
  runThroughProxy,
  within,
  type FaultWorkload,
  type OpAccount,
} from './fault-run.js';

interface Faulted {
  readonly results: RunResults;
  readonly account: OpAccount;
}

/** Short enough that a stalled connection is given up on quickly, long enough for a slowed one. */
const REQUEST_TIMEOUT_MS = 2_000;

describe('runs survive a reset, stalled, slowed or cut connection', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let office: FaultWorkload;
  let leases: FaultWorkload;

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-faults-net-'));
    office = await officeWorkload(lab, dir);
    leases = await leaseWorkload(lab, dir);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Runs `w` through a proxy that applies `plan` to the first connection only (or, with `later`,
   * that plan to every later connection).
   */
  async function runWithFault(
    w: FaultWorkload,
    plan: FaultPlan,
    runRoot: string,
    later?: FaultPlan,
  ): Promise<Faulted> {
    const proxy = await FaultProxy.start(lab, (index) => (index === 0 ? plan : later));
    try {
      const outcome = await within(
        60_000,
        `the run with a ${plan.fault} connection`,
        runThroughProxy({
          lab,
          via: proxy,
          workload: w.path,
          runRoot,
          extra: { ...w.extra, requestTimeoutMs: REQUEST_TIMEOUT_MS },
        }),
      );
      const r = outcome.results;
      const account = assertAccounted(r, w, runRoot);
      console.log(describeRun(runRoot, account, r, proxy));
      assert.equal(proxy.injected[0], plan.fault, 'the fault was injected');
      if (!later) assert.equal(proxy.injected.length, 1, 'once');
      return { results: r, account };
    } finally {
      await proxy.close();
    }
  }

  const midRun = (w: FaultWorkload): number => Math.floor(w.cleanPdus * 0.6);

  for (const fault of [Fault.RESET, Fault.STALL, Fault.CUT, Fault.CORRUPT]) {
    test(`connection ${fault} mid-run: reconnect, retry, the rest counted`, async () => {
      const { results } = await runWithFault(
        office,
        { fault, afterServerPdus: midRun(office) },
        fault.replace(/\W+/g, '-'),
      );
      assert.equal(results.meta['reconnects'], 1, 'one shared reconnect for the four users');
    });
  }

  test('connection slowed from the start: the run completes and loses nothing', async () => {
    const { account } = await runWithFault(office, { fault: Fault.SLOW, delayMs: 5 }, 'slow');
    assert.equal(account.failed, 0);
    assert.equal(account.completed + account.skipped, office.planned);
  });

  test('connection reset with durable handles open: reclaimed by DH2C, nothing lost', async () => {
    const { results, account } = await runWithFault(
      leases,
      { fault: Fault.RESET, afterServerPdus: midRun(leases) },
      'reset-durable',
    );
    const handles = results.meta['handlesAfterRecovery'] as { reopened: number; lost: number };
    assert.ok(handles.reopened > 0, 'durable handles were reclaimed');
    assert.equal(handles.lost, 0);
    assert.deepEqual(results.skips, {}, 'no op was skipped');
    assert.equal(account.completed, leases.planned, 'every op completed');
  });

  test('server gone for good mid-run: reconnects give up, the users stop, the rest is skipped', async () => {
    const { results, account } = await runWithFault(
      office,
      { fault: Fault.RESET, afterServerPdus: midRun(office) },
      'gone',
      { fault: Fault.CLOSE },
    );
    assert.equal(results.meta['reconnects'], 0);
    assert.equal(results.meta['brokenUsers'], 4, 'every user gave up after the backoff');
    assert.ok((results.skips['close: session unavailable'] ?? 0) > 0, JSON.stringify(results.skips));
    assert.ok(account.skipped > 0);
  });
});
