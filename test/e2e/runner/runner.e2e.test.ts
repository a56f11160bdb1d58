import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import type { Tree } from '../../../src/client/tree.js';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { Credential } from '../../../src/runner/credentials.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { EXPECTED_TREE, SKIPPED_PER_USER, writeRunnerWorkload } from './runner-workload.js';
import { listDirectory } from '../../../src/client/file-info.js';
import { listTree } from '../fixtures/list-tree.js';

/** path -> size ('dir' for directories) of everything below `root`. */
describe('runner against Samba', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;
  let credentials: Credential[];
  let client: SmbClient;
  let tree: Tree;
  let opsPerUser: number;

  before(async () => {
    lab = await startSambaLab({
      users: [
        { user: 'smbench', password: 'smbench-lab-Passw0rd' },
        { user: 'smbench2', password: 'second-Passw0rd' },
      ],
    });
    credentials = lab.users.map((u) => ({ user: u.user, password: u.password, domain: '' }));
    dir = await mkdtemp(join(tmpdir(), 'smbench-runner-e2e-'));
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

  const target = () => ({ host: lab.host, port: lab.port, share: lab.shares[0]!.name });

  test('prepare + run with 1 user: every status matches and the tree ends as the trace left it', async () => {
    const outcome = await runWorkload({
      workload,
      target: target(),
      credentials: credentials.slice(0, 1),
      users: 1,
      runRoot: 'e2e-one',
      prepare: true,
      progress: false,
    });
    const { results } = outcome;
    assert.equal(outcome.prepare?.files.created, 4);
    assert.equal(results.totals.ops, opsPerUser - SKIPPED_PER_USER);
    assert.deepEqual(results.skips, { 'ioctl: ioctl not replayed': 1 });
    assert.ok(results.fidelity.matchRatio >= 0.99, JSON.stringify(results.perKind, null, 1));
    assert.equal(outcome.fidelity.ok, true);
    assert.equal(results.totals.errors, 0);
    const top = Object.keys(await listTree(tree, 'e2e-one')).filter((k) => !k.includes('/'));
    assert.deepEqual(top, ['u0'], 'only the replayed user has a directory');
    assert.deepEqual(await listTree(tree, 'e2e-one/u0'), EXPECTED_TREE);
  });

  test('prepare is idempotent: a second run leaves right-sized files alone', async () => {
    const common = {
      workload,
      target: target(),
      credentials,
      users: 2,
      runRoot: 'e2e-idem',
      progress: false as const,
    };
    await runWorkload({ ...common, prepare: true, durationMs: 0 });
    const again = await runWorkload({ ...common, prepare: true, durationMs: 0 });
    assert.deepEqual(again.prepare?.files, { created: 0, resized: 0, unchanged: 8 });
  });

  test('50 users over 2 accounts: isolated trees, fidelity >= 99%, cleanup removes everything', async () => {
    const outcome = await runWorkload({
      workload,
      target: target(),
      credentials,
      users: 50,
      sessionsPerConnection: 16,
      runRoot: 'e2e-fifty',
      pacing: makePacing('recorded', 2),
      prepare: true,
      progress: false,
    });
    const { results } = outcome;
    assert.equal(results.totals.ops, 50 * (opsPerUser - SKIPPED_PER_USER));
    assert.ok(results.fidelity.matchRatio >= 0.99, JSON.stringify(results.perKind, null, 1));
    assert.equal(results.meta['connections'], 4);
    assert.equal(results.meta['brokenUsers'], 0);
    const top = await listTree(tree, 'e2e-fifty');
    const names = Object.keys(top).filter((k) => !k.includes('/'));
    assert.equal(names.length, 50);
    assert.ok(
      names.includes('u0') && names.includes('u1') && names.includes('u0.24') && names.includes('u1.24'),
    );
    for (const name of names)
      assert.deepEqual(await listTree(tree, `e2e-fifty/${name}`), EXPECTED_TREE, name);

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
      '50',
      '--run-root',
      'e2e-fifty',
      '--cleanup-only',
      '--quiet',
    ]);
    assert.equal(code, ExitCode.OK);
    await assert.rejects(listDirectory(tree, 'e2e-fifty'), /OBJECT_NAME_NOT_FOUND/);
  });

  test('a wrong password fails before any load, with the account named', async () => {
    await assert.rejects(
      runWorkload({
        workload,
        target: target(),
        credentials: [{ user: 'smbench', password: 'wrong', domain: '' }],
        progress: false,
      }),
      (e: unknown) =>
        e instanceof SmbBenchError &&
        e.code === ErrorCode.AUTH &&
        /cannot log in as smbench.*LOGON_FAILURE/.test(e.message),
    );
    const lines: string[] = [];
    const code = await main(
      ['run', workload, '--target', lab.url(), '-u', 'smbench', '--password', 'wrong', '-q'],
      {
        out: (t) => lines.push(t),
        err: (t) => lines.push(t),
      },
    );
    assert.equal(code, ExitCode.FAILURE);
    assert.match(lines.join(''), /ERR_SMB_AUTH: cannot log in as smbench/);
  });

  test('the CLI run: --prepare --cleanup, thresholds decide the exit code', async () => {
    const out = join(dir, 'results.json');
    const args = [
      'run',
      workload,
      '--target',
      lab.url(),
      '-u',
      'smbench',
      '--password',
      credentials[0]!.password,
    ];
    const common = [
      ...args,
      '--users',
      '4',
      '--max',
      '--run-root',
      'e2e-cli',
      '--prepare',
      '--cleanup',
      '-q',
    ];
    assert.equal(await main([...common, '--out', out, '--threshold', 'fidelity>=99%']), ExitCode.OK);
    const { readFile } = await import('node:fs/promises');
    const saved = JSON.parse(await readFile(out, 'utf8')) as {
      format: string;
      totals: { ops: number };
      verdict: { fidelity: { ok: boolean } };
    };
    assert.equal(saved.format, 'smbench-results');
    assert.equal(saved.totals.ops, 4 * (opsPerUser - SKIPPED_PER_USER));
    assert.equal(saved.verdict.fidelity.ok, true);
    assert.equal(await main([...common, '--threshold', 'p99<1us']), ExitCode.THRESHOLD);
    assert.equal(await main([...args, '--threshold', 'p99<<1']), ExitCode.USAGE);
  });
});
