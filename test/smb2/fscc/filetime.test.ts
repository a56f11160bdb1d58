import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateToFiletime,
  FILETIME_UNIX_EPOCH,
  filetimeToDate,
  filetimeToMs,
  msToFiletime,
} from '../../../src/smb2/fscc/filetime.js';

test('the Unix epoch is 116444736000000000 ticks after 1601', () => {
  assert.equal(FILETIME_UNIX_EPOCH, 116444736000000000n);
  assert.equal(filetimeToMs(FILETIME_UNIX_EPOCH), 0);
  assert.equal(filetimeToDate(0n).toISOString(), '1601-01-01T00:00:00.000Z');
});

test('FILETIME <-> Date round-trips at millisecond precision', () => {
  const d = new Date('2024-02-29T12:34:56.789Z');
  const ft = dateToFiletime(d);
  assert.equal(ft, 133536836967890000n);
  assert.equal(filetimeToDate(ft).getTime(), d.getTime());
  // Sub-millisecond ticks truncate toward 1601, also before 1970.
  assert.equal(filetimeToMs(ft + 9999n), d.getTime());
  assert.equal(filetimeToMs(FILETIME_UNIX_EPOCH - 1n), -1);
});

test('fractional milliseconds keep 100 ns resolution', () => {
  assert.equal(msToFiletime(1.5), FILETIME_UNIX_EPOCH + 15000n);
  assert.equal(msToFiletime(-0.5), FILETIME_UNIX_EPOCH - 5000n);
});
