/**
 * Issue #10.3 / #11.5 against the real lab: every run ends. A capture with a CHANGE_NOTIFY that
 * stays pending and an IR CANCEL of it replays completely under --max (where the CANCEL overtakes
 * its target) and --speed 20, also when the notify rides in a CREATE compound; a notify nothing
 * completes is ended by --op-timeout as a counted timeout error; and SIGTERM during such a run
 * stops it, writes the results so far and exits non-zero.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileCaptures } from '../../../src/compiler/index.js';
import { readIrFully } from '../../../src/ir/ir-reader.js';
import { tcpdumpPath } from '../../../src/lab/loopback-capture.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import { readCheckpoint } from '../../../src/runner/checkpoint-store.js';
import type { Credential } from '../../../src/runner/credentials.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { readJson, spawnCli, waitFor } from '../scale/cli-process.js';
import { recordPendingNotify, type PendingNotifyScript } from './pending-async-trace.js';
import { startStallingProxy } from './stalling-proxy.js';

const FILES = 8;
/** Only turns a hang (the bug) into a failure; each run takes about a second. */
const HANG = { timeout: 60_000 };

interface Trace {
  readonly workload: string;
  readonly ops: number;
}

describe(
  'run lifecycle: pending async requests never hold a run',
  { skip: labSkipReason() || (!tcpdumpPath() && 'tcpdump not installed') },
  () => {
    let lab: SambaLab;
    let work: string;
    let credentials: Credential[];
    const traces = new Map<string, Trace>();

    async function record(name: string, script: PendingNotifyScript): Promise<void> {
      const pcap = join(work, `${name}.pcap`);
      await recordPendingNotify(lab, pcap, script);
      const workload = join(work, `${name}.smbw`);
      await compileCaptures([pcap], { output: workload, serverPorts: [lab.port] });
      traces.set(name, { workload, ops: (await readIrFully(workload)).ops.length });
    }

    before(async () => {
      lab = await startSambaLab({});
      work = await mkdtemp(join(tmpdir(), 'smbench-lifecycle-'));
      const user = lab.users[0]!;
      credentials = [{ user: user.user, password: user.password, domain: '' }];
      await record('cancel', { files: FILES, compound: false, end: 'cancel' });
      await record('compound-cancel', { files: FILES, compound: true, end: 'cancel' });
      // Pending 2 s in the trace: replayed, it would wait that plus the notify slack (5 s).
      await record('compound-never', { files: FILES, compound: true, end: 'trigger', triggerAfterMs: 2000 });
    });

    after(async () => {
      await lab?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    const target = () => ({ host: lab.host, port: lab.port, share: lab.shares[0]!.name });
    const trace = (name: string): Trace => traces.get(name)!;
    const accounted = (r: RunResults): number =>
      r.totals.ops + Object.values(r.skips).reduce((n, v) => n + v, 0);

    for (const name of ['cancel', 'compound-cancel']) {
      for (const [label, pacing] of [
        ['--max', makePacing('max')],
        ['--speed 20', makePacing('recorded', 20)],
      ] as const) {
        test(
          `${name}, ${label}: the CANCEL ends its notify and every op is accounted for`,
          HANG,
          async () => {
            const { workload, ops } = trace(name);
            assert.ok(ops >= 3 * FILES + 4, `the trace holds the whole script (${ops} ops)`);
            const outcome = await runWorkload({
              workload,
              target: target(),
              credentials,
              pacing,
              runRoot: `${name}-${label.replace(/\W/g, '')}`,
              prepare: true,
              cleanup: true,
              progress: false,
            });
            const r = outcome.results;
            assert.equal(outcome.interrupted, false);
            assert.equal(accounted(r), ops, JSON.stringify({ totals: r.totals, skips: r.skips }));
            assert.deepEqual(r.perKind['change_notify']?.statuses, { STATUS_CANCELLED: 1 });
            assert.equal(r.totals.errors, 0, JSON.stringify(r.perKind, null, 1));
            assert.equal(r.fidelity.matchRatio, 1);
          },
        );
      }
    }

    test('--op-timeout: a notify nothing completes is cancelled and counted as a timeout', HANG, async () => {
      const { workload, ops } = trace('compound-never');
      const outcome = await runWorkload({
        workload,
        target: target(),
        credentials,
        pacing: makePacing('max'),
        opTimeoutMs: 500,
        runRoot: 'op-timeout',
        prepare: true,
        cleanup: true,
        progress: false,
      });
      const r = outcome.results;
      assert.equal(accounted(r), ops);
      assert.deepEqual(r.perKind['change_notify']?.statuses, { ERR_SMB_TIMEOUT: 1 });
      assert.equal(r.totals.errors, 1);
    });

    /**
     * Starts `smbench run` on the never-completing trace through `port`, waits until only the
     * compound holding the pending notify (and the close after it) is left, runs `beforeSignal`,
     * sends SIGTERM and returns how the process ended and the results file it wrote.
     */
    async function sigtermRun(
      name: string,
      port: number,
      beforeSignal: () => void = () => undefined,
    ): Promise<{ code: number | null; stderr: string; results: RunResults | undefined }> {
      const { workload, ops } = trace('compound-never');
      const checkpoint = join(work, `${name}.ckpt`);
      const out = join(work, `${name}.json`);
      const cli = spawnCli([
        'run',
        workload,
        '--target',
        `smb://${lab.host}:${port}/${lab.shares[0]!.name}`,
        '-u',
        credentials[0]!.user,
        '--password',
        credentials[0]!.password,
        '--max',
        '--prepare',
        '--run-root',
        name,
        '--checkpoint',
        checkpoint,
        '--checkpoint-interval',
        '100ms',
        '--out',
        out,
        '-q',
      ]);
      try {
        await waitFor('the ops before the pending notify', async () => {
          const c = await readCheckpoint(checkpoint);
          return c.results.totals.ops >= ops - 3 ? true : undefined;
        });
        beforeSignal();
        cli.child.kill('SIGTERM');
        const exit = await cli.exited;
        return { code: exit.code, stderr: cli.stderr(), results: await readJson<RunResults>(out) };
      } finally {
        if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      }
    }

    test(
      'SIGTERM with a notify pending: the run stops, writes the results so far, exits 1',
      HANG,
      async () => {
        const { code, stderr, results } = await sigtermRun('sigterm', lab.port);
        assert.equal(code, 1, stderr);
        assert.match(stderr, /SIGTERM: stopping/);
        assert.match(stderr, /run interrupted \(SIGTERM\)/);
        assert.ok(results, 'results written');
        assert.equal(results.meta['interrupted'], true);
        assert.equal(results.meta['forcedStop'], undefined);
        assert.deepEqual(results.perKind['change_notify']?.statuses, { STATUS_CANCELLED: 1 });
        const { ops } = trace('compound-never');
        assert.ok(results.totals.ops < ops, `partial totals: ${results.totals.ops} of ${ops}`);
      },
    );

    test(
      'SIGTERM while the server answers nothing (not even the CANCEL): connections are closed after the grace, results written',
      HANG,
      async () => {
        const proxy = await startStallingProxy(lab.host, lab.port);
        try {
          const { code, stderr, results } = await sigtermRun('stalled', proxy.port, () => proxy.stall());
          assert.equal(code, 1, stderr);
          assert.ok(results, 'results written');
          assert.equal(results.meta['interrupted'], true);
          assert.equal(results.meta['forcedStop'], true);
          // The pending notify never got an answer: it failed when its connection was closed.
          assert.equal(results.perKind['change_notify']?.errors, 1);
        } finally {
          await proxy.close();
        }
      },
    );
  },
);
