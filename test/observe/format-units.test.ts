import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBytes,
  formatCount,
  formatElapsedMs,
  formatPercent,
  formatUs,
} from '../../src/observe/format-units.js';

test('formatUs picks a unit and keeps three significant digits', () => {
  assert.equal(formatUs(0), '0µs');
  assert.equal(formatUs(850), '850µs');
  assert.equal(formatUs(999.7), '1.00ms');
  assert.equal(formatUs(3200), '3.20ms');
  assert.equal(formatUs(12_500), '12.5ms');
  assert.equal(formatUs(250_000), '250ms');
  assert.equal(formatUs(1_250_000), '1.25s');
  assert.equal(formatUs(125_000_000), '2m05s');
  assert.equal(formatUs(3_600_000_000), '1h00m');
});

test('other formatters', () => {
  assert.equal(formatElapsedMs(12_300), '12s');
  assert.equal(formatElapsedMs(187_000), '3m07s');
  assert.equal(formatCount(9999), '9999');
  assert.equal(formatCount(12_345), '12.3k');
  assert.equal(formatCount(4_560_000), '4560k');
  assert.equal(formatCount(45_600_000), '45.6M');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0.995), '99.50%');
  assert.equal(formatPercent(0.5), '50.0%');
  assert.equal(formatBytes(512), '512B');
  assert.equal(formatBytes(4096), '4.0KiB');
});
