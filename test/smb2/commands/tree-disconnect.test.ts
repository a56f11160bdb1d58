import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treeDisconnectCodec } from '../../../src/smb2/commands/tree-disconnect.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { TREE_DISCONNECT_REQUEST, TREE_DISCONNECT_RESPONSE } from '../fixtures/samba-smb311-basic.js';
import { body, encodeRequest, withHeader } from '../fixtures/encode.js';

test('TREE_DISCONNECT matches the capture (frames 16, 17) both ways', () => {
  assert.deepEqual(treeDisconnectCodec.decodeRequest(TREE_DISCONNECT_REQUEST.bytes), {});
  assert.deepEqual(treeDisconnectCodec.decodeResponse(TREE_DISCONNECT_RESPONSE.bytes), {});
  assert.deepEqual(body(encodeRequest(treeDisconnectCodec, {})), body(TREE_DISCONNECT_REQUEST.bytes));
});

test('TREE_DISCONNECT rejects a wrong StructureSize and a truncated body', () => {
  assert.throws(
    () => treeDisconnectCodec.decodeResponse(withHeader(Buffer.from([9, 0, 0, 0]))),
    MalformedMessageError,
  );
  assert.throws(
    () => treeDisconnectCodec.decodeResponse(withHeader(Buffer.from([4]))),
    MalformedMessageError,
  );
});
