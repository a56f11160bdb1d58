import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { CumulativeBuckets } from '../../src/observe/prometheus-buckets.js';
import { PromMetricName, PrometheusRunCollector } from '../../src/observe/prometheus-collector.js';
import { PrometheusExporter } from '../../src/observe/prometheus-exporter.js';
import { RunMetrics, type OpSample } from '../../src/observe/run-metrics.js';

const STATUS_SUCCESS = 0;
const STATUS_ACCESS_DENIED = 0xc0000022;
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;

function sample(over: Partial<OpSample> = {}): OpSample {
  return {
    kind: 'read',
    serviceUs: 800,
    fromIntendedUs: 800,
    bytes: 4096,
    status: STATUS_SUCCESS,
    expectedStatus: STATUS_SUCCESS,
    ...over,
  };
}

/** `name{labels} value` lines of an exposition, as a map (no HELP/TYPE). */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

describe('CumulativeBuckets', () => {
  test('counts are cumulative per bound, +Inf equals count, sum in seconds', () => {
    const b = new CumulativeBuckets([0.001, 0.01, 0.1]);
    for (const us of [500, 1000, 1001, 50_000, 2_000_000]) b.record(us);
    assert.deepEqual(b.cumulative(), [2, 3, 4]);
    const samples = b.samples('x', { op: 'read' });
    assert.deepEqual(
      samples.map((s) => [s.metricName, s.labels['le'], s.value]),
      [
        ['x_bucket', 0.001, 2],
        ['x_bucket', 0.01, 3],
        ['x_bucket', 0.1, 4],
        ['x_bucket', '+Inf', 5],
        ['x_sum', undefined, 2.052501],
        ['x_count', undefined, 5],
      ],
    );
  });

  test('refuses bounds that do not increase', () => {
    assert.throws(() => new CumulativeBuckets([0.1, 0.1]), RangeError);
  });
});

describe('PrometheusRunCollector', () => {
  test('exposes ops, errors, latency, bytes, gauges, fidelity, lag from RunMetrics events', async () => {
    const metrics = new RunMetrics();
    const collector = new PrometheusRunCollector({ labels: { shard: '1/2' }, processMetrics: false });
    metrics.addListener(collector);
    collector.attachPool({
      reconnects: 2,
      breaks: { received: 3, acknowledged: 3, failedAcks: 0 },
      openConnections: 4,
    });
    metrics.recordOp(sample());
    metrics.recordOp(sample({ serviceUs: 30_000 }));
    metrics.recordOp(sample({ kind: 'write', bytes: 100, status: STATUS_ACCESS_DENIED }));
    metrics.recordOp(sample({ kind: 'create', error: 'ERR_SMB_TIMEOUT', bytes: 0 }));
    // A recorded failure reproduced: counted as an op, matched, not an error.
    metrics.recordOp(
      sample({
        kind: 'create',
        bytes: 0,
        status: STATUS_OBJECT_NAME_NOT_FOUND,
        expectedStatus: STATUS_OBJECT_NAME_NOT_FOUND,
      }),
    );
    metrics.recordLag(200);
    metrics.recordRetry('read');
    metrics.recordSkip('ioctl', 'ioctl not replayed');
    metrics.setGauge('activeUsers', 7);
    metrics.setGauge('sessions', 7);

    const m = parseExposition(await collector.metrics());
    const s = ',shard="1/2"';
    assert.equal(m.get(`smbench_ops_total{op="read",status="STATUS_SUCCESS"${s}}`), 2);
    assert.equal(m.get(`smbench_ops_total{op="write",status="STATUS_ACCESS_DENIED"${s}}`), 1);
    assert.equal(m.get(`smbench_ops_total{op="create",status="ERR_SMB_TIMEOUT"${s}}`), 1);
    assert.equal(m.get(`smbench_ops_total{op="create",status="STATUS_OBJECT_NAME_NOT_FOUND"${s}}`), 1);
    assert.equal(m.get(`smbench_errors_total{op="write",status="STATUS_ACCESS_DENIED"${s}}`), 1);
    assert.equal(m.get(`smbench_errors_total{op="create",status="ERR_SMB_TIMEOUT"${s}}`), 1);
    assert.equal(
      m.get(`smbench_errors_total{op="create",status="STATUS_OBJECT_NAME_NOT_FOUND"${s}}`),
      undefined,
    );
    assert.equal(m.get(`smbench_op_latency_seconds_bucket{op="read",le="0.001"${s}}`), 1);
    assert.equal(m.get(`smbench_op_latency_seconds_bucket{op="read",le="0.05"${s}}`), 2);
    assert.equal(m.get(`smbench_op_latency_seconds_bucket{op="read",le="+Inf"${s}}`), 2);
    assert.equal(m.get(`smbench_op_latency_seconds_count{op="read"${s}}`), 2);
    assert.equal(m.get(`smbench_bytes_total{direction="read"${s}}`), 8192);
    assert.equal(m.get(`smbench_bytes_total{direction="write"${s}}`), 100);
    assert.equal(m.get(`smbench_active_users{shard="1/2"}`), 7);
    assert.equal(m.get(`smbench_sessions{shard="1/2"}`), 7);
    assert.equal(m.get(`smbench_connections{shard="1/2"}`), 4, 'live from the pool');
    assert.equal(m.get(`smbench_fidelity_ratio{shard="1/2"}`), 3 / 5);
    assert.equal(m.get(`smbench_schedule_lag_seconds_count{shard="1/2"}`), 1);
    assert.equal(m.get(`smbench_retries_total{op="read"${s}}`), 1);
    assert.equal(m.get(`smbench_skipped_ops_total{op="ioctl",reason="ioctl not replayed"${s}}`), 1);
    assert.equal(m.get(`smbench_reconnects_total{shard="1/2"}`), 2);
    assert.equal(m.get(`smbench_breaks_total{event="received"${s}}`), 3);
  });

  test('every metric has HELP and TYPE lines; process metrics are on by default', async () => {
    const text = await new PrometheusRunCollector().metrics();
    for (const name of Object.values(PromMetricName)) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });
});

describe('PrometheusExporter', () => {
  test('serves GET /metrics on 127.0.0.1 with a random port; 404 elsewhere; closes', async () => {
    const exporter = await PrometheusExporter.start({ port: 0, processMetrics: false });
    try {
      assert.match(exporter.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const metrics = new RunMetrics();
      exporter.attach(metrics, {
        reconnects: 0,
        breaks: { received: 0, acknowledged: 0, failedAcks: 0 },
        openConnections: 1,
      });
      metrics.recordOp(sample());
      const res = await fetch(exporter.url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const body = await res.text();
      assert.match(body, /^smbench_ops_total\{op="read",status="STATUS_SUCCESS"\} 1$/m);
      assert.equal((await fetch(exporter.url.replace('/metrics', '/nope'))).status, 404);
      assert.equal((await fetch(exporter.url, { method: 'POST' })).status, 405);
    } finally {
      await exporter.close();
    }
  });

  test('a port in use is a clear error', async () => {
    const first = await PrometheusExporter.start({ port: 0, processMetrics: false });
    try {
      await assert.rejects(
        PrometheusExporter.start({ port: first.port, processMetrics: false }),
        (err: Error) => /cannot serve metrics on 127\.0\.0\.1:\d+: EADDRINUSE/.test(err.message),
      );
    } finally {
      await first.close();
    }
  });
});

describe('Grafana dashboard (deploy/grafana)', () => {
  test('every query uses a metric smbench exports, filtered by the shard variable', async () => {
    const dashboard = JSON.parse(await readFile('deploy/grafana/smbench-dashboard.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exported = new Set<string>(Object.values(PromMetricName));
    const text = await new PrometheusRunCollector().metrics();
    const processNames = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string));
    const known = (name: string): boolean =>
      exported.has(name) ||
      processNames.has(name) ||
      exported.has(name.replace(/_(bucket|sum|count)$/, '')) ||
      processNames.has(name.replace(/_(bucket|sum|count)$/, ''));
    const titles = dashboard.panels.map((p) => p.title);
    for (const wanted of ['Throughput by op', 'p50 latency by op', 'p99 latency by op', 'Errors by status']) {
      assert.ok(titles.includes(wanted), wanted);
    }
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const names = [...expr.matchAll(/\b((?:smbench|process|nodejs)_[a-z0-9_]+)\{/g)].map(
          (m) => m[1] as string,
        );
        assert.ok(names.length > 0, `${panel.title}: ${expr}`);
        for (const name of names) assert.ok(known(name), `${panel.title}: unknown metric ${name}`);
        assert.ok(expr.includes('shard=~"$shard"'), `${panel.title}: ${expr}`);
      }
    }
  });
});
