import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HdrHistogram } from '../../src/observe/hdr-histogram.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { seededRandom as rng } from '../support/seeded-random.js';

/** Nearest-rank percentile of a sorted array, the definition HdrHistogram's percentile follows. */
function exactPercentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

const distributions: Record<string, (r: () => number) => number> = {
  uniform: (r) => 1 + Math.floor(r() * 100_000),
  exponential: (r) => 1 + Math.floor(-Math.log(1 - r()) * 2_000),
  lognormal: (r) => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.max(1, Math.floor(Math.exp(7 + 1.5 * z)));
  },
  bimodal: (r) => (r() < 0.9 ? 200 + Math.floor(r() * 300) : 50_000 + Math.floor(r() * 2_000_000)),
  huge: (r) => 1 + Math.floor(r() * 3_000_000_000),
};

for (const [name, draw] of Object.entries(distributions)) {
  test(`percentiles match exact nearest-rank within 0.1% (${name})`, () => {
    const r = rng(name.length * 7919);
    const h = new HdrHistogram();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = draw(r);
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    assert.equal(h.count, values.length);
    assert.equal(h.min, values[0]);
    assert.equal(h.max, values[values.length - 1]);
    const exactMean = values.reduce((s, v) => s + v, 0) / values.length;
    assert.ok(Math.abs(h.mean - exactMean) / exactMean < 1e-9);
    for (const p of [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) {
      const exact = exactPercentile(values, p);
      const got = h.percentile(p);
      assert.ok(got >= exact, `p${p}: ${got} < exact ${exact}`);
      assert.ok((got - exact) / exact <= 0.001, `p${p}: ${got} vs exact ${exact}`);
    }
    const variance = values.reduce((s, v) => s + (v - exactMean) ** 2, 0) / values.length;
    assert.ok(Math.abs(h.stddev - Math.sqrt(variance)) / Math.sqrt(variance) < 0.01);
  });
}

test('small values are exact', () => {
  const h = new HdrHistogram();
  for (let v = 1; v <= 2000; v++) h.record(v);
  assert.equal(h.percentile(50), 1000);
  assert.equal(h.percentile(100), 2000);
  assert.equal(h.percentile(0), 1);
});

test('values above the highest clamp and are counted', () => {
  const h = new HdrHistogram({ highest: 1_000_000 });
  h.record(5_000_000);
  h.record(10);
  assert.equal(h.overflowCount, 1);
  assert.equal(h.max, 1_000_000);
  assert.equal(h.count, 2);
});

test('record with a count and zero/negative values', () => {
  const h = new HdrHistogram();
  h.record(100, 5);
  h.record(-3);
  assert.equal(h.count, 6);
  assert.equal(h.min, 0);
  assert.equal(h.percentile(50), 100);
});

test('recordCorrected back-fills missing samples like HdrHistogram', () => {
  const h = new HdrHistogram();
  h.recordCorrected(1000, 100);
  // 1000, 900, 800, ..., 100: ten samples.
  assert.equal(h.count, 10);
  assert.equal(h.min, 100);
  assert.equal(h.max, 1000);
  const plain = new HdrHistogram();
  plain.recordCorrected(50, 100);
  plain.recordCorrected(70, 0);
  assert.equal(plain.count, 2);
});

test('merge(a, b) equals recording everything into one', () => {
  const r = rng(42);
  const a = new HdrHistogram();
  const b = new HdrHistogram();
  const all = new HdrHistogram();
  for (let i = 0; i < 20_000; i++) {
    const v = 1 + Math.floor(-Math.log(1 - r()) * 5_000);
    (i % 3 === 0 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  assert.equal(a.encode(), all.encode());
  assert.equal(a.count, all.count);
  for (const p of [50, 90, 99, 99.9]) assert.equal(a.percentile(p), all.percentile(p));
  assert.equal(a.min, all.min);
  assert.equal(a.max, all.max);
  assert.equal(a.mean, all.mean);
});

test('merge rejects a different configuration', () => {
  const a = new HdrHistogram();
  const b = new HdrHistogram({ significantDigits: 2 });
  assert.throws(() => a.merge(b), SmbBenchError);
});

test('merging an empty histogram changes nothing', () => {
  const a = new HdrHistogram();
  a.record(7);
  a.merge(new HdrHistogram());
  assert.equal(a.min, 7);
  assert.equal(a.max, 7);
  assert.equal(a.count, 1);
});

test('encode/decode round-trips exactly (3 and 2 significant digits)', () => {
  for (const significantDigits of [2, 3] as const) {
    const r = rng(significantDigits);
    const h = new HdrHistogram({ significantDigits });
    for (let i = 0; i < 10_000; i++) h.record(1 + Math.floor(r() * r() * 10_000_000));
    h.record(9_000_000_000);
    const text = h.encode();
    assert.ok(text.startsWith('H1:'));
    const d = HdrHistogram.decode(text);
    assert.equal(d.encode(), text);
    assert.equal(d.count, h.count);
    assert.equal(d.min, h.min);
    assert.equal(d.max, h.max);
    assert.equal(d.mean, h.mean);
    assert.equal(d.overflowCount, 1);
    assert.equal(d.significantDigits, significantDigits);
    for (const p of [0, 50, 99, 100]) assert.equal(d.percentile(p), h.percentile(p));
  }
});

test('an empty histogram encodes, decodes and reports zeros', () => {
  const d = HdrHistogram.decode(new HdrHistogram().encode());
  assert.equal(d.count, 0);
  assert.deepEqual(
    { ...d.toJSON(), encoded: '' },
    { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, encoded: '' },
  );
});

test('a typical latency histogram encodes compactly', () => {
  const r = rng(3);
  const h = new HdrHistogram();
  for (let i = 0; i < 100_000; i++) h.record(200 + Math.floor(-Math.log(1 - r()) * 800));
  assert.ok(h.encode().length < 16_000, `encoded length ${h.encode().length}`);
});

test('decode rejects garbage with a usage error', () => {
  const good = (() => {
    const h = new HdrHistogram();
    h.record(5);
    h.record(500);
    return h.encode();
  })();
  const bad = [
    '',
    'hello',
    'H1:',
    'H1:!!!!',
    'H2:' + good.slice(3),
    good.slice(0, good.length - 4),
    good + 'AAAA',
    'H1:' + Buffer.from([1, 100, 9]).toString('base64'),
  ];
  for (const text of bad) {
    assert.throws(
      () => HdrHistogram.decode(text),
      (e: unknown) => e instanceof SmbBenchError && e.code === 'ERR_USAGE',
      `accepted ${JSON.stringify(text)}`,
    );
  }
});

test('reset clears everything', () => {
  const h = new HdrHistogram();
  h.record(10);
  h.reset();
  assert.equal(h.count, 0);
  assert.equal(h.max, 0);
  assert.equal(h.percentile(99), 0);
  h.record(3);
  assert.equal(h.min, 3);
});

test('constructor validates options', () => {
  assert.throws(() => new HdrHistogram({ lowest: 0 }), SmbBenchError);
  assert.throws(() => new HdrHistogram({ lowest: 10, highest: 15 }), SmbBenchError);
  assert.throws(() => new HdrHistogram({ significantDigits: 4 as 3 }), SmbBenchError);
});
