/**
 * Issue #11.3, a target that is not a working SMB server: it answers garbage, accepts and never
 * answers, closes at once, or nothing listens. Each must end the run with a clear error within a
 * bound (the connect timeout, 10 s, for the silent one; at once for the others), never a hang,
 * and before any op is counted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SmbBenchError } from '../../../src/errors/smbench-error.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { Fault, FaultProxy } from '../../support/fault-proxy.js';
import { runThroughProxy, within } from './fault-run.js';

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('a target that is not a working SMB server fails the run clearly', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-faults-bad-'));
    workload = join(dir, 'office.smbw');
    await writeRunnerWorkload(workload, 2);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases: { fault: Fault | 'nothing listening'; message: RegExp; boundMs: number }[] = [
    // Random bytes rarely frame as NBSS; when they do, the frame is not SMB2 and nothing answers.
    {
      fault: Fault.GARBAGE,
      message: /not SMB2 over TCP .*is this an SMB server\?|no SMB2 message from the server|NEGOTIATE/,
      boundMs: 20_000,
    },
    {
      fault: Fault.SILENT,
      message: /no SMB2 message from the server for \d+ ms \(waiting for NEGOTIATE/,
      boundMs: 20_000,
    },
    { fault: Fault.CLOSE, message: /server closed the connection/, boundMs: 5_000 },
    {
      fault: 'nothing listening',
      message: /cannot connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
      boundMs: 5_000,
    },
  ];
  for (const c of cases) {
    test(`${c.fault}: a clear error within ${c.boundMs / 1000} s`, async () => {
      const proxy =
        c.fault === 'nothing listening'
          ? await FaultProxy.start(lab)
          : await FaultProxy.start(lab, () => ({ fault: c.fault as Fault }));
      const port = c.fault === 'nothing listening' ? await deadPort() : proxy.port;
      try {
        const started = Date.now();
        const run = runThroughProxy({
          lab,
          via: { host: proxy.host, port },
          workload,
          runRoot: 'bad',
        });
        const err = await within(c.boundMs, `the run against a ${c.fault} server`, run).then(
          () => assert.fail('the run should have failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof SmbBenchError, `a typed error, got ${String(err)}`);
        assert.match(err.message, /^cannot log in as smbench and connect to share bench: /);
        assert.match(err.message, c.message);
        console.log(`${c.fault}: ${err.code} after ${Date.now() - started} ms: ${err.message}`);
      } finally {
        await proxy.close();
      }
    });
  }
});
