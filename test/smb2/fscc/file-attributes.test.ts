import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileAttributes, isDirectory } from '../../../src/smb2/fscc/file-attributes.js';

test('FILE_ATTRIBUTE_DIRECTORY identifies directories', () => {
  assert.equal(
    isDirectory(FileAttributes.FILE_ATTRIBUTE_DIRECTORY | FileAttributes.FILE_ATTRIBUTE_HIDDEN),
    true,
  );
  assert.equal(isDirectory(FileAttributes.FILE_ATTRIBUTE_ARCHIVE), false);
});
