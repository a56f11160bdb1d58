import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FileInformationClass,
  FsInformationClass,
  InfoType,
  infoClassName,
} from '../../../src/smb2/fscc/info-classes.js';

test('info class numbers follow MS-FSCC 2.4 / 2.5', () => {
  assert.equal(InfoType.SMB2_0_INFO_FILE, 1);
  assert.equal(InfoType.SMB2_0_INFO_QUOTA, 4);
  assert.equal(FileInformationClass.FileAllInformation, 18);
  assert.equal(FileInformationClass.FileIdBothDirectoryInformation, 37);
  assert.equal(FileInformationClass.FileNetworkOpenInformation, 34);
  assert.equal(FsInformationClass.FileFsFullSizeInformation, 7);
});

test('infoClassName resolves per InfoType', () => {
  assert.equal(infoClassName(1, 18), 'FileAllInformation');
  assert.equal(infoClassName(2, 18), 'FsInfoClass_18');
  assert.equal(infoClassName(2, 5), 'FileFsAttributeInformation');
  assert.equal(infoClassName(3, 0), 'SecurityInformation');
  assert.equal(infoClassName(9, 1), 'InfoType_9_Class_1');
});
