import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { isRoot } from '../../src/lab/lab-accounts.js';
import { parseLabState } from '../../src/lab/lab-state.js';
import { probeSmb2 } from '../../src/lab/negotiate-probe.js';
import { startSambaLab } from '../../src/lab/samba-lab.js';
import { isProcessAlive } from '../../src/lab/smbd-process.js';
import { Dialect, SecurityMode } from '../../src/smb2/constants.js';
import { labSkipReason, runSmbclient, withLab } from './fixtures/lab-fixture.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('Samba lab', { skip: labSkipReason() }, () => {
  test('default lab serves the bench share to the smbench user over SMB3', (t) =>
    withLab(t, {}, async (lab) => {
      assert.equal(lab.host, '127.0.0.1');
      assert.notEqual(lab.port, 445);
      assert.deepEqual(
        lab.shares.map((s) => s.name),
        ['bench'],
      );
      assert.equal(lab.users[0]?.user, isRoot() ? 'smbench' : lab.users[0]?.user);
      assert.equal(lab.url(), `smb://127.0.0.1:${lab.port}/bench`);
      assert.ok(isProcessAlive(lab.pid));
      const r = await runSmbclient(lab, { maxProtocol: 'SMB3', commands: 'put /etc/hostname x; ls' });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /^\s+x\s+A/m);
      assert.equal(
        await readFile(join(lab.shares[0]!.path, 'x'), 'utf8'),
        await readFile('/etc/hostname', 'utf8'),
      );
    }));

  test('the generated smb.conf has no parameter testparm does not know', async (t) => {
    const testparm = findTestparm();
    if (testparm === undefined) return t.skip('testparm not installed');
    await withLab(
      t,
      { signing: 'required', encrypt: 'desired', shares: ['a', { name: 'b', encrypt: 'required' }] },
      async (lab) => {
        const { stderr } = await run(testparm, ['-s', lab.confPath]);
        assert.doesNotMatch(stderr, /unknown parameter|Ignoring unknown|WARNING/i, stderr);
      },
    );
  });

  test('a wrong password is refused (no guest fallback)', (t) =>
    withLab(t, {}, async (lab) => {
      const r = await runSmbclient(lab, {
        user: { user: lab.users[0]!.user, password: 'wrong' },
        commands: 'ls',
      });
      assert.notEqual(r.code, 0);
      assert.match(r.stdout + r.stderr, /NT_STATUS_LOGON_FAILURE/);
    }));

  test('signing required: the server says so in NEGOTIATE and signed clients work', (t) =>
    withLab(t, { signing: 'required' }, async (lab) => {
      const probe = await probeSmb2(lab.host, lab.port);
      assert.ok(probe);
      assert.ok(probe.securityMode & SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED);
      const r = await runSmbclient(lab, { maxProtocol: 'SMB3', protection: 'sign', commands: 'ls' });
      assert.equal(r.code, 0, r.stderr + r.stdout);
    }));

  test('signing not required by default', (t) =>
    withLab(t, {}, async (lab) => {
      const probe = await probeSmb2(lab.host, lab.port);
      assert.equal((probe?.securityMode ?? 0) & SecurityMode.SMB2_NEGOTIATE_SIGNING_REQUIRED, 0);
    }));

  test('global encryption required: SMB3 clients encrypt, SMB2.1 clients are refused', (t) =>
    withLab(t, { encrypt: 'required' }, async (lab) => {
      const ok = await runSmbclient(lab, {
        maxProtocol: 'SMB3',
        protection: 'encrypt',
        commands: 'put /etc/hostname e; ls',
      });
      assert.equal(ok.code, 0, ok.stderr + ok.stdout);
      const old = await runSmbclient(lab, { maxProtocol: 'SMB2_10', commands: 'ls' });
      assert.notEqual(old.code, 0, 'an SMB 2.1 client cannot encrypt and must be refused');
    }));

  test('per-share encryption only guards that share', (t) =>
    withLab(t, { shares: ['plain', { name: 'secret', encrypt: 'required' }] }, async (lab) => {
      const plain = await runSmbclient(lab, { share: 'plain', maxProtocol: 'SMB2_10', commands: 'ls' });
      assert.equal(plain.code, 0, plain.stderr + plain.stdout);
      const secret21 = await runSmbclient(lab, { share: 'secret', maxProtocol: 'SMB2_10', commands: 'ls' });
      assert.notEqual(secret21.code, 0);
      const secret3 = await runSmbclient(lab, { share: 'secret', maxProtocol: 'SMB3', commands: 'ls' });
      assert.equal(secret3.code, 0, secret3.stderr + secret3.stdout);
    }));

  test('protocol range: max SMB2_10 negotiates 2.1; min SMB3_00 refuses an SMB 2.1 client', async (t) => {
    await withLab(t, { maxProtocol: 'SMB2_10' }, async (lab) => {
      assert.equal((await probeSmb2(lab.host, lab.port))?.dialect, Dialect.SMB2_1);
    });
    await withLab(t, { minProtocol: 'SMB3_00' }, async (lab) => {
      assert.equal((await probeSmb2(lab.host, lab.port))?.dialect, Dialect.SMB3_1_1);
      const r = await runSmbclient(lab, { maxProtocol: 'SMB2_10', commands: 'ls' });
      assert.notEqual(r.code, 0);
    });
  });

  test(
    'several users and shares; concurrent labs get different ports',
    { skip: !isRoot() && 'needs root for extra users' },
    async (t) => {
      const users = [
        { user: 'smbench', password: 'first-Passw0rd' },
        { user: 'smbench2', password: 'second-Passw0rd' },
      ];
      await withLab(t, { users, shares: ['one', 'two'] }, async (lab) => {
        const other = await startSambaLab({});
        try {
          assert.notEqual(other.port, lab.port);
          assert.notEqual(other.dir, lab.dir);
        } finally {
          await other.stop();
        }
        const a = await runSmbclient(lab, {
          share: 'one',
          user: users[0],
          commands: 'put /etc/hostname by-first',
        });
        assert.equal(a.code, 0, a.stderr + a.stdout);
        const b = await runSmbclient(lab, {
          share: 'one',
          user: users[1],
          commands: 'put /etc/hostname by-second; ls',
        });
        assert.equal(b.code, 0, b.stderr + b.stdout);
        assert.match(b.stdout, /by-first/);
        assert.deepEqual(
          lab.users.map((u) => u.domain),
          ['SMBENCHLAB', 'SMBENCHLAB'],
        );
      });
    },
  );

  test('stop() kills smbd, removes the directory and is idempotent; keep keeps it', async () => {
    const lab = await startSambaLab({});
    await Promise.all([lab.stop(), lab.stop()]);
    assert.equal(isProcessAlive(lab.pid), false);
    assert.equal(existsSync(lab.dir), false);
    assert.equal(await probeSmb2(lab.host, lab.port, 500), undefined);
    await lab.stop();

    const kept = await startSambaLab({ keep: true });
    await kept.stop();
    try {
      assert.equal(isProcessAlive(kept.pid), false);
      assert.ok(existsSync(kept.logPath));
    } finally {
      await rm(kept.dir, { recursive: true, force: true });
    }
  });

  for (const ending of ['process.exit(0)', "process.kill(process.pid, 'SIGTERM')"]) {
    test(`a process that forgets stop() does not leak smbd: ${ending}`, async () => {
      const script = [
        `const { startSambaLab } = await import(${JSON.stringify(join(REPO, 'src/lab/samba-lab.ts'))});`,
        'const lab = await startSambaLab({});',
        'console.log(JSON.stringify({ pid: lab.pid, dir: lab.dir }));',
        ending,
        'await new Promise((resolve) => setTimeout(resolve, 10_000));',
      ].join('\n');
      const r = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
      const { pid, dir } = JSON.parse(r.stdout) as { pid: number; dir: string };
      // SIGKILL was sent before the script died, but on a loaded machine the kernel may take a
      // moment to tear smbd down: allow a few seconds (a leak would stay alive for good).
      for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((res) => setTimeout(res, 50));
      assert.equal(isProcessAlive(pid), false);
      assert.equal(existsSync(dir), false);
    });
  }

  test('a port smbd cannot bind fails with ERR_LAB and the smbd log', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(startSambaLab({ port, startTimeoutMs: 5000 }), (err: unknown) => {
        assert.ok(err instanceof SmbBenchError);
        assert.equal(err.code, ErrorCode.LAB);
        assert.match(err.message, /last lines of .*smbd\.log/);
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  test('CLI: lab up detaches, status sees it, down stops it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'smbench-cli-test-'));
    const statePath = join(dir, 'lab.json');
    const cli = (...args: string[]): Promise<RunResult> =>
      run(process.execPath, [
        '--import',
        'tsx',
        join(REPO, 'src/cli/main.ts'),
        'lab',
        ...args,
        '--state',
        statePath,
      ]);
    try {
      const up = await cli('up', '--signing', 'required', '--share', 'demo');
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, /Samba lab running: smb:\/\/127\.0\.0\.1:\d+\/demo/);
      const state = parseLabState(JSON.parse(await readFile(statePath, 'utf8')));
      assert.ok(isProcessAlive(state.pid), 'smbd outlives the CLI process');
      assert.equal(state.shares[0]?.name, 'demo');

      const again = await cli('up');
      assert.equal(again.code, 1);
      assert.match(again.stderr, /ERR_LAB: a lab is already running/);

      const status = await cli('status', '--json');
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).answering, true);

      const down = await cli('down');
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, /stopped smbd pid/);
      assert.equal(isProcessAlive(state.pid), false);
      assert.equal(existsSync(state.dir), false);
      assert.equal(existsSync(statePath), false);

      const after = await cli('status');
      assert.equal(after.code, 1);
      assert.equal((await cli('down')).code, 0, 'down without a lab is a no-op');
    } finally {
      // If an assertion failed midway, do not leave the detached smbd behind.
      await run(process.execPath, [
        '--import',
        'tsx',
        join(REPO, 'src/cli/main.ts'),
        'lab',
        'down',
        '--state',
        statePath,
      ]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

function findTestparm(): string | undefined {
  for (const path of ['/usr/bin/testparm', '/usr/local/bin/testparm', '/usr/local/samba/bin/testparm']) {
    if (existsSync(path)) return path;
  }
  return undefined;
}
