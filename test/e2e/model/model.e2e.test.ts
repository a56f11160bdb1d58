/**
 * Issue #13 against Samba: learn models from the bundled sample and shared captures, synthesise 1,000 users from each,
 * check their distributions against the source within stated bounds, and replay a subset of the
 * synthetic users against the lab: every op must run, with the statuses the synthesiser predicted.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { main } from '../../../src/cli/main.js';
import { validateIr } from '../../../src/ir/index.js';
import { compareWorkloads } from '../../../src/model/index.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import { BASIC_PCAP, REPO_ROOT, sharedPcap } from '../../support/shared-pcaps.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

const PASSWORD = 'model-e2e-Passw0rd-13';
const SAMPLE = join(REPO_ROOT, 'samples', 'office-mix.pcap');
const PETER = sharedPcap('suricata-verify--smb2-01--smb2-peter.pcap');
/** The bounds docs/model.md states for a full walk per user (no --duration). */
const BOUNDS: Readonly<Record<string, number>> = {
  'op mix': 0.05,
  'think time': 0.05,
  'read size': 0.05,
  'write size': 0.05,
  'initial file size': 0.05,
  'ops per file session': 0.15,
};

function quiet(): { out: (s: string) => void; err: (s: string) => void; text: () => string } {
  let text = '';
  return { out: (s) => (text += s), err: (s) => (text += s), text: () => text };
}

describe(
  'model learn + synth, replayed against Samba',
  {
    skip:
      labSkipReason() ?? ((!existsSync(BASIC_PCAP) || !existsSync(PETER)) && 'shared captures not present'),
  },
  () => {
    let lab: SambaLab;
    let dir: string;

    before(async () => {
      lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
      dir = await mkdtemp(join(tmpdir(), 'smbench-model-e2e-'));
    });
    after(async () => {
      await lab?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    for (const [name, pcap] of [
      ['sample', SAMPLE],
      ['basic', BASIC_PCAP],
      ['peter', PETER],
    ] as const) {
      test(`${name}: 1,000 synthetic users within bounds; 50 of them replay with full fidelity`, async () => {
        const source = join(dir, `${name}.smbw`);
        const model = join(dir, `${name}.json`);
        const synth = join(dir, `${name}-1000.smbw`);
        const results = join(dir, `${name}-results.json`);
        assert.equal(await main(['compile', pcap, '-o', source, '-q'], quiet()), ExitCode.OK);
        assert.equal(await main(['model', 'learn', source, '-o', model], quiet()), ExitCode.OK);
        const out = quiet();
        const args = ['model', 'synth', model, '--users', '1000', '--seed', '13', '-o', synth, '--json'];
        assert.equal(await main(args, out), ExitCode.OK, out.text());
        assert.equal((await validateIr(synth)).ok, true);

        const c = await compareWorkloads(source, synth);
        assert.equal(c.b.users, 1000);
        for (const d of c.distances) {
          assert.ok(d.distance <= BOUNDS[d.name]!, `${d.name}: ${d.distance} > ${BOUNDS[d.name]}`);
          assert.ok(d.withinNoise, `${d.name} beyond noise`);
        }

        const target = `smb://${lab.host}:${lab.port}/${lab.shares[0]!.name}`;
        const run = quiet();
        const runArgs = ['run', synth, '--target', target, '-u', 'smbench', '--password', PASSWORD];
        runArgs.push('--users', '50', '--prepare', '--cleanup', '--max', '--out', results);
        assert.equal(await main(runArgs, run), ExitCode.OK, run.text());
        const r = JSON.parse(await readFile(results, 'utf8')) as RunResults;
        const { matched, mismatched } = r.fidelity;
        const sent = matched + mismatched;
        assert.ok(sent > 50 && r.totals.ops === sent, `${sent} of ${r.totals.ops}`);
        assert.deepEqual(r.skips, {});
        // Statuses are predicted by the synthesiser (EOF, no more files, not found...), so a
        // correct server matches nearly all of them.
        assert.ok(mismatched <= sent * 0.01, `${mismatched} of ${sent} statuses differ`);
      });
    }
  },
);
