/**
 * Issue #11.4: checkpoint/resume adds up. One uninterrupted run is the reference; the same
 * workload is then killed with SIGKILL at pseudo-random points (seeded, so a failure can be
 * replayed: the seed is in the test's diagnostics) and resumed, some runs twice over. Each final
 * report must account for the reference's ops exactly: per op kind, ops sent plus ops skipped,
 * and every histogram and the time series counting each sent op once.
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
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { readJson, spawnCli, waitFor } from './cli-process.js';
import { seededRandom } from '../../support/seeded-random.js';

const USERS = 12;
const PASSWORD = 'smbench-lab-Passw0rd';
/** Seeds the kill points; SMBENCH_KILL_SEED=N tries another set. */
const SEED = Number(process.env['SMBENCH_KILL_SEED'] ?? 0x5eed);

/** ops sent + ops skipped, per op kind: what a resume may split differently but never lose or double. */
function accounted(r: RunResults): Map<string, number> {
  const out = new Map<string, number>();
  for (const [kind, k] of Object.entries(r.perKind)) out.set(kind, (out.get(kind) ?? 0) + k.ops);
  for (const [key, n] of Object.entries(r.skips)) {
    const kind = key.slice(0, key.indexOf(':'));
    out.set(kind, (out.get(kind) ?? 0) + n);
  }
  return new Map([...out].filter(([, n]) => n > 0).sort());
}

/** Every histogram and the time series count each sent op exactly once. */
function assertSelfConsistent(r: RunResults, label: string): void {
  const kinds = Object.values(r.perKind);
  assert.equal(r.service.count, r.totals.ops, `${label}: service histogram`);
  assert.equal(
    kinds.reduce((n, k) => n + k.service.count, 0),
    r.totals.ops,
    `${label}: per-kind service histograms`,
  );
  for (const [kind, k] of Object.entries(r.perKind)) {
    assert.equal(k.service.count, k.ops, `${label}: ${kind} service histogram`);
    assert.equal(k.fromIntended.count, k.ops, `${label}: ${kind} from-intended histogram`);
    assert.equal(k.fidelity.matched + k.fidelity.mismatched, k.ops, `${label}: ${kind} fidelity`);
  }
  assert.equal(
    r.timeSeries.reduce((n, p) => n + p.ops, 0),
    r.totals.ops,
    `${label}: time series`,
  );
}

describe(
  'kill -9 at many points, then --resume, adds up to one uninterrupted run',
  { skip: labSkipReason() },
  () => {
    let lab: SambaLab;
    let dir: string;
    let workload: string;
    let reference: RunResults;

    const runArgs = (runRoot: string): string[] => [
      'run',
      workload,
      '--target',
      lab.url(),
      '-u',
      'smbench',
      '--password',
      PASSWORD,
      '--users',
      String(USERS),
      '--run-root',
      runRoot,
      '--speed',
      '0.05',
      '--ramp-up',
      '2s',
      '--checkpoint-interval',
      '200ms',
      '-q',
    ];

    before(async () => {
      lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
      dir = await mkdtemp(join(tmpdir(), 'smbench-kill-points-'));
      workload = join(dir, 'office.smbw');
      await writeRunnerWorkload(workload, 2);
      const out = join(dir, 'reference.json');
      const code = await main([
        ...runArgs('reference'),
        '--prepare',
        '--checkpoint',
        join(dir, 'reference.ckpt'),
        '--out',
        out,
      ]);
      assert.equal(code, ExitCode.OK);
      reference = (await readJson<RunResults>(out))!;
      assertSelfConsistent(reference, 'reference');
    });
    after(async () => {
      await lab?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const random = seededRandom(SEED);
    // Each plan is one run: the shares of the reference's ops at which it is killed, in turn. Five
    // runs are killed once, two twice: early (before much was saved), middle, late.
    const plans: number[][] = [
      [0.02 + random() * 0.1],
      [0.15 + random() * 0.2],
      [0.4 + random() * 0.2],
      [0.65 + random() * 0.2],
      [0.85 + random() * 0.1],
      [0.1 + random() * 0.2, 0.5 + random() * 0.3],
      [0.3 + random() * 0.2, 0.7 + random() * 0.2],
    ];

    for (const [n, plan] of plans.entries()) {
      const label = `kill at ${plan.map((f) => `${Math.round(f * 100)}%`).join(' then ')}`;
      test(label, async (t) => {
        t.diagnostic(`seed ${SEED}`);
        const checkpoint = join(dir, `plan-${n}.ckpt`);
        const runRoot = `plan-${n}`;
        const total = reference.totals.ops;
        for (const [k, fraction] of plan.entries()) {
          const start = k === 0 ? ['--prepare', '--checkpoint', checkpoint] : ['--resume', checkpoint];
          const child = spawnCli([...runArgs(runRoot), ...start]);
          // A run that ends by itself (error, or done before the kill point) must not be waited on.
          const endedFirst = child.exited.then(async (how) => {
            const c = await readJson<Checkpoint>(checkpoint);
            if (c?.complete === true) return c;
            throw new Error(
              `the run ended (${JSON.stringify(how)}) before the kill: ${child.stderr().slice(-300)}`,
            );
          });
          const reached = await Promise.race([
            endedFirst,
            waitFor(
              `a checkpoint past ${Math.round(fraction * 100)}%`,
              async () => {
                const c = await readJson<Checkpoint>(checkpoint);
                return c && (c.complete || c.results.totals.ops >= fraction * total) ? c : undefined;
              },
              90_000,
              20,
            ),
          ]);
          // Somewhere between two checkpoints, not right after one.
          await new Promise((r) => setTimeout(r, random() * 200));
          child.child.kill('SIGKILL');
          await child.exited;
          if (reached.complete)
            t.diagnostic(`the run ended before the kill at ${Math.round(fraction * 100)}%`);
        }
        const out = join(dir, `plan-${n}.json`);
        const code = await main([...runArgs(runRoot), '--resume', checkpoint, '--out', out]);
        assert.equal(code, ExitCode.OK);
        const final = (await readJson<RunResults>(out))!;
        assertSelfConsistent(final, label);
        assert.deepEqual(accounted(final), accounted(reference), 'per kind, ops sent + skipped');
        const segments = (final.meta['segments'] as unknown[] | undefined)?.length ?? 1;
        t.diagnostic(`${segments} segments; ops ${final.totals.ops} of ${reference.totals.ops} sent`);
      });
    }
  },
);
