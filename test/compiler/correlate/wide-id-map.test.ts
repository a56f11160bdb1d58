import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WideIdMap, wideHex } from '../../../src/compiler/correlate/wide-id-map.js';

describe('WideIdMap', () => {
  test('exact for ordinary ids, and correct when high halves round to the same key', () => {
    const m = new WideIdMap<string>();
    m.set(1, 0, 'a');
    m.set(1, 1, 'b');
    // Above 2^21 in the high half the folded key rounds: these two collide but must stay apart.
    m.set(0, 0x80000000, 'c');
    m.set(1, 0x80000000, 'd');
    assert.equal(m.get(1, 0), 'a');
    assert.equal(m.get(1, 1), 'b');
    assert.equal(m.get(0, 0x80000000), 'c');
    assert.equal(m.get(1, 0x80000000), 'd');
    assert.equal(m.size, 4);
    assert.equal(m.delete(0, 0x80000000), true);
    assert.equal(m.get(0, 0x80000000), undefined);
    assert.equal(m.get(1, 0x80000000), 'd');
    assert.equal(m.delete(7, 7), false);
    assert.deepEqual([...m.values()].sort(), ['a', 'b', 'd']);
  });

  test('wideHex prints 16 hex digits', () => {
    assert.equal(wideHex(0xc0000001, 0xa8b1), '0x0000a8b1c0000001');
  });
});
