/**
 * Issue #4's end-to-end path on real traffic: record smbclient against the lab, compile it,
 * prepare and replay it with 1 and with 50 users (fidelity and final tree per user), then record
 * the 1-user replay itself, compile that, and check it reproduces the original op sequence.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import type { Tree } from '../../../src/client/tree.js';
import { compileCaptures } from '../../../src/compiler/index.js';
import { readIrFully } from '../../../src/ir/ir-reader.js';
import type { IrOp } from '../../../src/ir/types.js';
import { startLoopbackCapture, tcpdumpPath } from '../../../src/lab/loopback-capture.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { runWorkload } from '../../../src/runner/runner.js';
import type { Credential } from '../../../src/runner/credentials.js';
import { labSkipReason, runSmbclient } from '../fixtures/lab-fixture.js';
import { listTree } from '../fixtures/list-tree.js';

const SCRIPT = [
  'mkdir docs',
  'put /etc/services docs/services.txt',
  'put /etc/hostname docs/host.txt',
  'ls docs',
  'get docs/services.txt /dev/null',
  'rename docs/host.txt docs/hostname.txt',
  'mkdir tmp',
  'put /etc/hostname tmp/x',
  'del tmp/x',
  'rmdir tmp',
].join('; ');

const EXPECTED_TREE = {
  docs: 'dir',
  'docs/hostname.txt': statSync('/etc/hostname').size,
  'docs/services.txt': statSync('/etc/services').size,
};

/** What must reproduce: the op kind and, for creates, the path (relative to the user's root). */
function signature(ops: readonly IrOp[], userRoot = ''): string[] {
  const relative = (path: string): string =>
    userRoot === ''
      ? path
      : path === userRoot
        ? ''
        : path.startsWith(`${userRoot}/`)
          ? path.slice(userRoot.length + 1)
          : path;
  return ops
    .filter((o) => o.op !== 'ioctl') // DFS referrals and the like are not replayed (counted skips)
    .map((o) => (o.op === 'create' ? `create:${relative(o.path)}` : o.op));
}

describe(
  'capture -> compile -> prepare -> run -> capture round trip',
  { skip: labSkipReason() || (!tcpdumpPath() && 'tcpdump not installed') },
  () => {
    let lab: SambaLab;
    let work: string;
    let workload: string;
    let credentials: Credential[];
    let original: IrOp[];
    let client: SmbClient;
    let tree: Tree;

    before(async () => {
      lab = await startSambaLab({});
      work = await mkdtemp(join(tmpdir(), 'smbench-roundtrip-'));
      const user = lab.users[0]!;
      credentials = [{ user: user.user, password: user.password, domain: '' }];
      const pcap = join(work, 'smbclient.pcap');
      const capture = await startLoopbackCapture(lab.port, pcap);
      try {
        const run = await runSmbclient(lab, { maxProtocol: 'SMB3', commands: SCRIPT });
        assert.equal(run.code, 0, run.stdout + run.stderr);
      } finally {
        await capture.stop();
      }
      workload = join(work, 'smbclient.smbw');
      await compileCaptures([pcap], { output: workload, serverPorts: [lab.port] });
      original = (await readIrFully(workload)).ops.slice();
      client = await SmbClient.connect({ host: lab.host, port: lab.port });
      tree = await (
        await client.login({ user: user.user, password: user.password })
      ).connectTree(lab.shares[0]!.name);
    });

    after(async () => {
      client?.close();
      await lab?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    const target = () => ({ host: lab.host, port: lab.port, share: lab.shares[0]!.name });

    test('1 user: fidelity, final tree, and the replay recompiles to the same op sequence', async () => {
      // Prepare separately, so the second capture holds only the replay.
      await runWorkload({
        workload,
        target: target(),
        credentials,
        users: 1,
        runRoot: 'rt1',
        prepare: true,
        durationMs: 0,
        progress: false,
      });
      const pcap = join(work, 'replay.pcap');
      const capture = await startLoopbackCapture(lab.port, pcap);
      let outcome;
      try {
        outcome = await runWorkload({
          workload,
          target: target(),
          credentials,
          users: 1,
          runRoot: 'rt1',
          progress: false,
        });
      } finally {
        await capture.stop();
      }
      assert.ok(
        outcome.results.fidelity.matchRatio >= 0.99,
        JSON.stringify(outcome.results.perKind, null, 1),
      );
      assert.equal(outcome.results.totals.errors, 0);
      assert.deepEqual(await listTree(tree, 'rt1/u0'), EXPECTED_TREE);

      const replayIr = join(work, 'replay.smbw');
      await compileCaptures([pcap], { output: replayIr, serverPorts: [lab.port] });
      const replayed = (await readIrFully(replayIr)).ops.slice();
      assert.deepEqual(signature(replayed, 'rt1/u0'), signature(original));
    });

    test('50 users: fidelity >= 99% and every user has the tree the capture left', async () => {
      const outcome = await runWorkload({
        workload,
        target: target(),
        credentials,
        users: 50,
        sessionsPerConnection: 25,
        runRoot: 'rt50',
        prepare: true,
        progress: false,
      });
      assert.ok(
        outcome.results.fidelity.matchRatio >= 0.99,
        JSON.stringify(outcome.results.perKind, null, 1),
      );
      assert.equal(outcome.results.meta['brokenUsers'], 0);
      const top = Object.keys(await listTree(tree, 'rt50')).filter((k) => !k.includes('/'));
      assert.equal(top.length, 50);
      for (const dir of top) assert.deepEqual(await listTree(tree, `rt50/${dir}`), EXPECTED_TREE, dir);
    });
  },
);
