/**
 * The observability of a real run against Samba, through the CLI in a child process (as a user
 * runs it): Prometheus scraped during the run, the JSON log file, then the HTML report rendered
 * in headless Chromium.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { ntHash, ntowfv2 } from '../../../src/auth/ntlm/ntlmv2.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { chartsInDom, chromiumSkipReason, dumpDom } from './headless-chromium.js';

const PASSWORD = 'obs-e2e-Passw0rd-7c1f';
const METRICS_LINE = /smbench: metrics on (http:\/\/\S+\/metrics)/;

/** Sum of a counter's samples in an exposition, over all label sets. */
function counterSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Issue #11.7: no password, NT hash or session key in what a run leaves behind. Session keys are
 * random, so they are looked for by shape: a serialised Buffer, or a lone 16-byte hex string
 * (hashes the results do carry are 32 bytes, 64 hex digits, and do not match).
 */
function assertNoSecrets(where: string, text: string): void {
  const hash = ntHash(PASSWORD);
  for (const [what, secret] of [
    ['password', PASSWORD],
    ['NT hash (hex)', hash.toString('hex')],
    ['NT hash (base64)', hash.toString('base64')],
    ['NTOWFv2 (hex)', ntowfv2(hash, 'smbench', '').toString('hex')],
  ] as const) {
    assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `${what} in ${where}`);
  }
  assert.doesNotMatch(text, /"type":\s*"Buffer"/, `a serialised Buffer in ${where}`);
  assert.doesNotMatch(
    text,
    /(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])/,
    `16-byte key material in ${where}`,
  );
}

describe('run observability against Samba', { skip: labSkipReason() ?? chromiumSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let workload: string;

  before(async () => {
    lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
    dir = await mkdtemp(join(tmpdir(), 'smbench-obs-e2e-'));
    workload = join(dir, 'office.smbw');
    await writeRunnerWorkload(workload, 2);
  });
  after(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('--metrics-port 0 is scraped during the run, --log-file gets JSON lines, report renders', async () => {
    const results = join(dir, 'results.json');
    const logFile = join(dir, 'logs', 'run.log');
    const target = `smb://${lab.host}:${lab.port}/${lab.shares[0]!.name}`;
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
        '--users',
        '4',
        '--prepare',
        '--speed',
        '4',
        '--metrics-port',
        '0',
        // A short run can end before the first scrape; keep the final values up for it.
        '--metrics-linger',
        '10s',
        '--log-file',
        logFile,
        '--log-level',
        'debug',
        '--out',
        results,
        '--quiet',
      ],
      { env: { ...process.env, SMBENCH_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((c) => (exitCode = c));

    // Scrape while the run is going: the endpoint exists only as long as the run.
    let url: string | undefined;
    let scrapedOps = 0;
    let scrape = '';
    const deadline = Date.now() + 90_000;
    while (exitCode === undefined && Date.now() < deadline) {
      url ??= METRICS_LINE.exec(stderr)?.[1];
      if (url !== undefined) {
        try {
          scrape = await (await fetch(url)).text();
          scrapedOps = counterSum(scrape, 'smbench_ops_total');
          if (scrapedOps > 0) break;
        } catch {
          // not listening yet, or the run just ended
        }
      }
      await sleep(200);
    }
    const code = await exited;
    assert.equal(code, ExitCode.OK, stderr);
    assert.ok(url?.startsWith('http://127.0.0.1:'), `metrics URL on loopback: ${url} / ${stderr}`);
    assert.ok(scrapedOps > 0, `ops counted during the run:\n${scrape.slice(0, 2000)}`);
    assert.match(scrape, /^smbench_op_latency_seconds_bucket\{op="\w+",le="\+Inf"\} \d+/m);
    assert.match(scrape, /^smbench_active_users \d+/m);
    assert.match(scrape, /^process_resident_memory_bytes \d+/m);

    const logText = await readFile(logFile, 'utf8');
    assertNoSecrets('the log', logText);
    assertNoSecrets('the metrics', scrape);
    assertNoSecrets('the results', await readFile(results, 'utf8'));
    const records = logText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const start = records.find((r) => r['msg'] === 'run starting');
    assert.ok(start, logText);
    const options = start['options'] as Record<string, unknown>;
    assert.equal(options['target'], target);
    assert.equal(options['firstAccount'], 'smbench');
    assert.equal(start['metricsUrl'], url);
    const end = records.find((r) => r['msg'] === 'run finished');
    assert.ok(end, logText);
    assert.ok((end['ops'] as number) > 0);
    assert.deepEqual((end['fidelity'] as { ok: boolean }).ok, true);
    assert.ok(records.every((r) => typeof r['time'] === 'string' && typeof r['level'] === 'number'));

    const html = join(dir, 'report.html');
    assert.equal(
      await main(['report', results, '-o', html], { out: () => undefined, err: () => undefined }),
      ExitCode.OK,
    );
    assertNoSecrets('the report', await readFile(html, 'utf8'));
    const charts = chartsInDom(await dumpDom(html));
    for (const name of ['throughput', 'latency', 'latency-distribution']) {
      const chart = charts.get(name);
      assert.ok(chart?.interactive, `${name} rendered and interactive`);
      assert.ok(
        chart.points.some((n) => n > 0),
        `${name} has points`,
      );
    }
  });
});
