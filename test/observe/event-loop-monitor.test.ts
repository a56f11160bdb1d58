/**
 * The event-loop report beside the schedule lag (results.meta.eventLoop): its fields are present,
 * in range and frozen at stop(); GC pauses are counted by kind. No timing is asserted.
 */
import assert from 'node:assert/strict';
import { setImmediate as nextLoop } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { EventLoopMonitor } from '../../src/observe/event-loop-monitor.js';

describe('EventLoopMonitor', () => {
  test('reports utilisation in 0..1, non-negative delays and GC tallies', async () => {
    const monitor = new EventLoopMonitor();
    // Garbage enough for at least one scavenge, across a few loop turns.
    for (let turn = 0; turn < 5; turn++) {
      const junk: number[][] = [];
      for (let i = 0; i < 50_000; i++) junk.push([i, i + 1]);
      await nextLoop();
    }
    const report = monitor.stop();
    assert.ok(report.utilization >= 0 && report.utilization <= 1);
    for (const us of [report.delayP50Us, report.delayP99Us, report.delayMaxUs]) assert.ok(us >= 0);
    assert.ok(report.delayP50Us <= report.delayP99Us && report.delayP99Us <= report.delayMaxUs);
    assert.ok(report.gcMinor.count > 0, 'the garbage above forces scavenges');
    for (const gc of [report.gcMinor, report.gcMajor]) {
      assert.ok(gc.totalMs >= 0 && gc.maxMs >= 0 && gc.maxMs <= gc.totalMs + 0.01);
    }
  });

  test('stop() freezes the report and may be called twice', async () => {
    const monitor = new EventLoopMonitor();
    const first = monitor.stop();
    await nextLoop();
    assert.deepEqual(monitor.stop(), first);
    assert.deepEqual(monitor.report(), first);
  });
});
