import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HdrHistogram } from '../../src/observe/hdr-histogram.js';
import { mergeResults } from '../../src/observe/merge-results.js';
import { escapeHtml, jsonForScript, renderTable } from '../../src/observe/report/html-escape.js';
import { renderReportHtml } from '../../src/observe/report/render-report.js';
import { buildDistribution, buildTimeline, mergeWindows } from '../../src/observe/report/report-timeline.js';
import { checkMergeable, mergeResultParts } from '../../src/observe/report/results-file.js';
import { niceStep, niceTicks, renderLineChart, timeTicks } from '../../src/observe/report/svg-chart.js';
import { fixtureResults } from './report-fixture.js';

describe('html escaping', () => {
  test('text and attributes', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('JSON in a script element cannot close it', () => {
    const text = jsonForScript({ s: '</script><script>alert(1)</script>\u2028' });
    assert.ok(!text.includes('</'));
    assert.ok(!text.includes('\u2028'));
    assert.deepEqual(JSON.parse(text), { s: '</script><script>alert(1)</script>\u2028' });
  });

  test('tables escape cells and say so when empty', () => {
    const html = renderTable('t', [{ title: 'a' }, { title: 'n', align: 'right' }], [['<b>', '1']]);
    assert.match(html, /<td>&lt;b&gt;<\/td><td class="num">1<\/td>/);
    assert.match(renderTable('t', [{ title: 'a' }], [], { empty: 'nothing' }), /class="empty".*nothing/);
  });
});

describe('svg charts', () => {
  test('nice steps and ticks', () => {
    assert.equal(niceStep(0.3), 0.5);
    assert.equal(niceStep(7), 10);
    assert.equal(niceStep(120), 200);
    assert.deepEqual(niceTicks(230), [0, 50, 100, 150, 200, 250]);
    assert.deepEqual(niceTicks(0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(
      timeTicks(0, 125, String).map((t) => t.value),
      [0, 30, 60, 90, 120],
    );
  });

  test('one path per series; null values break the line', () => {
    const svg = renderLineChart({
      id: 'x<y',
      title: 'T',
      x: [0, 1, 2, 3],
      series: [
        { name: 'a', values: [1, 2, null, 4] },
        { name: 'b', values: [0, 0, 0, 0] },
      ],
      formatY: String,
    });
    assert.match(svg, /data-chart="x&lt;y"/);
    const paths = [
      ...svg.matchAll(/<path class="series s(\d)" data-series="(\w)" data-points="(\d+)" d="([^"]*)"/g),
    ];
    assert.equal(paths.length, 2);
    assert.equal(paths[0]![3], '3');
    assert.equal((paths[0]![4]!.match(/M/g) ?? []).length, 2, 'a gap starts a new sub-path');
    assert.equal(paths[1]![3], '4');
  });

  test('no data renders a placeholder, not NaN', () => {
    const svg = renderLineChart({
      id: 'e',
      title: 'E',
      x: [],
      series: [{ name: 'a', values: [] }],
      formatY: String,
    });
    assert.match(svg, /no data/);
    assert.ok(!svg.includes('NaN'));
  });
});

describe('report timeline', () => {
  test('per-second points, a gap for the quiet second', () => {
    const r = fixtureResults({ seconds: 30, opsPerSecond: 40 });
    const t = buildTimeline(r);
    assert.equal(t.secondsPerPoint, 1);
    assert.equal(t.x.length, 30);
    assert.equal(t.opsPerSecond[0], 40);
    assert.equal(t.opsPerSecond[15], 0);
    assert.equal(t.p99Ms[15], null);
    assert.ok((t.p99Ms[12] as number) > 19, 'slow phase');
  });

  test('long runs are merged into windows exactly (histograms added, not percentiles averaged)', () => {
    const r = fixtureResults({ seconds: 30, opsPerSecond: 40 });
    const t = buildTimeline(r, 7);
    assert.equal(t.secondsPerPoint, 5);
    assert.equal(t.x.length, 6);
    assert.deepEqual(t.x, [0, 5, 10, 15, 20, 25]);
    // Window 2 = seconds 10..14: the exact p99 of their merged histograms.
    const h = new HdrHistogram({ significantDigits: 2 });
    for (const p of r.timeSeries.slice(10, 15)) if (p.encoded) h.merge(HdrHistogram.decode(p.encoded));
    assert.equal(t.p99Ms[2], h.percentile(99) / 1000);
    assert.equal(t.opsPerSecond[2], h.count / 5);
    const windows = mergeWindows(r.timeSeries, 7);
    assert.equal(
      windows.reduce((n, w) => n + w.point.ops, 0),
      r.totals.ops,
    );
    assert.equal(windows[windows.length - 1]!.seconds, 30 % 7);
  });

  test('a run shorter than a few seconds is charted from its 100 ms series', () => {
    const r = fixtureResults({ seconds: 3, opsPerSecond: 40 });
    assert.equal(r.timeSeries.length, 3);
    const t = buildTimeline(r);
    assert.equal(t.secondsPerPoint, 0.1);
    assert.equal(t.x.length, 30, 'seconds 0 to 2, ten points each (the quiet second filled in)');
    assert.deepEqual(t.x.slice(0, 4), [0, 0.1, 0.2, 0.3]);
    assert.equal(t.opsPerSecond[0], 40, 'four ops in 100 ms is 40/s');
    assert.equal(t.opsPerSecond[15], 0);
    const { fineTimeSeries: _fine, ...perSecondOnly } = r;
    assert.equal(buildTimeline(perSecondOnly).x.length, 3, 'without it, one point per second');
    assert.deepEqual(
      timeTicks(0, 0.4, String).map((k) => k.value),
      [0, 0.1, 0.2, 0.3, 0.4],
    );
  });

  test('latency by percentile: service and from-intended, monotonic', () => {
    const d = buildDistribution(fixtureResults());
    assert.equal(d.x[0], 0);
    assert.ok(d.maxNines >= 2);
    for (let i = 1; i < d.x.length; i++) assert.ok(d.serviceMs[i]! >= d.serviceMs[i - 1]!);
    assert.ok(d.fromIntendedMs[d.x.length - 1]! >= d.serviceMs[d.x.length - 1]!);
  });
});

describe('renderReportHtml', () => {
  test('a self-contained page with charts, tables and escaped data', () => {
    const r = fixtureResults({ meta: { workload: '<script>alert(1)</script>' } });
    const html = renderReportHtml(
      { ...r, verdict: { fidelity: { ok: false, reason: '90% matched' } } },
      { generatedAt: new Date(0) },
    );
    assert.match(html, /^<!doctype html>/);
    for (const chart of ['throughput', 'latency', 'latency-distribution', 'data-rate']) {
      assert.match(html, new RegExp(`<svg [^>]*data-chart="${chart}"`), chart);
    }
    for (const table of ['per-op', 'errors-by-status', 'fidelity-mismatches', 'statuses', 'skips', 'meta']) {
      assert.match(html, new RegExp(`data-table="${table}"`), table);
    }
    assert.match(html, /STATUS_ACCESS_DENIED/);
    // The fidelity table: op, recorded status, replayed status, count, example paths.
    assert.match(html, /<tr><td>\w+<\/td><td>STATUS_OBJECT_NAME_NOT_FOUND<\/td><td>STATUS_SUCCESS<\/td>/);
    assert.match(html, /fidelity: FAILED: 90% matched/);
    assert.match(html, /ioctl: ioctl not replayed/);
    assert.ok(!html.includes('<script>alert(1)'), 'meta is escaped');
    assert.ok(!/(src|href)="https?:/.test(html), 'nothing is loaded from the network');
    // Exactly the two script elements of the page: the data and the hover script.
    assert.equal((html.match(/<script/g) ?? []).length, 2);
  });

  test('an empty run still renders', () => {
    const empty = mergeResults([fixtureResults({ seconds: 0 })]);
    const html = renderReportHtml(empty);
    assert.match(html, /no op completed/);
    assert.ok(!html.includes('NaN'));
  });
});

describe('merging results files', () => {
  const shard = (i: number, n: number, startMs?: number) => ({
    name: `shard-${i}.json`,
    results: fixtureResults({
      opsPerSecond: 10 + i,
      meta: { shard: `${i}/${n}`, users: 2, connections: 1, reconnects: i },
      ...(startMs === undefined ? {} : { startMs }),
    }),
  });

  test('shards of one run merge exactly; meta lists the shards and sums per-process counts', () => {
    const parts = [shard(1, 3), shard(0, 3), shard(2, 3)];
    const { results, check } = mergeResultParts(parts);
    assert.deepEqual(check, { errors: [], warnings: [] });
    assert.deepEqual(results.meta['shards'], ['0/3', '1/3', '2/3']);
    assert.equal(results.meta['shard'], undefined);
    assert.equal(results.meta['users'], 6);
    assert.equal(results.meta['reconnects'], 3);
    assert.equal(
      results.totals.ops,
      parts.reduce((n, p) => n + p.results.totals.ops, 0),
    );
    const h = HdrHistogram.decode(parts[0]!.results.service.encoded);
    for (const p of parts.slice(1)) h.merge(HdrHistogram.decode(p.results.service.encoded));
    assert.equal(results.service.p99, h.percentile(99));
  });

  test('different runs, a shard twice or the same file twice are refused; --force merges', () => {
    const other = { name: 'b.json', results: fixtureResults({ meta: { workloadId: 'wl-2', shard: '1/2' } }) };
    const check = checkMergeable([shard(0, 2), other, shard(0, 2)]);
    assert.ok(
      check.errors.some((e) => /different runs: workloadId wl-1/.test(e)),
      check.errors.join('\n'),
    );
    assert.ok(check.errors.some((e) => /shard 0\/2 appears twice/.test(e)));
    assert.ok(check.errors.some((e) => /given twice/.test(e)));
    assert.throws(() => mergeResultParts([shard(0, 2), other]), /cannot merge: .*--force/);
    assert.equal(mergeResultParts([shard(0, 2), other], { force: true }).results.meta['mergedParts'], 2);
  });

  test('warnings: missing shards, parts that did not overlap in time', () => {
    const check = checkMergeable([shard(0, 4), shard(1, 4, Date.UTC(2025, 0, 2))]);
    assert.deepEqual(check.errors, []);
    assert.ok(
      check.warnings.some((w) => /only 2 of 4 shards \(missing 2\/4, 3\/4\)/.test(w)),
      check.warnings.join(),
    );
    assert.ok(check.warnings.some((w) => /did not all run at the same time/.test(w)));
  });
});
