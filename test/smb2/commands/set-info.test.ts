import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setInfoCodec } from '../../../src/smb2/commands/set-info.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { FileInformationClass, InfoType } from '../../../src/smb2/fscc/info-classes.js';
import {
  decodeFileRenameInformation,
  encodeFileRenameInformation,
} from '../../../src/smb2/fscc/file-rename.js';
import { decodeFileDispositionInformation } from '../../../src/smb2/fscc/file-disposition.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';

test('SET_INFO request round-trips with the buffer at 0x60', () => {
  const req = {
    infoType: InfoType.SMB2_0_INFO_FILE,
    fileInfoClass: FileInformationClass.FileRenameInformation,
    buffer: encodeFileRenameInformation({ replaceIfExists: true, rootDirectory: 0n, fileName: 'a\\b.txt' }),
    additionalInformation: 0,
    fileId: { persistent: 1n, volatile: 2n },
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + setInfoCodec.requestSize(req));
  setInfoCodec.encodeRequest(req, msg);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE), 33);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 8), 0x60);
  assert.deepEqual(setInfoCodec.decodeRequest(msg), req);
  assert.equal(setInfoCodec.command, Command.SET_INFO);
});

test('SET_INFO request with BufferLength past the message is rejected', () => {
  const req = {
    infoType: 1,
    fileInfoClass: 13,
    buffer: Buffer.from([1]),
    additionalInformation: 0,
    fileId: { persistent: 1n, volatile: 2n },
  };
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + setInfoCodec.requestSize(req));
  setInfoCodec.encodeRequest(req, msg);
  msg.writeUInt32LE(2, SMB2_HEADER_SIZE + 4);
  assert.throws(() => setInfoCodec.decodeRequest(msg), MalformedMessageError);
});

test('SET_INFO response is StructureSize 2', () => {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + 2);
  msg.writeUInt16LE(2, SMB2_HEADER_SIZE);
  assert.deepEqual(setInfoCodec.decodeResponse(msg), {});
  msg.writeUInt16LE(4, SMB2_HEADER_SIZE);
  assert.throws(() => setInfoCodec.decodeResponse(msg), MalformedMessageError);
});

test('SET_INFO rename and delete from a real Samba capture', { skip: !havePcap() }, () => {
  const reqs = readSmb2Messages(BASIC_PCAP, 4450)
    .filter((m) => m.command === Command.SET_INFO && !m.isResponse)
    .map((m) => setInfoCodec.decodeRequest(m.msg));
  const rename = reqs.find((r) => r.fileInfoClass === FileInformationClass.FileRenameInformation)!;
  assert.deepEqual(decodeFileRenameInformation(rename.buffer), {
    replaceIfExists: false,
    rootDirectory: 0n,
    fileName: 'docs\\final.bin',
  });
  const disposition = reqs.find((r) => r.fileInfoClass === FileInformationClass.FileDispositionInformation)!;
  assert.deepEqual(decodeFileDispositionInformation(disposition.buffer), { deletePending: true });
});
