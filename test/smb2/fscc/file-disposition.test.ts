import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFileDispositionInformation,
  encodeFileDispositionInformation,
} from '../../../src/smb2/fscc/file-disposition.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';

test('FileDispositionInformation is one DeletePending byte', () => {
  assert.deepEqual(encodeFileDispositionInformation({ deletePending: true }), Buffer.from([1]));
  assert.deepEqual(decodeFileDispositionInformation(Buffer.from([1])), { deletePending: true });
  assert.deepEqual(decodeFileDispositionInformation(Buffer.from([0])), { deletePending: false });
  assert.throws(() => decodeFileDispositionInformation(Buffer.alloc(0)), MalformedMessageError);
});
