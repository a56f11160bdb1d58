import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startRunObservability, type ObservabilityFlags } from '../../src/cli/run-observability.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunOutcome } from '../../src/runner/runner.js';
import type { RunOptions } from '../../src/runner/run-options.js';
import { fixtureResults } from './report-fixture.js';

const SECRET = 'Sup3r-secret-pw';

const OPTIONS: RunOptions = {
  workload: 'office.smbw',
  target: { host: '127.0.0.1', port: 4450, share: 'bench' },
  credentials: [{ user: 'alice', password: SECRET, domain: 'LAB' }],
  users: 3,
  progress: false,
};

function flags(over: Partial<ObservabilityFlags> = {}): ObservabilityFlags {
  return {
    'metrics-port': undefined,
    'metrics-linger': undefined,
    'metrics-host': undefined,
    'log-file': undefined,
    'log-level': undefined,
    'log-format': undefined,
    ...over,
  };
}

const stderrSink = {
  chunks: [] as string[],
  write(c: string) {
    this.chunks.push(c);
    return true;
  },
};

function outcome(): RunOutcome {
  const results = fixtureResults();
  return {
    results,
    fidelity: { ok: true, matchRatio: 0.97, compared: 100, minFidelity: 0.9, reason: '97% matched' },
    prepare: undefined,
    cleanup: undefined,
    interrupted: false,
    checkpoint: undefined,
  } as RunOutcome;
}

describe('run observability (CLI glue)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-obs-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('logs start (without the password) and end; metrics served while running, labelled by shard', async () => {
    const logFile = join(dir, 'run.log');
    const obs = await startRunObservability(
      flags({ 'log-file': logFile, 'metrics-port': '0', shard: ' 1 / 4 ' }),
      stderrSink,
    );
    assert.match(stderrSink.chunks.join(''), /smbench: metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const url = obs.metricsUrl as string;
    let scraped = '';
    await obs.observe(OPTIONS, async (options) => {
      const metrics = new RunMetrics();
      options.observer?.attach(metrics, {
        reconnects: 0,
        breaks: { received: 0, acknowledged: 0, failedAcks: 0 },
        openConnections: 1,
      });
      metrics.recordOp({
        kind: 'read',
        serviceUs: 900,
        fromIntendedUs: 900,
        bytes: 1,
        status: 0,
        expectedStatus: 0,
      });
      options.observer?.onUserError?.(2, new Error('STATUS_LOGON_FAILURE'));
      scraped = await (await fetch(url)).text();
      return outcome();
    });
    assert.match(scraped, /^smbench_ops_total\{op="read",status="STATUS_SUCCESS",shard="1\/4"\} 1$/m);
    await assert.rejects(fetch(url), 'the endpoint is gone after the run');

    const text = await readFile(logFile, 'utf8');
    assert.ok(!text.includes(SECRET));
    const records = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => r['msg']),
      ['run starting', 'virtual user could not log in', 'run finished'],
    );
    assert.ok(records.every((r) => r['shard'] === '1/4'));
    const options = records[0]!['options'] as Record<string, unknown>;
    assert.equal(options['target'], 'smb://127.0.0.1:4450/bench');
    assert.equal(options['firstAccount'], 'alice');
    assert.equal(records[2]!['ops'], fixtureResults().totals.ops);
  });

  test('a failed run is logged as an error and everything is shut down', async () => {
    const logFile = join(dir, 'failed.log');
    const obs = await startRunObservability(flags({ 'log-file': logFile }), stderrSink);
    await assert.rejects(
      obs.observe(OPTIONS, () =>
        Promise.reject(Object.assign(new Error('no route'), { code: 'ERR_SMB_TRANSPORT' })),
      ),
      /no route/,
    );
    const last = JSON.parse((await readFile(logFile, 'utf8')).trim().split('\n').pop()!) as Record<
      string,
      unknown
    >;
    assert.equal(last['msg'], 'run failed');
    assert.equal(last['level'], 50);
    assert.deepEqual(last['error'], { message: 'no route', code: 'ERR_SMB_TRANSPORT' });
  });

  test('bad flag values are usage errors', async () => {
    await assert.rejects(
      startRunObservability(flags({ 'log-level': 'loud' }), stderrSink),
      /--log-level must be one of/,
    );
    await assert.rejects(startRunObservability(flags({ 'log-format': 'xml' }), stderrSink), /--log-format/);
    await assert.rejects(
      startRunObservability(flags({ 'metrics-port': '70000' }), stderrSink),
      /--metrics-port/,
    );
  });
});
