import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { compileFiles, type CompiledTrace } from '../../compiler/support/compile-trace.js';
import { hasTshark, tsharkRequestCounts } from '../../compiler/support/tshark.js';
import { startLoopbackCapture, tcpdumpPath } from '../../../src/lab/loopback-capture.js';

const execFileAsync = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'support', 'impacket-workload.py');

/** What exists on the share before the capture starts (path -> size; undefined = directory). */
const PRE_EXISTING: Record<string, number | undefined> = {
  pre: undefined,
  'pre/a.bin': 5000,
  'pre/b.txt': 1234,
  'pre/sub': undefined,
  'pre/sub/c.dat': 777,
  'pre/gone.tmp': 10,
  'pre/old.name': 20,
};

describe(
  'compiling a capture of impacket against Samba',
  { skip: !tcpdumpPath() && 'tcpdump not installed' },
  () => {
    let lab: SambaLab;
    let dir: string;
    let pcap: string;
    let compiled: CompiledTrace;
    let encrypted: CompiledTrace;

    before(async () => {
      lab = await startSambaLab({});
      const root = lab.shares[0]!.path;
      for (const [path, size] of Object.entries(PRE_EXISTING)) {
        const full = join(root, path);
        if (size === undefined) {
          mkdirSync(full, { recursive: true });
          chmodSync(full, 0o777);
        } else writeFileSync(full, Buffer.alloc(size, 0x61), { mode: 0o666 });
      }
      dir = mkdtempSync(join(tmpdir(), 'smbench-e2e-impacket-'));
      pcap = join(dir, 'impacket.pcap');
      const u = lab.users[0]!;
      const capture = async (file: string, mode: 'clear' | 'encrypted') => {
        const recorder = await startLoopbackCapture(lab.port, file);
        try {
          const args = [
            SCRIPT,
            lab.host,
            String(lab.port),
            u.user,
            u.password,
            u.domain,
            lab.shares[0]!.name,
            mode,
          ];
          await execFileAsync(PYTHON, args, { timeout: 60_000 });
        } finally {
          await recorder.stop();
        }
      };
      await capture(pcap, 'clear');
      compiled = await compileFiles([pcap], { serverPorts: [lab.port] });
      const encryptedPcap = join(dir, 'impacket-smb3.pcap');
      await capture(encryptedPcap, 'encrypted');
      encrypted = await compileFiles([encryptedPcap], { serverPorts: [lab.port] });
    });

    after(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the workload is valid', () => {
      assert.deepEqual(compiled.problems, []);
      assert.equal(compiled.doc.users.length, 1);
      assert.equal(
        compiled.doc.users[0]!.name.toLowerCase(),
        `${lab.users[0]!.domain}\\${lab.users[0]!.user}`.toLowerCase(),
      );
      assert.equal(compiled.result.stats.skipped.noResponse, 0);
    });

    test('files read, listed, renamed or deleted but not created are the initial namespace, with sizes', () => {
      const ns = Object.fromEntries(
        compiled.doc.namespace.map((e) => [e.path, e.kind === 'dir' ? undefined : e.size]),
      );
      assert.deepEqual(ns, PRE_EXISTING);
      for (const created of ['pre/new.txt', 'made', 'pre/new.name'])
        assert.ok(!(created in ns), `${created} must not pre-exist`);
    });

    test('encrypted SMB3 traffic is counted and reported, not silently dropped', () => {
      assert.deepEqual(encrypted.problems, []);
      const s = encrypted.result.stats;
      assert.ok(s.encryptedPdus > 10, `${s.encryptedPdus} encrypted PDUs`);
      assert.equal(s.ops, 0);
      assert.ok(encrypted.result.warnings.some((w) => w.kind === 'encrypted' && w.count === s.encryptedPdus));
      // The clear-text part (NEGOTIATE, SESSION_SETUP) still names the user.
      assert.equal(encrypted.doc.users.length, 1);
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
