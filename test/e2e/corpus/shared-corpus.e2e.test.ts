/**
 * Issue #10's "shows it": every capture in ../shared/pcaps (real recordings made by other people)
 * compiles, replays against the lab to the end with `--prepare --cleanup --max` within a bound, and
 * matches at least 99% of its recorded statuses, unless shared-corpus-expectations.json names it
 * with a lower bar and the reason. Driven through the CLI, as a user would run it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { labSkipReason, type SambaLab } from '../fixtures/lab-fixture.js';
import { startSambaLab } from '../../../src/lab/samba-lab.js';
import { REPO_ROOT, SHARED_PCAPS_DIR } from '../../support/shared-pcaps.js';

interface Expectation {
  readonly minFidelity?: number;
  /** Zero ops is the right answer (IPC-only or encrypted traffic). */
  readonly noFileTraffic?: boolean;
  readonly why?: string;
}

interface Expectations {
  readonly default: { readonly minFidelity: number };
  readonly captures: Readonly<Record<string, Expectation>>;
}

/** Skips that do not make a replay unfaithful: named-pipe RPC, and requests the capture ends before answering. */
const HARMLESS_SKIPS = new Set(['ipc', 'noResponse']);
const COMPILE_BOUND_MS = 120_000;
const REPLAY_BOUND_MS = 120_000;

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly timedOut: boolean;
}

/** Runs the CLI from source; kills its process group when it outlives the bound (a hang is a failure, not a wait). */
function cli(args: readonly string[], boundMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, boundMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const expectations = JSON.parse(
  await readFile(new URL('./shared-corpus-expectations.json', import.meta.url), 'utf8'),
) as Expectations;
const captures = (await readdir(SHARED_PCAPS_DIR).catch(() => [] as string[]))
  .filter((name) => /\.pcap(ng)?$/.test(name))
  .sort();

describe('every shared capture replays faithfully', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-corpus-'));
  });
  after(async () => {
    await lab?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test('the shared captures are there', () => {
    assert.ok(captures.length > 0, `no captures found in ${SHARED_PCAPS_DIR}`);
  });

  for (const name of captures) {
    const expected = expectations.captures[name] ?? {};
    const minFidelity = expected.minFidelity ?? expectations.default.minFidelity;
    test(name, async () => {
      const workload = join(dir, `${name}.smbw`);
      const compiled = await cli(
        ['compile', join(SHARED_PCAPS_DIR, name), '-o', workload, '--json', '-q'],
        COMPILE_BOUND_MS,
      );
      assert.ok(!compiled.timedOut, 'compile did not finish in its bound');
      assert.equal(compiled.code, 0, `compile failed: ${compiled.stderr.slice(-400)}`);
      const stats = (
        JSON.parse(compiled.stdout) as { stats: { ops: number; skipped: Record<string, number> } }
      ).stats;
      const skips = Object.entries(stats.skipped).filter(
        ([reason, n]) => n > 0 && !HARMLESS_SKIPS.has(reason),
      );
      assert.deepEqual(Object.fromEntries(skips), {}, 'ops skipped at compile');
      if (stats.ops === 0) {
        assert.ok(
          expected.noFileTraffic === true,
          'compiled to 0 ops, and it is not named as a capture without file traffic',
        );
        return;
      }
      const user = lab.users[0];
      assert.ok(user !== undefined);
      const results = join(dir, `${name}.results.json`);
      const target = `smb://${lab.host}:${lab.port}/${lab.shares[0]?.name ?? ''}`;
      const args = ['run', workload, '--target', target, '-u', user.user, '--prepare', '--cleanup', '--max'];
      const replay = await cli([...args, '--out', results, '-q', '--min-fidelity', '0'], REPLAY_BOUND_MS, {
        ...process.env,
        SMBENCH_PASSWORD: user.password,
      });
      assert.ok(!replay.timedOut, 'replay did not end within its bound');
      const report = JSON.parse(await readFile(results, 'utf8')) as { fidelity: { matchRatio: number } };
      const why = expected.why === undefined ? '' : ` (held to ${minFidelity}: ${expected.why})`;
      assert.ok(
        report.fidelity.matchRatio >= minFidelity,
        `fidelity ${report.fidelity.matchRatio.toFixed(4)} < ${minFidelity}${why}; exit ${replay.code}: ${replay.stderr.slice(-400)}`,
      );
    });
  }
});
