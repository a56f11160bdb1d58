import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary } from '../../src/observe/summary-table.js';
import { RunMetrics } from '../../src/observe/run-metrics.js';
import { NtStatus } from '../../src/smb2/nt-status.js';

test('summary lists each kind, totals, lag, skips and mismatches', () => {
  let now = Date.UTC(2024, 0, 1);
  const m = new RunMetrics(now, () => now);
  for (let i = 1; i <= 100; i++) {
    m.recordOp({
      kind: i % 4 === 0 ? 'create' : 'read',
      serviceUs: i * 100,
      fromIntendedUs: i * 100,
      bytes: 1024,
      status: i === 4 ? NtStatus.STATUS_ACCESS_DENIED : NtStatus.STATUS_SUCCESS,
      expectedStatus: NtStatus.STATUS_SUCCESS,
    });
  }
  m.recordLag(1500);
  m.recordSkip('ioctl', 'unsupported FSCTL');
  m.setGauge('activeUsers', 3);
  now += 10_000;
  const text = formatSummary(m.toResults({}));
  const lines = text.split('\n');
  assert.match(lines[0]!, /^op\s+ops\s+ops\/s\s+errors\s+p50\s+p90\s+p99\s+p99\.9\s+max\s+fidelity$/);
  const create = lines.find((l) => l.startsWith('create'))!;
  assert.match(create, /^create\s+25\s+2\.5\s+1\s+/);
  assert.match(create, /96\.0%$/);
  const read = lines.find((l) => l.startsWith('read'))!;
  assert.match(read, /\s75\s+7\.5\s+0\s+/);
  assert.match(read, /100%$/);
  const total = lines.find((l) => l.startsWith('total'))!;
  assert.match(
    total,
    /^total\s+100\s+10\.0\s+1\s+5\.00ms\s+9\.01ms\s+9\.90ms\s+10\.0ms\s+10\.0ms\s+99\.00%$/,
  );
  assert.match(text, /schedule lag: p50 1\.50ms/);
  assert.match(text, /skipped ops \(1\):\n\s+1\s+ioctl: unsupported FSCTL/);
  assert.match(text, /errors \(1\):\n\s+1\s+STATUS_ACCESS_DENIED/);
  assert.match(text, /create: recorded STATUS_SUCCESS, replayed STATUS_ACCESS_DENIED/);
  // Columns line up: every table row has its columns at the same offsets as the header.
  const header = lines[0]!;
  assert.equal(total.indexOf('10.0ms') + '10.0ms'.length <= header.length + 12, true);
});

test('summary of an empty run prints dashes, not NaN', () => {
  const now = Date.UTC(2024, 0, 1);
  const text = formatSummary(new RunMetrics(now, () => now).toResults({}));
  assert.doesNotMatch(text, /NaN|undefined|Infinity/);
  assert.match(text, /^total\s+0\s+0\.0\s+0\s+-\s+-/m);
});
