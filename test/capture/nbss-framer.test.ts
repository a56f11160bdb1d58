import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCaptureStats } from '../../src/capture/capture-stats.js';
import { NbssFramer, type NbssFramerOwner } from '../../src/capture/nbss-framer.js';
import { NBSS_MAX_LENGTH } from '../../src/capture/smb-detect.js';
import { nbss, smb2Message, transformFrame } from './capture-builder.js';

function harness(startAtBoundary: boolean, keepLooking = true) {
  const stats = createCaptureStats();
  const got: Array<{ data: Buffer; ts: number; frame: number }> = [];
  const owner: NbssFramerOwner = {
    onSmbMessage: (_fromA, data, ts, frame) => got.push({ data: Buffer.from(data), ts, frame }),
    keepLooking: () => keepLooking,
  };
  const framer = new NbssFramer(owner, true, stats, startAtBoundary, NBSS_MAX_LENGTH);
  return { stats, got, framer };
}

const messages = [
  smb2Message({ messageId: 1, bodyLen: 10 }),
  transformFrame(70),
  smb2Message({ messageId: 2, bodyLen: 300, response: true }),
];
const wire = Buffer.concat([
  nbss(messages[0]!),
  nbss(Buffer.alloc(0), 0x85),
  nbss(messages[1]!),
  nbss(messages[2]!),
]);

test('every split of the stream, down to one byte per segment, frames the same messages', () => {
  for (const size of [1, 2, 3, 5, 7, 8, 9, 64, 1000]) {
    const { got, stats, framer } = harness(true);
    for (let o = 0, seg = 1; o < wire.length; o += size, seg++) {
      framer.push(wire, o, Math.min(o + size, wire.length), 100 + seg, seg);
    }
    assert.deepEqual(
      got.map((g) => g.data),
      messages,
      `segment size ${size}`,
    );
    assert.equal(got[0]!.ts, 101, 'timestamp of the segment holding the first byte');
    assert.equal(stats.nbssKeepalives, 1);
    assert.equal(stats.resyncs + stats.discardedBytes, 0);
  }
});

test('resynchronisation through garbage works for every split size', () => {
  const garbage = Buffer.from('\x00\x00\x01\x00\xfeSMB\x41\x00 not a header \xfeSM', 'latin1');
  const stream = Buffer.concat([garbage, wire]);
  for (const size of [1, 2, 3, 4, 6, 9, 10, 11, 17, 4096]) {
    const { got, stats, framer } = harness(false);
    for (let o = 0; o < stream.length; o += size)
      framer.push(stream, o, Math.min(o + size, stream.length), 0, 0);
    assert.deepEqual(
      got.map((g) => g.data),
      messages,
      `segment size ${size}`,
    );
    assert.equal(stats.resyncs, 1);
    assert.equal(stats.discardedBytes, garbage.length, `segment size ${size}`);
  }
});

test('a bad header after sync triggers a resync, or stops when the owner gives up', () => {
  const bad = Buffer.concat([nbss(messages[0]!), Buffer.from([0x42, 0, 0, 9]), wire]);
  for (const size of [1, 3, 5, 6, 7, bad.length]) {
    const a = harness(true);
    for (let o = 0; o < bad.length; o += size) a.framer.push(bad, o, Math.min(o + size, bad.length), 0, 0);
    assert.deepEqual(
      a.got.map((g) => g.data),
      [messages[0], ...messages],
      `segment size ${size}`,
    );
    assert.equal(a.stats.resyncs, 1);
    assert.equal(a.stats.discardedBytes, 4);
  }

  const b = harness(true, false);
  b.framer.push(bad, 0, bad.length, 0, 0);
  assert.equal(b.got.length, 1);
  assert.equal(b.framer.idle, true);
});

test('gaps: inside a message the boundary is kept; at a boundary the framer rescans', () => {
  const w0 = nbss(messages[0]!);
  const w2 = nbss(messages[2]!);
  const a = harness(true);
  a.framer.push(w2, 0, 100, 0, 1);
  a.framer.gap(50);
  a.framer.push(w2, 150, w2.length, 0, 2);
  a.framer.push(w0, 0, w0.length, 0, 3);
  assert.deepEqual(
    a.got.map((g) => g.data),
    [messages[0]],
  );
  assert.equal(a.stats.droppedMessages, 1);
  assert.equal(a.stats.resyncs, 0);

  const b = harness(true);
  b.framer.push(w0, 0, w0.length, 0, 1);
  b.framer.gap(10);
  b.framer.push(w2, 10, w2.length, 0, 2);
  b.framer.push(w0, 0, w0.length, 0, 3);
  assert.deepEqual(
    b.got.map((g) => g.data),
    [messages[0], messages[0]],
  );
  assert.equal(b.stats.resyncs, 1);
});

test('close drops a half message and counts its bytes', () => {
  const { got, stats, framer } = harness(true);
  const w2 = nbss(messages[2]!);
  framer.push(w2, 0, 200, 0, 1);
  framer.close();
  framer.push(w2, 200, w2.length, 0, 2);
  assert.equal(got.length, 0);
  assert.equal(stats.droppedMessages, 1);
  assert.equal(stats.discardedBytes, 200);
});
