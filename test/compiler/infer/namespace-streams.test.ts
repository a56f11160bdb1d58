import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NamespaceTracker, Presence } from '../../../src/compiler/infer/namespace-tracker.js';
import { isStreamPath, splitStreamPath } from '../../../src/ir/ir-stream-path.js';

describe('stream paths (MS-FSCC 2.1.5.1)', () => {
  test('split into base and name, without the stream type', () => {
    assert.deepEqual(splitStreamPath('d/f.txt:AFP_AfpInfo'), { base: 'd/f.txt', stream: 'AFP_AfpInfo' });
    assert.deepEqual(splitStreamPath('f.txt:s:$DATA'), { base: 'f.txt', stream: 's' });
    assert.deepEqual(splitStreamPath('f.txt::$DATA'), { base: 'f.txt', stream: undefined });
    assert.deepEqual(splitStreamPath(':AFP_AfpInfo'), { base: '', stream: 'AFP_AfpInfo' });
    assert.deepEqual(splitStreamPath('d/f.txt'), { base: 'd/f.txt', stream: undefined });
    assert.equal(isStreamPath('f::$DATA'), false);
    assert.equal(isStreamPath('f:com.apple.lastuseddate#PS'), true);
  });
});

describe('NamespaceTracker streams', () => {
  test('an opened stream implies its base file and is written inside it, with its size', () => {
    const t = new NamespaceTracker();
    t.exists('docs/a.txt:AFP_AfpInfo', 'file', 60);
    t.sizeSeen('docs/A.TXT:AFP_AfpInfo:$DATA', 60, true);
    t.exists('docs/a.txt', 'file', 11);
    assert.deepEqual(t.entries(), [
      { path: 'docs', kind: 'dir', size: 0 },
      { path: 'docs/a.txt', kind: 'file', size: 11, streams: [{ name: 'AFP_AfpInfo', size: 60 }] },
    ]);
  });

  test('a stream read to its end gets the size read', () => {
    const t = new NamespaceTracker();
    t.exists('f.txt:com.apple.TextEncoding', undefined);
    t.sizeSeen('f.txt:com.apple.TextEncoding', 15, false);
    assert.deepEqual(t.entries(), [
      { path: 'f.txt', kind: 'file', size: 0, streams: [{ name: 'com.apple.TextEncoding', size: 15 }] },
    ]);
  });

  test('a stream created in the trace is not prepared, but its base is', () => {
    const t = new NamespaceTracker();
    t.created('f.txt:AFP_AfpInfo', 'file');
    t.exists('f.txt:AFP_AfpInfo', 'file', 60);
    assert.deepEqual(t.entries(), [{ path: 'f.txt', kind: 'file', size: 0 }]);
  });

  test('streams of a file created in the trace never pre-exist', () => {
    const t = new NamespaceTracker();
    t.created('new.txt', 'file');
    t.exists('new.txt:AFP_AfpInfo', 'file', 60);
    assert.deepEqual(t.entries(), []);
  });

  test('the default data stream is the file itself', () => {
    const t = new NamespaceTracker();
    t.exists('f.txt::$DATA', 'file', 7);
    assert.deepEqual(t.entries(), [{ path: 'f.txt', kind: 'file', size: 7 }]);
  });

  test('a missing stream says nothing about its base; share-root streams are not written', () => {
    const t = new NamespaceTracker();
    t.absent('gone.txt:AFP_AfpInfo');
    t.exists(':AFP_AfpInfo', 'file', 60);
    assert.deepEqual(t.entries(), []);
  });

  test('deleting a file deletes its streams; renaming moves them', () => {
    const t = new NamespaceTracker();
    t.exists('a.txt:s', 'file', 4);
    t.deleted('a.txt', 'file');
    assert.equal(t.get('a.txt:s')?.current, Presence.ABSENT);
    const r = new NamespaceTracker();
    r.exists('b.txt:s', 'file', 4);
    r.renamed('b.txt', 'c.txt', 'file');
    assert.equal(r.get('c.txt:s')?.current, Presence.EXISTS);
    assert.equal(r.get('b.txt:s')?.current, Presence.ABSENT);
  });

  test("deleting a file leaves the streams of other files alone, whatever their names' case or prefix", () => {
    const t = new NamespaceTracker();
    t.exists('dir/A.txt:s1', 'file', 1);
    t.exists('dir/a.txt:S2', 'file', 2);
    t.exists('dir/a.txt.bak:s', 'file', 3);
    t.exists('dir/a.tx:s', 'file', 4);
    for (let i = 0; i < 1000; i++) t.exists(`dir/other${i}.txt`, 'file', i);
    t.deleted('DIR/a.TXT', 'file');
    assert.equal(t.get('dir/a.txt:s1')?.current, Presence.ABSENT);
    assert.equal(t.get('dir/a.txt:s2')?.current, Presence.ABSENT);
    assert.equal(t.get('dir/a.txt.bak:s')?.current, Presence.EXISTS);
    assert.equal(t.get('dir/a.tx:s')?.current, Presence.EXISTS);
    assert.equal(t.get('dir/other7.txt')?.current, Presence.EXISTS);
  });
});
