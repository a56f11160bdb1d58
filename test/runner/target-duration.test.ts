import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { formatDurationMs, parseDurationMs } from '../../src/runner/duration.js';
import { formatTarget, parseTarget } from '../../src/runner/target.js';

test('targets: host, optional port, exactly one share', () => {
  assert.deepEqual(parseTarget('smb://fs1/share'), { host: 'fs1', port: 445, share: 'share' });
  assert.deepEqual(parseTarget('smb://127.0.0.1:4450/bench/'), {
    host: '127.0.0.1',
    port: 4450,
    share: 'bench',
  });
  assert.deepEqual(parseTarget('smb://[::1]:4450/b'), { host: '::1', port: 4450, share: 'b' });
  assert.equal(formatTarget(parseTarget('smb://[::1]:4450/b')), 'smb://[::1]:4450/b');
  assert.equal(formatTarget(parseTarget('smb://fs1/s')), 'smb://fs1/s');
  for (const bad of [
    'fs1/share',
    'http://fs1/share',
    'smb://fs1',
    'smb://fs1/a/b',
    'smb://u:p@fs1/s',
    'not a url',
  ]) {
    assert.throws(() => parseTarget(bad), SmbBenchError, bad);
  }
});

test('durations need a unit', () => {
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('10s'), 10_000);
  assert.equal(parseDurationMs('1.5m'), 90_000);
  assert.equal(parseDurationMs('2h'), 7_200_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  for (const bad of ['60', '', 's', '10 s', '-1s', '1x'])
    assert.throws(() => parseDurationMs(bad), SmbBenchError, bad);
  assert.equal(formatDurationMs(1500), '1.5s');
  assert.equal(formatDurationMs(120_000), '2m');
});
