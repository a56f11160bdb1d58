import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  irAncestors,
  irJoinPath,
  irParentPath,
  irPathFromWire,
  irPathProblem,
} from '../../src/ir/ir-path.js';
import { handleId, handleNumber, isHandleId, isUserId, userId } from '../../src/ir/ids.js';
import { isNtError } from '../../src/ir/nt-status.js';

test('IR paths are share-relative with / separators and no dot components', () => {
  assert.equal(irPathProblem(''), undefined);
  assert.equal(irPathProblem('dir/sub/file.txt'), undefined);
  assert.equal(irPathProblem('/a'), 'must not start with "/"');
  assert.equal(irPathProblem('a/'), 'must not end with "/"');
  assert.equal(irPathProblem('a\\b'), 'must use "/" separators, not "\\"');
  assert.equal(irPathProblem('a//b'), 'must not contain empty components ("//")');
  assert.equal(irPathProblem('a/../b'), 'must not contain "." or ".." components');
});

test('wire names convert to IR paths', () => {
  assert.equal(irPathFromWire('dir\\sub\\file.txt'), 'dir/sub/file.txt');
  assert.equal(irPathFromWire('\\lead\\.\\x'), 'lead/x');
  assert.equal(irPathFromWire(''), '');
  assert.equal(irPathFromWire('a\\..\\b'), undefined);
});

test('parents and ancestors', () => {
  assert.equal(irParentPath('a/b/c'), 'a/b');
  assert.equal(irParentPath('a'), '');
  assert.equal(irParentPath(''), undefined);
  assert.deepEqual(irAncestors('a/b/c'), ['a/b', 'a']);
  assert.equal(irJoinPath('', 'x'), 'x');
  assert.equal(irJoinPath('a', 'x'), 'a/x');
});

test('ids and status severity', () => {
  assert.equal(userId(3), 'u3');
  assert.equal(handleId(12), 'h12');
  assert.equal(handleNumber('h12'), 12);
  assert.ok(isUserId('u0') && !isUserId('u01') && !isUserId('user'));
  assert.ok(isHandleId('h7') && !isHandleId('h') && !isHandleId('h-1'));
  assert.equal(isNtError(0xc0000034), true);
  assert.equal(isNtError(0x80000005), false);
  assert.equal(isNtError(0), false);
});
