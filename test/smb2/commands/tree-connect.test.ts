import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShareType, treeConnectCodec, TreeConnectFlags } from '../../../src/smb2/commands/tree-connect.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { TREE_CONNECT_REQUEST, TREE_CONNECT_RESPONSE } from '../fixtures/samba-smb311-basic.js';
import { body, encodeRequest } from '../fixtures/encode.js';

test('decodes the captured TREE_CONNECT request (frame 18) and re-encodes it exactly', () => {
  const req = treeConnectCodec.decodeRequest(TREE_CONNECT_REQUEST.bytes);
  assert.deepEqual(req, { flags: 0, path: '\\\\127.0.0.1\\bench' });
  assert.deepEqual(body(encodeRequest(treeConnectCodec, req)), body(TREE_CONNECT_REQUEST.bytes));
});

test('decodes the captured TREE_CONNECT response (frame 19)', () => {
  assert.deepEqual(treeConnectCodec.decodeResponse(TREE_CONNECT_RESPONSE.bytes), {
    shareType: ShareType.SMB2_SHARE_TYPE_DISK,
    shareFlags: 0,
    capabilities: 0,
    maximalAccess: 0x001f01ff,
  });
});

test('TREE_CONNECT request round-trips with non-ASCII share names', () => {
  const req = {
    flags: TreeConnectFlags.SMB2_TREE_CONNECT_FLAG_CLUSTER_RECONNECT,
    path: '\\\\srv\\Données-日本',
  };
  assert.deepEqual(treeConnectCodec.decodeRequest(encodeRequest(treeConnectCodec, req)), req);
});

test('malformed TREE_CONNECT messages are rejected', () => {
  const badPath = Buffer.from(TREE_CONNECT_REQUEST.bytes);
  badPath.writeUInt16LE(200, SMB2_HEADER_SIZE + 6);
  assert.throws(() => treeConnectCodec.decodeRequest(badPath), MalformedMessageError);
  assert.throws(
    () => treeConnectCodec.decodeResponse(TREE_CONNECT_RESPONSE.bytes.subarray(0, 75)),
    MalformedMessageError,
  );
  const wrongSize = Buffer.from(TREE_CONNECT_RESPONSE.bytes);
  wrongSize.writeUInt16LE(9, SMB2_HEADER_SIZE);
  assert.throws(() => treeConnectCodec.decodeResponse(wrongSize), MalformedMessageError);
});
