/**
 * Issue #10.5 against Samba: a capture whose server answered differently (smb2-peter's server
 * denied 17 CLOSEs that Samba allows) is compiled, replayed and reported through the CLI. Each
 * mismatch row (op, recorded status, replayed status) must carry its count and example paths in
 * the results JSON, the terminal summary, the HTML report and the debug log.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { main } from '../../../src/cli/main.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import { REPO_ROOT, sharedPcap } from '../../support/shared-pcaps.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

const PASSWORD = 'mismatch-e2e-Passw0rd-41d';
const PCAP = sharedPcap('suricata-verify--smb2-01--smb2-peter.pcap');

function capture(): { out: (s: string) => void; err: (s: string) => void; text: () => string } {
  let text = '';
  return { out: (s) => (text += s), err: (s) => (text += s), text: () => text };
}

describe(
  'status mismatch breakdown against Samba',
  { skip: labSkipReason() ?? (!existsSync(PCAP) && 'smb2-peter capture not present') },
  () => {
    let lab: SambaLab;
    let dir: string;

    before(async () => {
      lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
      dir = await mkdtemp(join(tmpdir(), 'smbench-mismatch-e2e-'));
    });
    after(async () => {
      await lab?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('rows with counts and example paths in JSON, summary, HTML and debug log', async () => {
      const workload = join(dir, 'peter.smbw');
      const results = join(dir, 'results.json');
      const html = join(dir, 'report.html');
      const log = join(dir, 'run.log');
      assert.equal(await main(['compile', PCAP, '-o', workload, '-q'], capture()), ExitCode.OK);
      const target = `smb://${lab.host}:${lab.port}/${lab.shares[0]!.name}`;
      // A child process, as a user runs it: the summary goes to its stderr.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'run',
          workload,
          '--target',
          target,
          '-u',
          'smbench',
          '--prepare',
          '--cleanup',
          '--max',
          '--min-fidelity',
          '0',
          '--out',
          results,
          '--log-level',
          'debug',
          '--log-file',
          log,
        ],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, SMBENCH_PASSWORD: PASSWORD },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let summary = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (summary += c));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, ExitCode.OK, summary);

      const r = JSON.parse(await readFile(results, 'utf8')) as RunResults;
      const row = r.mismatches?.find(
        (m) => m.op === 'close' && m.recorded === 'STATUS_ACCESS_DENIED' && m.replayed === 'STATUS_SUCCESS',
      );
      assert.ok(row, JSON.stringify(r.mismatches));
      assert.ok(row.count >= 10 && row.count <= r.perKind['close']!.fidelity.mismatched, String(row.count));
      assert.equal(row.examples.length, 3);
      for (const path of row.examples) assert.match(path, /\.txt$/);
      assert.deepEqual(r.perKind['close']!.fidelity.breakdown?.[0]?.examples, row.examples);

      assert.match(summary, /status mismatches vs capture/);
      assert.ok(
        summary.includes(
          `close: recorded STATUS_ACCESS_DENIED, replayed STATUS_SUCCESS  e.g. ${row.examples.join(', ')}`,
        ),
        summary,
      );

      assert.equal(await main(['report', results, '-o', html], capture()), ExitCode.OK);
      const page = await readFile(html, 'utf8');
      const table = /<table data-table="fidelity-mismatches">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
      assert.match(table, /STATUS_ACCESS_DENIED/);
      assert.ok(table.includes(`<td class="num">${row.count}</td>`), table);
      assert.ok(table.includes(row.examples[0]!), table);

      const lines = (await readFile(log, 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"status mismatch"'))
        .map((l) => JSON.parse(l) as { op: string; recorded: string; replayed: string; path?: string });
      const closes = lines.filter((l) => l.op === 'close' && l.recorded === 'STATUS_ACCESS_DENIED');
      assert.equal(closes.length, row.count);
      assert.ok(closes.every((l) => l.path !== undefined && l.replayed === 'STATUS_SUCCESS'));
    });
  },
);
