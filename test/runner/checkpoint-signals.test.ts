import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopOnSignals } from '../../src/runner/checkpoint-signals.js';

test('the first SIGINT/SIGTERM stops gracefully, the second exits at once, dispose removes the handlers', () => {
  const before = process.listenerCount('SIGINT');
  const lines: string[] = [];
  const exits: number[] = [];
  const stop = stopOnSignals({
    write: (l) => lines.push(l),
    exit: (code) => exits.push(code),
    checkpoint: 'run.ckpt',
  });
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  assert.equal(stop.signal.aborted, false);
  process.emit('SIGTERM');
  assert.equal(stop.signal.aborted, true);
  assert.equal(stop.received, 'SIGTERM');
  assert.match(
    lines.join(''),
    /SIGTERM: stopping: no new ops, cancelling pending ones, in-flight ones get a few seconds, then writing run\.ckpt/,
  );
  assert.deepEqual(exits, []);
  process.emit('SIGINT');
  assert.deepEqual(exits, [130]);
  assert.match(
    lines.join(''),
    /SIGINT again: exiting now \(the last periodic checkpoint in run\.ckpt stands\)/,
  );
  stop.dispose();
  assert.equal(process.listenerCount('SIGINT'), before);
  assert.equal(process.listenerCount('SIGTERM'), 0);
});
