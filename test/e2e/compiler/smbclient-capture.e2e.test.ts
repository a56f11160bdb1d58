import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { compileFiles, type CompiledTrace } from '../../compiler/support/compile-trace.js';
import { hasTshark, tsharkRequestCounts } from '../../compiler/support/tshark.js';
import { startLoopbackCapture, tcpdumpPath } from '../../../src/lab/loopback-capture.js';
import { runSmbclient } from '../fixtures/lab-fixture.js';

const SCRIPT =
  'mkdir d; put /etc/services d/s.txt; ls d; get d/s.txt /dev/null; rename d/s.txt d/t.txt; del d/t.txt; rmdir d';

describe(
  'compiling a capture of smbclient against Samba',
  { skip: !tcpdumpPath() && 'tcpdump not installed' },
  () => {
    let lab: SambaLab;
    let dir: string;
    let pcap: string;
    let compiled: CompiledTrace;

    before(async () => {
      lab = await startSambaLab({});
      dir = mkdtempSync(join(tmpdir(), 'smbench-e2e-compile-'));
      pcap = join(dir, 'smbclient.pcap');
      const recorder = await startLoopbackCapture(lab.port, pcap);
      try {
        const run = await runSmbclient(lab, { maxProtocol: 'SMB3', commands: SCRIPT });
        assert.equal(run.code, 0, run.stdout + run.stderr);
      } finally {
        await recorder.stop();
      }
      compiled = await compileFiles([pcap], { serverPorts: [lab.port] });
    });

    after(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the workload is valid and names the lab user', () => {
      assert.deepEqual(compiled.problems, []);
      const names = compiled.doc.users.map((u) => u.name.split('\\')[1]?.toLowerCase());
      assert.ok(names.includes(lab.users[0]!.user.toLowerCase()), JSON.stringify(compiled.doc.users));
      assert.equal(compiled.result.stats.unmatchedResponses, 0);
      assert.equal(compiled.result.stats.skipped.noResponse, 0);
    });

    test('the ops follow the script: mkdir, put, ls, get, rename, del, rmdir', () => {
      const ops = compiled.doc.ops;
      const creates = ops.flatMap((o) => (o.op === 'create' ? [o] : []));
      assert.ok(
        creates.some((c) => c.path === 'd' && c.createDisposition === 2 && c.status === 0),
        'mkdir d',
      );
      assert.ok(
        creates.some((c) => c.path === 'd/s.txt' && c.createAction === 2),
        'put creates d/s.txt',
      );
      const written = ops.reduce((n, o) => n + (o.op === 'write' && o.status === 0 ? o.length : 0), 0);
      const read = ops.reduce((n, o) => n + (o.op === 'read' && o.status === 0 ? (o.dataLength ?? 0) : 0), 0);
      assert.ok(written > 1000 && read === written, `wrote ${written}, read ${read}`);
      assert.ok(
        ops.some((o) => o.op === 'query_directory'),
        'ls d',
      );
      assert.ok(
        ops.some((o) => o.op === 'set_info' && o.info.kind === 'rename' && o.info.newPath === 'd/t.txt'),
        'rename',
      );
      // smbclient deletes a file with FILE_DELETE_ON_CLOSE and a directory with a disposition.
      assert.ok(
        creates.some((c) => c.path === 'd/t.txt' && (c.createOptions & 0x1000) !== 0),
        'del',
      );
      assert.ok(
        ops.some((o) => o.op === 'set_info' && o.info.kind === 'disposition' && o.info.deletePending),
        'rmdir',
      );
      // Everything the script touches it creates first, so nothing has to pre-exist.
      assert.deepEqual(compiled.doc.namespace, []);
      for (const op of ops) for (const d of op.deps) assert.ok(d < op.seq);
    });

    test(
      'per-command request counts agree with tshark',
      { skip: !hasTshark && 'tshark not installed' },
      () => {
        assert.deepEqual(compiled.result.stats.requestsByCommand, tsharkRequestCounts(pcap, lab.port));
      },
    );
  },
);
