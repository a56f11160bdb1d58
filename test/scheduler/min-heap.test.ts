import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MinHeap } from '../../src/scheduler/min-heap.js';

test('MinHeap pops in key order', () => {
  const heap = new MinHeap<number>();
  const keys = [5, 3, 9, 1, 7, 2, 8, 6, 4, 0];
  for (const k of keys) heap.push(k, k * 10);
  assert.equal(heap.size, 10);
  assert.equal(heap.peekKey(), 0);
  const out: number[] = [];
  while (heap.size > 0) out.push(heap.pop() as number);
  assert.deepEqual(out, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  assert.equal(heap.pop(), undefined);
  assert.equal(heap.peekKey(), undefined);
});

test('MinHeap keeps insertion order among equal keys', () => {
  const heap = new MinHeap<string>();
  heap.push(2, 'b1');
  heap.push(1, 'a1');
  heap.push(2, 'b2');
  heap.push(1, 'a2');
  heap.push(2, 'b3');
  heap.push(1, 'a3');
  const out: string[] = [];
  while (heap.size > 0) out.push(heap.pop() as string);
  assert.deepEqual(out, ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
});

test('MinHeap sorts 100k random keys with stable ties', () => {
  const heap = new MinHeap<number>();
  const n = 100_000;
  const keys: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(Math.random() * 1000);
    keys.push(k);
    heap.push(k, i);
  }
  let prevKey = -1;
  let prevIndex = -1;
  for (let i = 0; i < n; i++) {
    const index = heap.pop() as number;
    const key = keys[index] as number;
    assert.ok(key >= prevKey);
    if (key === prevKey) assert.ok(index > prevIndex, 'FIFO among equal keys');
    prevKey = key;
    prevIndex = index;
  }
  assert.equal(heap.size, 0);
});

test('MinHeap interleaved push/pop and clear', () => {
  const heap = new MinHeap<number>();
  heap.push(10, 10);
  heap.push(5, 5);
  assert.equal(heap.pop(), 5);
  heap.push(1, 1);
  heap.push(20, 20);
  assert.equal(heap.pop(), 1);
  assert.equal(heap.pop(), 10);
  heap.clear();
  assert.equal(heap.size, 0);
  heap.push(3, 3);
  assert.equal(heap.peek(), 3);
});
