/**
 * Splitting a run: three `--shard i/3` processes started together with `--start-at`, and one
 * process with `--workers 3`, against one Samba lab, compared with a single-process run of the
 * same workload. Merged exactly (mergeResults), they must replay the same ops with the same
 * statuses: the split changes where users run, never what they do.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { mergeResults } from '../../../src/observe/merge-results.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { readJson, spawnCli } from './cli-process.js';

const USERS = 12;

/** What must not depend on how the run was split. */
function replayed(r: RunResults): Record<string, unknown> {
  const perKind = Object.fromEntries(
    Object.entries(r.perKind).map(([kind, k]) => [
      kind,
      { ops: k.ops, statuses: k.statuses, service: k.service.count, bytes: k.bytes },
    ]),
  );
  return {
    ops: r.totals.ops,
    errors: r.totals.errors,
    bytesWritten: r.totals.bytesWritten,
    perKind,
    skips: r.skips,
    fidelity: { matched: r.fidelity.matched, mismatched: r.fidelity.mismatched },
  };
}

describe('shards and workers against Samba', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let single: RunResults;

  before(async () => {
    lab = await startSambaLab({ users: [{ user: 'smbench', password: 'smbench-lab-Passw0rd' }] });
    dir = await mkdtemp(join(tmpdir(), 'smbench-shards-e2e-'));
    workload = join(dir, 'office.smbw');
    await writeRunnerWorkload(workload, 2);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const args = (runRoot: string, out: string): string[] => [
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
    '--max',
    '--sessions-per-connection',
    '4',
    '--run-root',
    runRoot,
    '--prepare',
    '--out',
    out,
    '-q',
  ];

  test('a single-process run (the reference)', async () => {
    const out = join(dir, 'single.json');
    assert.equal(await main(args('e2e-single', out)), ExitCode.OK);
    single = (await readJson<RunResults>(out))!;
    assert.ok(single.fidelity.matchRatio >= 0.99);
  });

  test('3 shard processes aligned by --start-at merge into the same run', async () => {
    // Far enough ahead for three tsx processes to start, log in and prepare on 2 cores.
    const startAt = Date.now() + 12_000;
    const outs = [0, 1, 2].map((i) => join(dir, `shard-${i}.json`));
    const procs = outs.map((out, i) =>
      spawnCli([...args('e2e-shards', out), '--shard', `${i}/3`, '--start-at', String(startAt)]),
    );
    const exits = await Promise.all(procs.map((p) => p.exited));
    exits.forEach((e, i) => assert.equal(e.code, ExitCode.OK, procs[i]!.stderr()));
    const parts = await Promise.all(outs.map(async (o) => (await readJson<RunResults>(o))!));
    parts.forEach((p, i) => {
      assert.equal(p.meta['shard'], `${i}/3`);
      assert.equal(p.meta['users'], USERS / 3);
      assert.equal(p.meta['totalUsers'], USERS);
      const barrier = p.meta['startBarrier'] as { startAt: string; lateMs: number };
      assert.equal(barrier.startAt, new Date(startAt).toISOString());
      assert.equal(barrier.lateMs, 0, `shard ${i} was ready before the start instant`);
      assert.ok(Math.abs(Date.parse(p.startedAt) - startAt) < 1000, `shard ${i} started at the instant`);
    });
    const merged = mergeResults(parts);
    assert.deepEqual(replayed(merged), replayed(single));
    assert.equal(merged.meta['mergedParts'], 3);
    // The same through the CLI the docs (and the Kubernetes procedure) use.
    const mergedFile = join(dir, 'merged.json');
    assert.equal(await main(['report', 'merge', ...outs, '-o', mergedFile]), ExitCode.OK);
    const fromCli = (await readJson<RunResults>(mergedFile))!;
    assert.deepEqual(replayed(fromCli), replayed(single));
    assert.deepEqual(fromCli.service, merged.service, 'histograms merged exactly, not averaged');
  });

  test('--workers 3 in one process merges into the same run', async () => {
    const out = join(dir, 'workers.json');
    assert.equal(await main([...args('e2e-workers', out), '--workers', '3']), ExitCode.OK);
    const results = (await readJson<RunResults>(out))!;
    assert.equal(results.meta['workers'], 3);
    assert.equal(results.meta['users'], USERS);
    assert.deepEqual(replayed(results), replayed(single));
  });
});
