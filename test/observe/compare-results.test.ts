/**
 * `report compare` (issue #13.4): differences beyond sampling noise and past the threshold are
 * regressions (exit code 3); the same change over a handful of ops, or under the threshold, is not.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { compareResults } from '../../src/observe/compare/compare-results.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunResults } from '../../src/observe/run-results.js';

const STATUS_ACCESS_DENIED = 0xc0000022;

/** `ops` reads and writes over 10 s of a fake clock; latency varies deterministically around `us`. */
function run(opts: { ops: number; us: number; errorEvery?: number; workloadId?: string }): RunResults {
  const start = Date.UTC(2025, 0, 1);
  let now = start;
  const m = new RunMetrics(start, () => now);
  for (let i = 0; i < opts.ops; i++) {
    now = start + Math.floor((i * 10_000) / opts.ops);
    const serviceUs = Math.round(opts.us * (0.5 + ((i * 7919) % 1000) / 1000));
    const failed = opts.errorEvery !== undefined && i % opts.errorEvery === 0;
    m.recordOp({
      kind: i % 2 === 0 ? 'read' : 'write',
      serviceUs,
      fromIntendedUs: serviceUs,
      bytes: 4096,
      status: failed ? STATUS_ACCESS_DENIED : 0,
      expectedStatus: 0,
    });
  }
  now = start + 10_000;
  return m.toResults({ workloadId: opts.workloadId ?? 'w1', target: 'smb://lab/bench' });
}

describe('report compare', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-compare-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a run against itself: everything the same', () => {
    const a = run({ ops: 2000, us: 1000 });
    const c = compareResults(a, a, 10);
    assert.equal(c.regressions, 0);
    assert.ok(c.figures.every((f) => f.verdict === 'same' && !f.beyondNoise));
    assert.deepEqual(c.warnings, []);
  });

  test('50% slower over 2,000 ops is a regression beyond noise; over 10 ops it is noise', () => {
    const c = compareResults(run({ ops: 2000, us: 1000 }), run({ ops: 2000, us: 1500 }), 10);
    const p50 = c.figures.find((f) => f.kind === 'read' && f.figure === 'p50')!;
    assert.equal(p50.verdict, 'regression');
    assert.ok(p50.beyondNoise && p50.changePct! > 40 && p50.changePct! < 60, String(p50.changePct));
    assert.ok(c.regressions >= 4);
    const small = compareResults(run({ ops: 10, us: 1000 }), run({ ops: 10, us: 1500 }), 10);
    const smallP50 = small.figures.find((f) => f.kind === 'read' && f.figure === 'p50')!;
    assert.equal(smallP50.beyondNoise, false);
    assert.equal(smallP50.verdict, 'same');
  });

  test('under the threshold is not a regression; faster is an improvement', () => {
    const a = run({ ops: 4000, us: 1000 });
    const c = compareResults(a, run({ ops: 4000, us: 1500 }), 60);
    assert.equal(c.regressions, 0);
    const faster = compareResults(a, run({ ops: 4000, us: 600 }), 10);
    assert.equal(faster.regressions, 0);
    assert.equal(faster.figures.find((f) => f.kind === 'all' && f.figure === 'p50')!.verdict, 'improvement');
  });

  test('errors appearing beyond noise are a regression, and a different workload is warned about', () => {
    const c = compareResults(
      run({ ops: 2000, us: 1000 }),
      run({ ops: 2000, us: 1000, errorEvery: 20, workloadId: 'w2' }),
      10,
    );
    const errors = c.figures.find((f) => f.kind === 'all' && f.figure === 'error rate')!;
    assert.equal(errors.verdict, 'regression');
    assert.equal(errors.changePct, null);
    assert.match(c.warnings[0]!, /different workloads \(w1 vs w2\)/);
  });

  test('CLI: exit code 3 on a regression, 0 under --threshold, 2 on bad input; --json', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await writeFile(a, JSON.stringify(run({ ops: 2000, us: 1000 })));
    await writeFile(b, JSON.stringify(run({ ops: 2000, us: 1500 })));
    let text = '';
    const out = { out: (s: string) => (text += s), err: (s: string) => (text += s) };
    const stdout = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((s: string) => ((printed += s), true)) as typeof process.stdout.write;
    try {
      assert.equal(await main(['report', 'compare', a, b], out), ExitCode.THRESHOLD);
      assert.match(printed, /read +p50 .* REGRESSION/);
      assert.match(printed, /regression\(s\) past 10% beyond noise/);
      assert.equal(await main(['report', 'compare', a, b, '--threshold', '80%'], out), ExitCode.OK);
      printed = '';
      assert.equal(await main(['report', 'compare', a, a, '--json'], out), ExitCode.OK);
      assert.equal((JSON.parse(printed) as { regressions: number }).regressions, 0);
      assert.equal(await main(['report', 'compare', a, b, '--threshold', 'lots'], out), ExitCode.USAGE);
      assert.equal(await main(['report', 'compare', a], out), ExitCode.USAGE);
      await writeFile(b, '{"format":"other"}');
      assert.equal(await main(['report', 'compare', a, b], out), ExitCode.USAGE);
    } finally {
      process.stdout.write = stdout;
    }
    assert.match(text, /not an smbench-results document/);
  });
});
