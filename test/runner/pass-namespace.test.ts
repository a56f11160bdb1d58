import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { UserProgress } from '../../src/runner/checkpoint-progress.js';
import { EMPTY_PLAN } from '../../src/runner/namespace-plan.js';
import { Semaphore } from '../../src/runner/concurrency.js';
import { FillMode } from '../../src/runner/namespace-ops.js';
import {
  emptyPassTally,
  parsePassNamespace,
  passDirName,
  passDirOwner,
  passesLine,
  UserPasses,
  type PassNamespace,
} from '../../src/runner/pass-namespace.js';
import { mergeWorkerMeta } from '../../src/runner/workers/worker-results.js';

test('pass directories: pass 0 is the user directory, later passes <user>@pass<k>, and back', () => {
  assert.equal(passDirName('u3.1', 0), 'u3.1');
  assert.equal(passDirName('u3.1', 2), 'u3.1@pass2');
  assert.equal(passDirOwner('u3.1@pass2'), 'u3.1');
  assert.equal(passDirOwner('u3.1'), undefined);
  assert.equal(passDirOwner('u3@pass0'), undefined);
  assert.equal(passDirOwner('u3@passx'), undefined);
});

test('where each pass replays, by mode', () => {
  const passes = (mode: PassNamespace) =>
    new UserPasses({
      mode,
      runRoot: 'run',
      dirName: 'u0',
      plan: EMPTY_PLAN,
      fill: FillMode.auto,
      fillThreshold: 0,
      limiter: new Semaphore(1),
      tally: emptyPassTally(),
    });
  assert.equal(passes('fresh').paths(0).root, 'run/u0');
  assert.equal(passes('fresh').paths(2).root, 'run/u0@pass2');
  assert.equal(passes('reset').paths(2).root, 'run/u0');
  assert.equal(passes('reuse').paths(2).root, 'run/u0');
});

test('--pass-namespace accepts the three modes only', () => {
  assert.equal(parsePassNamespace('reset'), 'reset');
  assert.throws(() => parsePassNamespace('toString'), SmbBenchError);
  assert.throws(() => parsePassNamespace('new'), /fresh, reset or reuse/);
});

test('the terminal line says how the passes ran', () => {
  assert.equal(passesLine({ iterations: 1, passNamespace: 'fresh' }), undefined);
  assert.match(
    passesLine({ iterations: 3, passNamespace: 'fresh', passPrepare: { passes: 4, failures: 0 } })!,
    /^passes: 3 per user, each from the initial namespace \(fresh.*4 pass prepares$/,
  );
  assert.match(
    passesLine({
      iterations: 3,
      passNamespace: 'reset',
      passPrepare: { passes: 3, failures: 1, firstError: 'boom' },
    })!,
    /reset.*1 FAILED \(boom\)/,
  );
  assert.match(
    passesLine({ iterations: 2, passNamespace: 'reuse' })!,
    /later passes see what earlier ones changed/,
  );
});

test('a resumed user prepares only the passes it has not started', () => {
  const fresh = new UserProgress(0);
  fresh.nextIteration();
  assert.equal(fresh.needsPassPrepare, true);
  // Resumed inside pass 2 with ops done: passes 1 and 2 are not prepared again, pass 3 is.
  const mid = new UserProgress(0, { user: 0, done: false, iteration: 2, resumeAt: 5, measured: [[0, 5]] });
  mid.nextIteration();
  assert.equal(mid.needsPassPrepare, false);
  mid.nextIteration();
  assert.equal(mid.needsPassPrepare, false);
  mid.nextIteration();
  assert.equal(mid.needsPassPrepare, true);
  // Resumed at the very start of pass 1: nothing of it ran, so it is prepared.
  const start = new UserProgress(0, { user: 0, done: false, iteration: 1, resumeAt: 0, measured: [] });
  start.nextIteration();
  assert.equal(start.needsPassPrepare, true);
});

test('workers: the pass prepare counts add up', () => {
  const meta = mergeWorkerMeta([
    { passNamespace: 'fresh', passPrepare: { passes: 2, failures: 0, bytesWritten: 10 } },
    { passNamespace: 'fresh', passPrepare: { passes: 3, failures: 1, bytesWritten: 5, firstError: 'x' } },
  ]);
  assert.equal(meta['passNamespace'], 'fresh');
  assert.deepEqual(meta['passPrepare'], { passes: 5, failures: 1, bytesWritten: 15, firstError: 'x' });
});
