import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNtError, isNtSuccess, isNtWarning, NtStatus, ntStatusName } from '../../src/smb2/nt-status.js';
import { NT_STATUS_NAMES } from '../../src/smb2/nt-status-names.js';

test('ntStatusName names known codes and formats unknown ones as hex', () => {
  assert.equal(ntStatusName(NtStatus.STATUS_ACCESS_DENIED), 'STATUS_ACCESS_DENIED');
  assert.equal(ntStatusName(0xc0000016), 'STATUS_MORE_PROCESSING_REQUIRED');
  // From the generated table only (not in NtStatus).
  assert.equal(ntStatusName(0xc000000f), 'STATUS_NO_SUCH_FILE');
  assert.equal(ntStatusName(0xc0000001), 'STATUS_UNSUCCESSFUL');
  assert.equal(ntStatusName(0xc0fe0123), '0xC0FE0123');
  // A signed reading of the same 32 bits names the same status.
  assert.equal(ntStatusName(0xc0000022 | 0), 'STATUS_ACCESS_DENIED');
});

test('every NtStatus constant agrees with the generated Wireshark table', () => {
  const table = new Map(NT_STATUS_NAMES);
  for (const [name, value] of Object.entries(NtStatus)) {
    assert.equal(table.get(value), name, `${name} = 0x${value.toString(16)}`);
  }
});

test('the generated table is sorted, unsigned and free of duplicate values', () => {
  let prev = -1;
  for (const [value, name] of NT_STATUS_NAMES) {
    assert.ok(value > prev, `${name} out of order`);
    assert.ok(value >= 0 && value <= 0xffffffff);
    prev = value;
  }
  assert.ok(NT_STATUS_NAMES.length > 500);
});

test('severity helpers follow the top two bits (MS-ERREF 2.3)', () => {
  assert.equal(isNtError(NtStatus.STATUS_ACCESS_DENIED), true);
  assert.equal(isNtError(NtStatus.STATUS_BUFFER_OVERFLOW), false);
  assert.equal(isNtWarning(NtStatus.STATUS_NO_MORE_FILES), true);
  assert.equal(isNtWarning(NtStatus.STATUS_STOPPED_ON_SYMLINK), true);
  assert.equal(isNtWarning(NtStatus.STATUS_LOGON_FAILURE), false);
  assert.equal(isNtSuccess(NtStatus.STATUS_PENDING), true);
  assert.equal(isNtSuccess(NtStatus.STATUS_OBJECT_NAME_EXISTS), true);
  assert.equal(isNtSuccess(NtStatus.STATUS_END_OF_FILE), false);
  assert.equal(isNtError(0xc0000022 | 0), true);
});
