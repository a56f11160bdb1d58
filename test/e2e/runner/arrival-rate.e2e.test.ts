/**
 * Issue #13's open-model executor against Samba: `--arrival-rate` starts sessions on its own
 * clock. With a pool big enough every arrival starts a session; with the server slowed down (a
 * fault proxy delaying every chunk) sessions last longer than the arrivals allow, and the
 * arrivals that find no free virtual user are counted as dropped, never started late.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunResults } from '../../../src/observe/run-results.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { spawnCli } from '../scale/cli-process.js';
import { Fault, FaultProxy } from '../../support/fault-proxy.js';
import { writeRunnerWorkload } from './runner-workload.js';

const PASSWORD = 'arrival-e2e-Passw0rd';

interface Arrivals {
  readonly arrivals: number;
  readonly started: number;
  readonly dropped: number;
  readonly virtualUsers: number;
}

describe('open-model arrivals against Samba', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;

  before(async () => {
    lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
    dir = await mkdtemp(join(tmpdir(), 'smbench-arrivals-'));
    workload = join(dir, 'office.smbw');
    await writeRunnerWorkload(workload, 2);
  });
  after(async () => {
    await lab?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function run(
    port: number,
    extra: string[],
    name: string,
  ): Promise<{ r: RunResults; stderr: string }> {
    const out = join(dir, `${name}.json`);
    const share = lab.shares[0]!.name;
    const child = spawnCli([
      'run',
      workload,
      '--target',
      `smb://${lab.host}:${port}/${share}`,
      '-u',
      'smbench',
      '--password',
      PASSWORD,
      '--run-root',
      name,
      '--prepare',
      '--cleanup',
      '--max',
      '--out',
      out,
      ...extra,
    ]);
    const ended = await child.exited;
    assert.equal(ended.code, 0, child.stderr());
    return { r: JSON.parse(await readFile(out, 'utf8')) as RunResults, stderr: child.stderr() };
  }

  test('a pool large enough starts every arrival, on its own clock', async () => {
    const { r, stderr } = await run(
      lab.port,
      ['--arrival-rate', '10/s', '--duration', '2s', '--users', '20'],
      'ample',
    );
    const a = r.meta['arrivals'] as Arrivals;
    assert.equal(a.virtualUsers, 20);
    assert.ok(a.arrivals >= 15 && a.arrivals <= 20, `about 2 s × 10/s arrivals: ${a.arrivals}`);
    assert.equal(a.started + a.dropped, a.arrivals);
    assert.equal(a.dropped, 0);
    assert.equal(r.fidelity.mismatched, 0, JSON.stringify(r.perKind));
    assert.match(stderr, /arrivals: \d+ sessions arrived, \d+ started, none dropped/);
  });

  test('a slow server: sessions that cannot start on time are dropped and counted', async () => {
    const proxy = await FaultProxy.start({ host: lab.host, port: lab.port }, () => ({
      fault: Fault.SLOW,
      afterServerPdus: 0,
      delayMs: 30,
    }));
    try {
      const { r, stderr } = await run(
        proxy.port,
        ['--arrival-rate', '20/s', '--duration', '3s', '--users', '2', '--request-timeout', '20s'],
        'slow',
      );
      const a = r.meta['arrivals'] as Arrivals;
      assert.equal(a.started + a.dropped, a.arrivals);
      assert.ok(a.dropped > 0, `sessions dropped behind a slow server: ${JSON.stringify(a)}`);
      assert.ok(a.started >= 1);
      assert.match(stderr, /arrivals: \d+ sessions arrived, \d+ started, \d+ DROPPED/);
    } finally {
      await proxy.close();
    }
  });
});
