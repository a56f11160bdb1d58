import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changeNotifyCodec,
  ChangeNotifyFlags,
  CompletionFilter,
} from '../../../src/smb2/commands/change-notify.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import {
  encodeNotifyEntries,
  FileAction,
  iterateNotifyEntries,
} from '../../../src/smb2/fscc/notify-entries.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { outputBufferResponse } from './response-bytes.js';

test('CHANGE_NOTIFY request round-trips', () => {
  const req = {
    flags: ChangeNotifyFlags.SMB2_WATCH_TREE,
    outputBufferLength: 8192,
    fileId: { persistent: 1n, volatile: 2n },
    completionFilter:
      CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME | CompletionFilter.FILE_NOTIFY_CHANGE_LAST_WRITE,
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + changeNotifyCodec.requestSize(req));
  changeNotifyCodec.encodeRequest(req, msg);
  assert.equal(msg.length, SMB2_HEADER_SIZE + 32);
  assert.deepEqual(changeNotifyCodec.decodeRequest(msg), req);
  assert.equal(changeNotifyCodec.command, Command.CHANGE_NOTIFY);
});

test('CHANGE_NOTIFY response carries FILE_NOTIFY_INFORMATION entries', () => {
  const entries = [
    { action: FileAction.FILE_ACTION_RENAMED_OLD_NAME, fileName: 'old.txt' },
    { action: FileAction.FILE_ACTION_RENAMED_NEW_NAME, fileName: 'new.txt' },
  ];
  const res = changeNotifyCodec.decodeResponse(outputBufferResponse(encodeNotifyEntries(entries)));
  assert.deepEqual([...iterateNotifyEntries(res.outputBuffer)], entries);
});

test('CHANGE_NOTIFY empty response (overflow) and truncated response', () => {
  assert.equal(
    changeNotifyCodec.decodeResponse(outputBufferResponse(Buffer.alloc(0))).outputBuffer.length,
    0,
  );
  assert.throws(
    () => changeNotifyCodec.decodeResponse(Buffer.alloc(SMB2_HEADER_SIZE + 4, 9)),
    MalformedMessageError,
  );
});
