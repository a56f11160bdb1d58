import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeCodec } from '../../../src/smb2/commands/close.js';
import { CLOSE_REQUEST, CLOSE_RESPONSE, CREATE_RESPONSE_DIR } from '../fixtures/samba-smb311-basic.js';
import { createCodec } from '../../../src/smb2/commands/create.js';
import { body, encodeRequest } from '../fixtures/encode.js';

test('decodes the captured CLOSE (frames 22, 23) of the handle CREATE returned', () => {
  const { fileId } = createCodec.decodeResponse(CREATE_RESPONSE_DIR.bytes);
  const req = closeCodec.decodeRequest(CLOSE_REQUEST.bytes);
  assert.deepEqual(req, { flags: 0, fileId });
  assert.deepEqual(body(encodeRequest(closeCodec, req)), body(CLOSE_REQUEST.bytes));
  const res = closeCodec.decodeResponse(CLOSE_RESPONSE.bytes);
  assert.equal(res.flags, 0);
  assert.equal(res.creationTime, 0n);
  assert.equal(res.endOfFile, 0n);
});
