/**
 * Repeated passes stay faithful (issue #10 item 6): with --iterations or --duration every pass of a
 * user starts from the trace's initial namespace, so the office workload's FILE_CREATEs, rename and
 * delete see in pass 3 what they saw in the capture. `reuse` keeps the old behaviour (and its drop).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { listDirectory } from '../../../src/client/file-info.js';
import { SmbClient } from '../../../src/client/smb-client.js';
import type { Tree } from '../../../src/client/tree.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { Credential } from '../../../src/runner/credentials.js';
import type { PassNamespace } from '../../../src/runner/pass-namespace.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import type { Checkpoint } from '../../../src/runner/checkpoint-format.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { readJson, spawnCli, waitFor } from '../scale/cli-process.js';
import { listTree } from '../fixtures/list-tree.js';
import { EXPECTED_TREE, SKIPPED_PER_USER, writeRunnerWorkload } from './runner-workload.js';

const topLevel = async (tree: Tree, root: string): Promise<string[]> =>
  Object.keys(await listTree(tree, root))
    .filter((k) => !k.includes('/'))
    .sort();

describe('passes against Samba', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let credentials: Credential[];
  let client: SmbClient;
  let tree: Tree;
  let opsPerUser: number;

  before(async () => {
    lab = await startSambaLab();
    credentials = lab.users.map((u) => ({ user: u.user, password: u.password, domain: '' }));
    dir = await mkdtemp(join(tmpdir(), 'smbench-passes-e2e-'));
    workload = join(dir, 'office.smbw');
    opsPerUser = await writeRunnerWorkload(workload, 2);
    client = await SmbClient.connect({ host: lab.host, port: lab.port });
    tree = await (
      await client.login({ user: credentials[0]!.user, password: credentials[0]!.password })
    ).connectTree(lab.shares[0]!.name);
  });
  after(async () => {
    client?.close();
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const threePasses = (runRoot: string, passNamespace: PassNamespace) =>
    runWorkload({
      workload,
      target: { host: lab.host, port: lab.port, share: lab.shares[0]!.name },
      credentials,
      users: 2,
      runRoot,
      pacing: makePacing('max'),
      iterations: 3,
      passNamespace,
      prepare: true,
      progress: false,
    });

  test('reuse: passes 2 and 3 replay over what pass 1 changed, and fidelity drops', async () => {
    const { results } = await threePasses('e2e-reuse', 'reuse');
    assert.equal(results.meta['passNamespace'], 'reuse');
    assert.equal(results.meta['passPrepare'], undefined);
    // Ops on handles whose create failed are skipped, so fewer ops run than in three faithful passes.
    assert.ok(results.totals.ops <= 3 * 2 * (opsPerUser - SKIPPED_PER_USER));
    assert.ok(results.fidelity.matchRatio < 0.95, `reuse matched ${results.fidelity.matchRatio}`);
    assert.deepEqual(await topLevel(tree, 'e2e-reuse'), ['u0', 'u1']);
  });

  test('fresh: each pass in its own prepared directory, every status matches, each ends as the trace left it', async () => {
    const { results, fidelity } = await threePasses('e2e-fresh', 'fresh');
    assert.equal(results.totals.ops, 3 * 2 * (opsPerUser - SKIPPED_PER_USER));
    assert.equal(results.fidelity.matchRatio, 1, JSON.stringify(results.perKind, null, 1));
    assert.equal(fidelity.ok, true);
    assert.equal(results.meta['passNamespace'], 'fresh');
    assert.deepEqual(results.meta['passPrepare'], {
      passes: 4,
      failures: 0,
      directories: 4 * 4,
      files: 4 * 4,
      streams: 0,
      streamsRefused: 0,
      bytesWritten: (results.meta['passPrepare'] as { bytesWritten: number }).bytesWritten,
      removedFiles: 0,
      removedDirectories: 0,
    });
    const names = ['u0', 'u0@pass1', 'u0@pass2', 'u1', 'u1@pass1', 'u1@pass2'];
    assert.deepEqual(await topLevel(tree, 'e2e-fresh'), names);
    for (const name of names)
      assert.deepEqual(await listTree(tree, `e2e-fresh/${name}`), EXPECTED_TREE, name);

    // Cleanup finds the pass directories by listing, whatever --iterations says now.
    const code = await main([
      'prepare',
      workload,
      '--target',
      lab.url(),
      '--user',
      credentials[0]!.user,
      '--password',
      credentials[0]!.password,
      '--users',
      '2',
      '--run-root',
      'e2e-fresh',
      '--cleanup-only',
      '--quiet',
    ]);
    assert.equal(code, ExitCode.OK);
    await assert.rejects(listDirectory(tree, 'e2e-fresh'), /OBJECT_NAME_NOT_FOUND/);
  });

  test('reset: the user directory is deleted and prepared again between passes', async () => {
    const { results } = await threePasses('e2e-reset', 'reset');
    assert.equal(results.fidelity.matchRatio, 1, JSON.stringify(results.perKind, null, 1));
    assert.equal(results.meta['passNamespace'], 'reset');
    const prepared = results.meta['passPrepare'] as { passes: number; removedFiles: number };
    assert.equal(prepared.passes, 4);
    assert.equal(prepared.removedFiles, 4 * Object.values(EXPECTED_TREE).filter((v) => v !== 'dir').length);
    assert.deepEqual(await topLevel(tree, 'e2e-reset'), ['u0', 'u1']);
    assert.deepEqual(await listTree(tree, 'e2e-reset/u0'), EXPECTED_TREE);
  });

  test('the CLI: --iterations 3 --prepare --cleanup --max and --duration both match every status and leave nothing', async () => {
    const out = join(dir, 'passes.json');
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    // The summary and the passes line go to stderr (unit-tested in pass-namespace.test.ts).
    const common = [
      'run',
      workload,
      '--target',
      lab.url(),
      '-u',
      credentials[0]!.user,
      '--password',
      credentials[0]!.password,
      '--users',
      '2',
      '--prepare',
      '--cleanup',
      '--max',
      '--out',
      out,
      '-q',
    ];
    const iterations = await main([...common, '--run-root', 'e2e-cli-iter', '--iterations', '3'], io);
    assert.equal(iterations, ExitCode.OK, lines.join(''));
    const iterated = JSON.parse(await readFile(out, 'utf8')) as {
      meta: Record<string, unknown>;
      fidelity: { matchRatio: number };
    };
    assert.equal(iterated.fidelity.matchRatio, 1);
    assert.equal(iterated.meta['passNamespace'], 'fresh');
    await assert.rejects(listDirectory(tree, 'e2e-cli-iter'), /OBJECT_NAME_NOT_FOUND/);

    // --duration over many passes: stopped mid-pass, what ran still matches.
    const duration = await main(
      [...common, '--run-root', 'e2e-cli-dur', '--iterations', '1000', '--duration', '4s'],
      io,
    );
    assert.equal(duration, ExitCode.OK, lines.join(''));
    const timed = JSON.parse(await readFile(out, 'utf8')) as {
      meta: Record<string, unknown>;
      fidelity: { matchRatio: number };
    };
    assert.equal(timed.fidelity.matchRatio, 1);
    assert.ok((timed.meta['passPrepare'] as { passes: number }).passes >= 2, JSON.stringify(timed.meta));
    await assert.rejects(listDirectory(tree, 'e2e-cli-dur'), /OBJECT_NAME_NOT_FOUND/);
  });

  test('SIGINT inside a later pass, then --resume: the user continues in that pass directory', async (t) => {
    const checkpoint = join(dir, 'passes-checkpoint.json');
    const out = join(dir, 'passes-resumed.json');
    const args = [
      'run',
      workload,
      '--target',
      lab.url(),
      '-u',
      credentials[0]!.user,
      '--password',
      credentials[0]!.password,
      '--users',
      '4',
      '--run-root',
      'e2e-resume',
      '--iterations',
      '3',
      // ~1 s per pass: long enough to stop inside the second one.
      '--speed',
      '0.05',
      '--checkpoint-interval',
      '250ms',
      '-q',
    ];
    const first = spawnCli([...args, '--prepare', '--checkpoint', checkpoint]);
    await waitFor('a checkpoint inside pass 2', async () => {
      const c = await readJson<Checkpoint>(checkpoint);
      return c?.users.some((u) => u.iteration === 1 && u.resumeAt > 0) ? c : undefined;
    });
    first.child.kill('SIGINT');
    assert.equal((await first.exited).code, ExitCode.FAILURE);

    const code = await main([...args, '--resume', checkpoint, '--cleanup', '--out', out]);
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      meta: Record<string, unknown>;
      totals: { ops: number };
      skips: Record<string, number>;
      fidelity: { matchRatio: number };
    };
    assert.equal(code, ExitCode.OK, JSON.stringify(results.fidelity));
    const skipped = Object.values(results.skips).reduce((n, k) => n + k, 0);
    assert.equal(results.totals.ops + skipped, 3 * 4 * opsPerUser);
    // Ops after the resume point that the stopped run had already done (a rename...) may differ;
    // the passes after the resumed one start from their own prepared directories.
    t.diagnostic(`fidelity after SIGINT in pass 2 and resume: ${results.fidelity.matchRatio}`);
    t.diagnostic(`per-pass prepares: ${JSON.stringify(results.meta['passPrepare'])}`);
    assert.ok(results.fidelity.matchRatio >= 0.95, JSON.stringify(results.fidelity));
    assert.equal(results.meta['passNamespace'], 'fresh');
    await assert.rejects(listDirectory(tree, 'e2e-resume'), /OBJECT_NAME_NOT_FOUND/);
  });
});
