/** The model's building blocks: seeded PRNG, quantile tables, the chain, and the distances. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CategoricalBuilder, sampleWeighted } from '../../src/model/categorical.js';
import { ksDistance, ksNoise, totalVariation } from '../../src/model/compare/distances.js';
import { MarkovChainBuilder, nextState } from '../../src/model/markov-chain.js';
import { Prng } from '../../src/model/prng.js';
import { quantileTable, sampleQuantiles } from '../../src/model/quantile-table.js';

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

describe('model distributions', () => {
  test('the PRNG is reproducible per seed and stream, and streams differ', () => {
    const draw = (p: Prng): number[] => Array.from({ length: 5 }, () => p.next());
    assert.deepEqual(draw(Prng.forStream(7, 3)), draw(Prng.forStream(7, 3)));
    assert.notDeepEqual(draw(Prng.forStream(7, 3)), draw(Prng.forStream(7, 4)));
    assert.notDeepEqual(draw(Prng.forStream(7, 3)), draw(Prng.forStream(8, 3)));
    const p = new Prng(1);
    for (let i = 0; i < 1000; i++) {
      const x = p.next();
      assert.ok(x >= 0 && x < 1);
    }
  });

  test('a quantile table draws only observed values, in their proportions', () => {
    const values = [...Array<number>(75).fill(16384), ...Array<number>(25).fill(4096)];
    const table = quantileTable(values);
    assert.equal(table.count, 100);
    assert.equal(table.q.length, 101);
    const rng = new Prng(42);
    const draws = Array.from({ length: 4000 }, () => sampleQuantiles(table, rng, -1));
    assert.ok(draws.every((d) => d === 16384 || d === 4096));
    const share = draws.filter((d) => d === 4096).length / draws.length;
    assert.ok(Math.abs(share - 0.25) < 0.03, String(share));
    assert.equal(sampleQuantiles(quantileTable([]), rng, -1), -1);
  });

  test('a Markov chain follows its counts and stops where the trace never went on', () => {
    const b = new MarkovChainBuilder();
    b.add('a', 'b');
    b.add('a', 'b');
    b.add('a', 'c');
    const chain = b.build();
    const rng = new Prng(3);
    const draws = Array.from({ length: 3000 }, () => nextState(chain, 'a', rng));
    const toB = draws.filter((d) => d === 'b').length / draws.length;
    assert.ok(Math.abs(toB - 2 / 3) < 0.04, String(toB));
    assert.equal(nextState(chain, 'b', rng), undefined);
    assert.equal(nextState(chain, 'constructor', rng), undefined);
  });

  test('categories keep first-seen order and weights', () => {
    const c = new CategoricalBuilder<{ x: number }>();
    c.add({ x: 2 });
    c.add({ x: 1 });
    c.add({ x: 2 });
    assert.deepEqual(c.build(), [
      { value: { x: 2 }, count: 2 },
      { value: { x: 1 }, count: 1 },
    ]);
    assert.equal(sampleWeighted([], new Prng(1)), undefined);
  });

  test('KS D and total variation on known cases', () => {
    assert.equal(ksDistance(sorted([1, 2, 3]), sorted([1, 2, 3])), 0);
    assert.equal(ksDistance(sorted([1, 2]), sorted([5, 6])), 1);
    assert.equal(ksDistance(sorted([1, 1, 2, 2]), sorted([1, 2])), 0);
    assert.ok(Math.abs(ksDistance(sorted([1, 2, 3, 4]), sorted([3, 4, 5, 6])) - 0.5) < 1e-9);
    assert.ok(ksNoise(100, 100) > ksNoise(10_000, 10_000));
    assert.equal(totalVariation({ a: 1, b: 1 }, { a: 2, b: 2 }), 0);
    assert.equal(totalVariation({ a: 1 }, { b: 1 }), 1);
    assert.ok(Math.abs(totalVariation({ a: 3, b: 1 }, { a: 1, b: 1 }) - 0.25) < 1e-9);
  });
});
