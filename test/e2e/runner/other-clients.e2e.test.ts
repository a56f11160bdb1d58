/**
 * Traffic other clients send that ours does not (issue #10), recorded against the lab with our
 * own client driven the way smbtorture drives Samba, compiled and replayed: a connection dropped
 * with a file still open exclusively (the server closes it, MS-SMB2 3.3.7.1) before a second
 * connection opens it again, and a LOCK with LockCount 0 (the server's STATUS_INVALID_PARAMETER
 * probe, 3.3.5.14) and a READ whose MinimumCount exceeds its Length (STATUS_END_OF_FILE, 3.3.5.12).
 * All must compile without skips and replay with every status matched.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { SmbStatusError } from '../../../src/client/errors.js';
import type { Tree } from '../../../src/client/tree.js';
import { compileCaptures } from '../../../src/compiler/index.js';
import { readIrFully } from '../../../src/ir/ir-reader.js';
import { startLoopbackCapture, tcpdumpPath } from '../../../src/lab/loopback-capture.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { CreateDisposition } from '../../../src/smb2/commands/create.js';
import { lockCodec } from '../../../src/smb2/commands/lock.js';
import { readCodec } from '../../../src/smb2/commands/read.js';
import { NtStatus } from '../../../src/smb2/nt-status.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

async function connect(lab: SambaLab): Promise<{ client: SmbClient; tree: Tree }> {
  const u = lab.users[0]!;
  const client = await SmbClient.connect({ host: lab.host, port: lab.port });
  const tree = await (
    await client.login({ user: u.user, password: u.password })
  ).connectTree(lab.shares[0]!.name);
  return { client, tree };
}

/** What the recorded client does: the traffic shapes under test, nothing else. */
async function probeTraffic(lab: SambaLab): Promise<void> {
  const first = await connect(lab);
  // Held exclusively (no sharing) when the connection goes away without a CLOSE.
  await first.tree.open('held.txt', {
    access: 'readwrite',
    disposition: CreateDisposition.FILE_OVERWRITE_IF,
    shareAccess: 0,
  });
  first.client.close();
  const second = await connect(lab);
  try {
    const again = await second.tree.open('held.txt', { access: 'readwrite', shareAccess: 0 });
    const conn = second.tree.session.connection;
    const probe = { lockSequenceNumber: 0, lockSequenceIndex: 0, fileId: again.fileId, locks: [] };
    await assert.rejects(
      conn.request(lockCodec, probe, second.tree.context()),
      (e: unknown) => e instanceof SmbStatusError && e.status === NtStatus.STATUS_INVALID_PARAMETER,
    );
    await again.writeOnce(Buffer.alloc(10, 0x61), 0n);
    // MinimumCount above Length, on a file that has the byte asked for: the server still fails
    // with STATUS_END_OF_FILE (MS-SMB2 3.3.5.12).
    const read = {
      padding: 0x50,
      flags: 0,
      length: 1,
      offset: 0n,
      fileId: again.fileId,
      minimumCount: 100,
      channel: 0,
      remainingBytes: 0,
      readChannelInfo: Buffer.alloc(0),
    };
    await assert.rejects(
      conn.request(readCodec, read, second.tree.context()),
      (e: unknown) => e instanceof SmbStatusError && e.status === NtStatus.STATUS_END_OF_FILE,
    );
    await again.close();
  } finally {
    second.client.close();
  }
}

describe(
  'traffic shapes of other clients compile and replay faithfully',
  { skip: labSkipReason() || (!tcpdumpPath() && 'tcpdump not installed') },
  () => {
    let lab: SambaLab;
    let work: string;
    let workload: string;

    before(async () => {
      lab = await startSambaLab({});
      work = await mkdtemp(join(tmpdir(), 'smbench-other-clients-'));
      const pcap = join(work, 'probes.pcap');
      const capture = await startLoopbackCapture(lab.port, pcap);
      try {
        await probeTraffic(lab);
      } finally {
        await capture.stop();
      }
      workload = join(work, 'probes.smbw');
      const compiled = await compileCaptures([pcap], { output: workload, serverPorts: [lab.port] });
      const skipped = Object.entries(compiled.stats.skipped).filter(([, n]) => n > 0);
      assert.deepEqual(skipped, [], 'no request of the capture is skipped');
    });

    after(async () => {
      await lab?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('the dropped connection closes its open; the probes are kept', async () => {
      const ops = (await readIrFully(workload)).ops;
      const kinds = ops.map((o) => `${o.op}${o.op === 'close' && o.synthetic ? ' (synthetic)' : ''}`);
      assert.deepEqual(kinds, ['create', 'close (synthetic)', 'create', 'lock', 'write', 'read', 'close']);
      const lock = ops[3]!;
      assert.ok(lock.op === 'lock' && lock.locks.length === 0);
      assert.equal(lock.status, NtStatus.STATUS_INVALID_PARAMETER);
    });

    test('the replay matches every recorded status', async () => {
      const u = lab.users[0]!;
      const outcome = await runWorkload({
        workload,
        target: { host: lab.host, port: lab.port, share: lab.shares[0]!.name },
        credentials: [{ user: u.user, password: u.password, domain: '' }],
        users: 1,
        runRoot: 'other',
        prepare: true,
        cleanup: true,
        progress: false,
      });
      const fidelity = outcome.results.fidelity;
      assert.equal(fidelity.mismatched, 0, JSON.stringify(outcome.results.mismatches));
      assert.equal(fidelity.matched, 7);
    });
  },
);
