import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIRECTORY_ENTRY_CLASSES,
  encodeDirectoryEntries,
  encodeFileNames,
  iterateDirectoryEntries,
  iterateFileNames,
  type DirectoryEntry,
} from '../../../src/smb2/fscc/directory-entries.js';
import { FileInformationClass } from '../../../src/smb2/fscc/info-classes.js';
import { MalformedMessageError, SmbBenchError } from '../../../src/errors/smbench-error.js';

const base = {
  fileIndex: 0,
  creationTime: 1n,
  lastAccessTime: 2n,
  lastWriteTime: 3n,
  changeTime: 4n,
  endOfFile: 5n,
  allocationSize: 4096n,
  fileAttributes: 0x20,
};

/** What each class carries beyond the common fields (MS-FSCC 2.4.8/10/14/17/18). */
function shaped(infoClass: number, e: DirectoryEntry): DirectoryEntry {
  const out: DirectoryEntry = { ...base, fileIndex: e.fileIndex, fileName: e.fileName };
  if (infoClass !== FileInformationClass.FileDirectoryInformation) out.eaSize = e.eaSize ?? 0;
  if (
    infoClass === FileInformationClass.FileBothDirectoryInformation ||
    infoClass === FileInformationClass.FileIdBothDirectoryInformation
  ) {
    out.shortName = e.shortName ?? '';
  }
  if (
    infoClass === FileInformationClass.FileIdFullDirectoryInformation ||
    infoClass === FileInformationClass.FileIdBothDirectoryInformation
  ) {
    out.fileId = e.fileId ?? 0n;
  }
  return out;
}

const entries: DirectoryEntry[] = [
  { ...base, fileName: '.', eaSize: 0, shortName: '', fileId: 10n },
  {
    ...base,
    fileIndex: 1,
    fileName: 'long file name.txt',
    eaSize: 4,
    shortName: 'LONGFI~1.TXT',
    fileId: 0x123456789n,
  },
  { ...base, fileIndex: 2, fileName: 'ünï©ødé', eaSize: 0, shortName: '', fileId: 12n },
];

test('every directory class round-trips through encode and the lazy iterator', () => {
  assert.equal(DIRECTORY_ENTRY_CLASSES.length, 5);
  for (const infoClass of DIRECTORY_ENTRY_CLASSES) {
    const buf = encodeDirectoryEntries(entries, infoClass);
    const expected = entries.map((e) => shaped(infoClass, e));
    assert.deepEqual([...iterateDirectoryEntries(buf, infoClass)], expected, `class ${infoClass}`);
    // Entries are 8-byte aligned (MS-FSCC 2.4 NextEntryOffset).
    assert.equal(buf.readUInt32LE(0) % 8, 0);
  }
});

test('FileIdBothDirectoryInformation puts FileId at 96 and the name at 104', () => {
  const buf = encodeDirectoryEntries([entries[1]!], FileInformationClass.FileIdBothDirectoryInformation);
  assert.equal(buf.readBigUInt64LE(96), 0x123456789n);
  assert.equal(buf[68], 24);
  assert.equal(buf.subarray(104).toString('utf16le'), 'long file name.txt');
});

test('an empty buffer yields no entries; decoding is lazy', () => {
  assert.deepEqual([...iterateDirectoryEntries(Buffer.alloc(0), 37)], []);
  const buf = encodeDirectoryEntries(entries, 37);
  buf.writeUInt32LE(1, buf.readUInt32LE(0)); // corrupt the second entry's NextEntryOffset
  const it = iterateDirectoryEntries(buf, 37);
  assert.equal(it.next().value?.fileName, '.');
  assert.throws(() => it.next(), MalformedMessageError);
});

test('malformed chains are rejected: loop-ish, past the end, truncated, name overflow', () => {
  const good = encodeDirectoryEntries(entries, FileInformationClass.FileDirectoryInformation);
  const loop = Buffer.from(good);
  loop.writeUInt32LE(0xfffffff8, 0); // -8 as int32: would point backwards
  assert.throws(() => [...iterateDirectoryEntries(loop, 1)], MalformedMessageError);
  const zeroStep = Buffer.from(good);
  zeroStep.writeUInt32LE(4, 0);
  assert.throws(() => [...iterateDirectoryEntries(zeroStep, 1)], MalformedMessageError);
  const past = Buffer.from(good);
  past.writeUInt32LE(good.length, 0);
  assert.throws(() => [...iterateDirectoryEntries(past, 1)], MalformedMessageError);
  assert.throws(() => [...iterateDirectoryEntries(good.subarray(0, 40), 1)], MalformedMessageError);
  const longName = Buffer.from(good);
  longName.writeUInt32LE(200, 60);
  assert.throws(() => [...iterateDirectoryEntries(longName, 1)], MalformedMessageError);
  const badShort = encodeDirectoryEntries([entries[0]!], 3);
  badShort[68] = 30;
  assert.throws(() => [...iterateDirectoryEntries(badShort, 3)], MalformedMessageError);
});

test('unsupported classes are a usage error', () => {
  assert.throws(() => iterateDirectoryEntries(Buffer.alloc(0), 12), SmbBenchError);
  assert.throws(() => encodeDirectoryEntries([], 99), SmbBenchError);
});

test('FileNamesInformation round-trips and bounds-checks', () => {
  const names = [
    { fileIndex: 0, fileName: 'a' },
    { fileIndex: 7, fileName: 'bb.txt' },
  ];
  const buf = encodeFileNames(names);
  assert.deepEqual([...iterateFileNames(buf)], names);
  buf.writeUInt32LE(1000, 8);
  assert.throws(() => [...iterateFileNames(buf)], MalformedMessageError);
});
