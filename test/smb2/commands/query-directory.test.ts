import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryDirectoryCodec, QueryDirectoryFlags } from '../../../src/smb2/commands/query-directory.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { FileInformationClass } from '../../../src/smb2/fscc/info-classes.js';
import { iterateDirectoryEntries } from '../../../src/smb2/fscc/directory-entries.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';
import { outputBufferResponse } from './response-bytes.js';

test('QUERY_DIRECTORY request round-trips with the pattern at 0x60', () => {
  const req = {
    fileInformationClass: FileInformationClass.FileIdBothDirectoryInformation,
    flags: QueryDirectoryFlags.SMB2_RESTART_SCANS | QueryDirectoryFlags.SMB2_REOPEN,
    fileIndex: 0,
    fileId: { persistent: 1n, volatile: 2n },
    fileName: 'ré*.txt',
    outputBufferLength: 65536,
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + queryDirectoryCodec.requestSize(req));
  queryDirectoryCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 33);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 24), 0x60);
  assert.equal(msg.subarray(0x60).toString('utf16le'), 'ré*.txt');
  assert.deepEqual(queryDirectoryCodec.decodeRequest(msg), req);
  assert.equal(queryDirectoryCodec.command, Command.QUERY_DIRECTORY);
});

test('QUERY_DIRECTORY request with an empty pattern', () => {
  const req = {
    fileInformationClass: 1,
    flags: 0,
    fileIndex: 0,
    fileId: { persistent: 1n, volatile: 2n },
    fileName: '',
    outputBufferLength: 1,
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + queryDirectoryCodec.requestSize(req));
  queryDirectoryCodec.encodeRequest(req, msg);
  assert.deepEqual(queryDirectoryCodec.decodeRequest(msg), req);
});

test('QUERY_DIRECTORY response returns the output buffer, bounds-checked', () => {
  const out = Buffer.from('entries');
  assert.equal(
    queryDirectoryCodec.decodeResponse(outputBufferResponse(out)).outputBuffer.toString(),
    'entries',
  );
  const bad = outputBufferResponse(out);
  bad.writeUInt32LE(1000, SMB2_HEADER_SIZE + 4);
  assert.throws(() => queryDirectoryCodec.decodeResponse(bad), MalformedMessageError);
  assert.throws(
    () => queryDirectoryCodec.decodeResponse(Buffer.alloc(SMB2_HEADER_SIZE + 3)),
    MalformedMessageError,
  );
});

test('QUERY_DIRECTORY responses from a real Samba capture', { skip: !havePcap() }, () => {
  const msgs = readSmb2Messages(BASIC_PCAP, 4450).filter((m) => m.command === Command.QUERY_DIRECTORY);
  const req = queryDirectoryCodec.decodeRequest(msgs.find((m) => !m.isResponse)!.msg);
  assert.equal(req.fileInformationClass, FileInformationClass.FileIdBothDirectoryInformation);
  assert.equal(req.fileName, '*');
  const listings = msgs
    .filter((m) => m.isResponse && m.status === 0)
    .map((m) => [
      ...iterateDirectoryEntries(
        queryDirectoryCodec.decodeResponse(m.msg).outputBuffer,
        req.fileInformationClass,
      ),
    ]);
  const names = listings.map((entries) => entries.map((e) => e.fileName));
  assert.deepEqual(names[0], ['.', '..', 'report.bin']);
  assert.deepEqual(names[1], ['final.bin']);
  const file = listings[1]![0]!;
  assert.equal(file.endOfFile, 300n * 1024n);
  assert.equal(file.fileAttributes & 0x10, 0);
  assert.ok(file.fileId! > 0n);
});
