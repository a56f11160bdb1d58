/**
 * Issue #11.3, the network: the run's connection is reset, stalled, slowed or cut mid-PDU by the
 * fault proxy (test/support/fault-proxy.ts) part-way through the run; later connections pass
 * cleanly. The run must end within a bound, every op accounted for.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { Fault, FaultProxy, type FaultPlan } from '../../support/fault-proxy.js';
import { assertAccounted, FAULT_USERS, runThroughProxy, within } from './fault-run.js';

/** Short enough that a stalled connection is given up on quickly, long enough for a slowed one. */
const REQUEST_TIMEOUT_MS = 2_000;

describe('runs survive a reset, stalled, slowed or cut connection', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let planned: number;
  let cleanPdus: number;

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-faults-net-'));
    workload = join(dir, 'office.smbw');
    planned = (await writeRunnerWorkload(workload, 2)) * FAULT_USERS;
    const proxy = await FaultProxy.start(lab);
    try {
      const clean = await runThroughProxy({ lab, via: proxy, workload, runRoot: 'clean' });
      assert.equal(assertAccounted(clean.results, planned, 'clean run').failed, 0);
      cleanPdus = proxy.serverPdus;
    } finally {
      await proxy.close();
    }
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases: { fault: Fault; plan: () => FaultPlan; reconnects: boolean }[] = [
    {
      fault: Fault.RESET,
      plan: () => ({ fault: Fault.RESET, afterServerPdus: Math.floor(cleanPdus * 0.6) }),
      reconnects: true,
    },
    {
      fault: Fault.STALL,
      plan: () => ({ fault: Fault.STALL, afterServerPdus: Math.floor(cleanPdus * 0.6) }),
      reconnects: true,
    },
    {
      fault: Fault.CUT,
      plan: () => ({ fault: Fault.CUT, afterServerPdus: Math.floor(cleanPdus * 0.6) }),
      reconnects: true,
    },
    { fault: Fault.SLOW, plan: () => ({ fault: Fault.SLOW, delayMs: 5 }), reconnects: false },
  ];
  for (const c of cases) {
    test(`connection ${c.fault}: the run ends and every op is accounted for`, async () => {
      const plan = c.plan();
      const proxy = await FaultProxy.start(lab, (index) => (index === 0 ? plan : undefined));
      try {
        const outcome = await within(
          60_000,
          `the run with a ${c.fault} connection`,
          runThroughProxy({
            lab,
            via: proxy,
            workload,
            runRoot: c.fault.replace(/\W+/g, '-'),
            extra: { requestTimeoutMs: REQUEST_TIMEOUT_MS },
          }),
        );
        const r = outcome.results;
        const account = assertAccounted(r, planned, c.fault);
        console.log(
          `${c.fault}: ${JSON.stringify(account)}, injected ${proxy.injected.length}, reconnects ${String(r.meta['reconnects'])}, retries ${r.retries}, skips ${JSON.stringify(r.skips)}, errors ${JSON.stringify(r.errorsByStatus)}`,
        );
        assert.deepEqual(proxy.injected, [c.fault], 'the fault was injected once');
        if (c.reconnects) assert.ok(Number(r.meta['reconnects']) >= 1, 'the pool reconnected');
        else assert.equal(account.failed, 0, 'a slow connection loses nothing');
      } finally {
        await proxy.close();
      }
    });
  }
});
