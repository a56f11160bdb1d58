/**
 * Checkpoint and resume against Samba, the way they are used: a run killed with SIGKILL after
 * its first checkpoints, or stopped with SIGINT, then `--resume`. The final report must cover the
 * whole run: every op of every user measured exactly once (docs/distributed.md "Checkpoint and resume").
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import type { Checkpoint } from '../../../src/runner/checkpoint-format.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { SKIPPED_PER_USER, writeRunnerWorkload } from '../runner/runner-workload.js';
import { readJson, spawnCli, waitFor } from './cli-process.js';

const USERS = 20;

type ResultsDocument = RunResults & { verdict: { fidelity: { ok: boolean; matchRatio: number } } };

const skipped = (r: RunResults): number => Object.values(r.skips).reduce((n, k) => n + k, 0);

describe('checkpoint and resume against Samba', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let opsPerUser: number;

  before(async () => {
    lab = await startSambaLab({ users: [{ user: 'smbench', password: 'smbench-lab-Passw0rd' }] });
    dir = await mkdtemp(join(tmpdir(), 'smbench-checkpoint-e2e-'));
    workload = join(dir, 'office.smbw');
    opsPerUser = await writeRunnerWorkload(workload, 2);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const runArgs = (runRoot: string): string[] => [
    'run',
    workload,
    '--target',
    lab.url(),
    '-u',
    'smbench',
    '--password',
    'smbench-lab-Passw0rd',
    '--users',
    String(USERS),
    '--run-root',
    runRoot,
    // ~1 s per user stream, users spread over 3 s: the run lasts ~4 s, long enough to kill.
    '--speed',
    '0.05',
    '--ramp-up',
    '3s',
    '--checkpoint-interval',
    '250ms',
    '-q',
  ];

  test('kill -9 after the first checkpoints, then --resume: every op measured exactly once', async (t) => {
    const checkpoint = join(dir, 'killed.json');
    const out = join(dir, 'killed-results.json');
    const first = spawnCli([...runArgs('e2e-kill'), '--prepare', '--checkpoint', checkpoint]);
    const saved = await waitFor('a checkpoint with progress', async () => {
      const c = await readJson<Checkpoint>(checkpoint);
      return c && c.results.totals.ops >= 150 ? c : undefined;
    });
    first.child.kill('SIGKILL');
    const ended = await first.exited;
    assert.equal(ended.signal, 'SIGKILL');
    const atKill = (await readJson<Checkpoint>(checkpoint))!;
    assert.equal(atKill.complete, false, 'killed before the end');
    assert.ok(atKill.results.totals.ops >= saved.results.totals.ops);

    const code = await main([...runArgs('e2e-kill'), '--resume', checkpoint, '--out', out]);
    const results = (await readJson<ResultsDocument>(out))!;
    assert.equal(code, ExitCode.OK, JSON.stringify(results.verdict));
    // The whole run: each of the 20 users' ~50 ops, none lost, none counted twice. (Ops replayed
    // after a resume point that the killed run had already done, e.g. a rename, can fail the second
    // time and make later ops of that user skip: sent + skipped is exact, the split may move.)
    assert.equal(results.totals.ops + skipped(results), USERS * opsPerUser);
    assert.equal(results.skips['ioctl: ioctl not replayed'], USERS * SKIPPED_PER_USER);
    t.diagnostic(`fidelity after kill -9 and resume: ${results.verdict.fidelity.matchRatio}`);
    assert.ok(results.verdict.fidelity.matchRatio >= 0.9, JSON.stringify(results.perKind, null, 1));
    const resumed = results.meta['resumed'] as { unitsPassedOver: number; warmOps: number };
    assert.ok(resumed.unitsPassedOver > 0, 'completed ops were not replayed');
    assert.equal((results.meta['segments'] as unknown[]).length, 2);
    assert.equal(results.meta['resumedFrom'], checkpoint);
    const final = (await readJson<Checkpoint>(checkpoint))!;
    assert.equal(final.complete, true);
    assert.equal(final.segments, 2);
    assert.equal(final.results.totals.ops, results.totals.ops);
  });

  test('SIGINT stops gracefully and writes the checkpoint; the resume may use another --workers', async (t) => {
    const checkpoint = join(dir, 'interrupted.json');
    const out = join(dir, 'interrupted-results.json');
    const first = spawnCli([
      ...runArgs('e2e-int'),
      '--prepare',
      '--checkpoint',
      checkpoint,
      '--workers',
      '2',
    ]);
    await waitFor('a checkpoint with progress', async () => {
      const c = await readJson<Checkpoint>(checkpoint);
      return c && c.results.totals.ops >= 150 ? c : undefined;
    });
    first.child.kill('SIGINT');
    const ended = await first.exited;
    assert.equal(ended.code, ExitCode.FAILURE);
    assert.match(first.stderr(), new RegExp(`resume with --resume ${checkpoint.replace(/[.]/g, '\\.')}`));
    const stopped = (await readJson<Checkpoint>(checkpoint))!;
    assert.equal(stopped.complete, false);

    const code = await main([...runArgs('e2e-int'), '--resume', checkpoint, '--out', out]);
    const results = (await readJson<ResultsDocument>(out))!;
    assert.equal(code, ExitCode.OK, JSON.stringify(results.verdict));
    assert.equal(results.totals.ops + skipped(results), USERS * opsPerUser);
    assert.equal(results.skips['ioctl: ioctl not replayed'], USERS * SKIPPED_PER_USER);
    t.diagnostic(`fidelity after SIGINT and resume: ${results.verdict.fidelity.matchRatio}`);
    assert.ok(results.verdict.fidelity.matchRatio >= 0.9);

    // Resuming a completed checkpoint reports the same run again without replaying anything.
    const again = join(dir, 'again.json');
    assert.equal(await main([...runArgs('e2e-int'), '--resume', checkpoint, '--out', again]), ExitCode.OK);
    assert.equal((await readJson<ResultsDocument>(again))!.totals.ops, results.totals.ops);
  });

  test('a resume with different options is refused before anything connects', async () => {
    const checkpoint = join(dir, 'interrupted.json');
    const lines: string[] = [];
    const args = runArgs('e2e-int').map((a) => (a === String(USERS) ? '21' : a));
    const code = await main([...args, '--resume', checkpoint], {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
    });
    assert.equal(code, ExitCode.USAGE);
    assert.match(lines.join(''), /different run \(users: checkpoint has 20, this run has 21\)/);
  });
});
