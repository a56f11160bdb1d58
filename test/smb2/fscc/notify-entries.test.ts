import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeNotifyEntries,
  FileAction,
  iterateNotifyEntries,
} from '../../../src/smb2/fscc/notify-entries.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FILE_NOTIFY_INFORMATION entries round-trip, DWORD aligned', () => {
  const entries = [
    { action: FileAction.FILE_ACTION_ADDED, fileName: 'a' },
    { action: FileAction.FILE_ACTION_MODIFIED, fileName: 'sub\\file.txt' },
    { action: FileAction.FILE_ACTION_REMOVED, fileName: 'x' },
  ];
  const buf = encodeNotifyEntries(entries);
  assert.equal(buf.readUInt32LE(0), 16); // 12 + 2 bytes of name, rounded to 4
  assert.deepEqual([...iterateNotifyEntries(buf)], entries);
});

test('known bytes: one FILE_ACTION_ADDED for "new.txt"', () => {
  const name = Buffer.from('new.txt', 'utf16le');
  const buf = Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0, 0, 0, name.length, 0, 0, 0]), name]);
  assert.deepEqual([...iterateNotifyEntries(buf)], [{ action: 1, fileName: 'new.txt' }]);
});

test('malformed notify buffers are rejected', () => {
  const buf = encodeNotifyEntries([
    { action: 1, fileName: 'abc' },
    { action: 2, fileName: 'def' },
  ]);
  const backwards = Buffer.from(buf);
  backwards.writeUInt32LE(0xfffffffc, 0);
  assert.throws(() => [...iterateNotifyEntries(backwards)], MalformedMessageError);
  const nameOverflow = Buffer.from(buf);
  nameOverflow.writeUInt32LE(64, 8);
  assert.throws(() => [...iterateNotifyEntries(nameOverflow)], MalformedMessageError);
  assert.throws(() => [...iterateNotifyEntries(Buffer.alloc(8))], MalformedMessageError);
});
