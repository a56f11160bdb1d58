import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NamespaceTracker } from '../../../src/compiler/infer/namespace-tracker.js';

const paths = (t: NamespaceTracker) => t.entries().map((e) => `${e.kind}:${e.path}:${e.size}`);

describe('NamespaceTracker', () => {
  test('first observation decides: opened before created means pre-existing', () => {
    const t = new NamespaceTracker();
    t.exists('a/b.txt', 'file', 10);
    t.created('c.txt', 'file');
    t.exists('c.txt', 'file', 99);
    assert.deepEqual(paths(t), ['dir:a:0', 'file:a/b.txt:10']);
  });

  test("sizes seen after a rename are the renamed pre-existing file's, until it is written", () => {
    const t = new NamespaceTracker();
    t.exists('a.bin', 'file');
    t.renamed('a.bin', 'd/b.bin', 'file');
    t.exists('d/b.bin', 'file', 300); // a CREATE response after the rename
    t.sizeSeen('d/b.bin', 200, false);
    t.created('new.bin', 'file');
    t.renamed('new.bin', 'n2.bin', 'file');
    t.sizeSeen('n2.bin', 999, true); // the trace's own file: says nothing about the start
    t.exists('w.bin', 'file');
    t.renamed('w.bin', 'w2.bin', 'file');
    t.modified('w2.bin');
    t.sizeSeen('w2.bin', 777, true); // written after the rename
    assert.deepEqual(paths(t), ['file:a.bin:300', 'dir:d:0', 'file:w.bin:0']);
  });

  test('absent first, created later: never pre-existing', () => {
    const t = new NamespaceTracker();
    t.absent('x');
    t.created('x', 'file');
    t.deleted('x', 'file');
    assert.deepEqual(paths(t), []);
  });

  test('deleted without being created: pre-existing', () => {
    const t = new NamespaceTracker();
    t.deleted('old/file.tmp', 'file');
    t.deleted('old', 'dir');
    assert.deepEqual(paths(t), ['dir:old:0', 'file:old/file.tmp:0']);
  });

  test('children of a directory created in the trace are not pre-existing', () => {
    const t = new NamespaceTracker();
    t.created('new', 'dir');
    t.exists('new/listed.txt', 'file', 5);
    assert.deepEqual(paths(t), []);
  });

  test('renames: source pre-existed, target did not, and children move along', () => {
    const t = new NamespaceTracker();
    t.exists('d/f.txt', 'file', 3);
    t.renamed('d', 'e', 'dir');
    t.exists('e/f.txt', 'file', 3);
    t.renamed('e/f.txt', 'g.txt', 'file');
    assert.deepEqual(paths(t), ['dir:d:0', 'file:d/f.txt:3']);
  });

  test('sizes: exact sources win, reads only raise, modifications freeze', () => {
    const t = new NamespaceTracker();
    t.exists('a', 'file');
    t.sizeSeen('a', 500, false);
    t.sizeSeen('a', 100, true);
    t.exists('b', 'file', 10);
    t.modified('b');
    t.sizeSeen('b', 1000, true);
    assert.deepEqual(paths(t), ['file:a:100', 'file:b:10']);
  });

  test('something inside a "file" makes it a directory', () => {
    const t = new NamespaceTracker();
    t.exists('x', 'file');
    t.exists('x/y', 'file', 1);
    assert.deepEqual(paths(t), ['dir:x:0', 'file:x/y:1']);
  });
});
