import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryInfoCodec, QueryInfoFlags } from '../../../src/smb2/commands/query-info.js';
import { Command, SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import {
  FileInformationClass,
  FsInformationClass,
  InfoType,
  SecurityInformation,
} from '../../../src/smb2/fscc/info-classes.js';
import { decodeFileAllInformation } from '../../../src/smb2/fscc/file-all.js';
import { decodeFileFsSizeInformation } from '../../../src/smb2/fscc/fs-info.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { BASIC_PCAP, havePcap, readSmb2Messages } from '../pcap-messages.js';
import { outputBufferResponse } from './response-bytes.js';

const fileId = { persistent: 9n, volatile: 10n };

function roundTrip(req: Parameters<typeof queryInfoCodec.encodeRequest>[0]): Buffer {
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + queryInfoCodec.requestSize(req));
  queryInfoCodec.encodeRequest(req, msg);
  assert.deepEqual(queryInfoCodec.decodeRequest(msg), req);
  return msg;
}

test('QUERY_INFO request round-trips without and with an input buffer', () => {
  const plain = roundTrip({
    infoType: InfoType.SMB2_0_INFO_SECURITY,
    fileInfoClass: 0,
    outputBufferLength: 4096,
    inputBuffer: Buffer.alloc(0),
    additionalInformation:
      SecurityInformation.OWNER_SECURITY_INFORMATION | SecurityInformation.DACL_SECURITY_INFORMATION,
    flags: 0,
    fileId,
  });
  assert.equal(plain.length, SMB2_HEADER_SIZE + 41);
  const withInput = roundTrip({
    infoType: InfoType.SMB2_0_INFO_FILE,
    fileInfoClass: FileInformationClass.FileFullEaInformation,
    outputBufferLength: 4096,
    inputBuffer: Buffer.from('ea-name-list'),
    additionalInformation: 0,
    flags: QueryInfoFlags.SL_RESTART_SCAN,
    fileId,
  });
  assert.equal(withInput.readUInt16LE(SMB2_HEADER_SIZE + 8), 0x68);
  assert.equal(queryInfoCodec.command, Command.QUERY_INFO);
});

test('QUERY_INFO response returns the output buffer and rejects bad offsets', () => {
  assert.equal(
    queryInfoCodec.decodeResponse(outputBufferResponse(Buffer.from('info'))).outputBuffer.toString(),
    'info',
  );
  const bad = outputBufferResponse(Buffer.from('info'));
  bad.writeUInt16LE(0xfff0, SMB2_HEADER_SIZE + 2);
  assert.throws(() => queryInfoCodec.decodeResponse(bad), MalformedMessageError);
});

test('QUERY_INFO responses from a real Samba capture', { skip: !havePcap() }, () => {
  const msgs = readSmb2Messages(BASIC_PCAP, 4450).filter((m) => m.command === Command.QUERY_INFO);
  const requests = msgs.filter((m) => !m.isResponse).map((m) => queryInfoCodec.decodeRequest(m.msg));
  const responses = msgs
    .filter((m) => m.isResponse)
    .map((m) => queryInfoCodec.decodeResponse(m.msg).outputBuffer);
  const fsIndex = requests.findIndex((r) => r.infoType === InfoType.SMB2_0_INFO_FILESYSTEM);
  assert.equal(requests[fsIndex]!.fileInfoClass, FsInformationClass.FileFsSizeInformation);
  const sizes = responses.filter((b) => b.length === 24).map(decodeFileFsSizeInformation);
  assert.ok(sizes.length > 0);
  assert.equal(sizes[0]!.bytesPerSector, 512);
  const all = responses.filter((b) => b.length > 100).map(decodeFileAllInformation);
  assert.equal(all[0]!.fileName, '\\docs\\final.bin');
  assert.equal(all[0]!.standard.endOfFile, 300n * 1024n);
  assert.equal(all[0]!.nameTruncated, false);
});

test('QUERY_INFO response buffer pointing into the header is rejected', () => {
  const msg = outputBufferResponse(Buffer.from('info'));
  msg.writeUInt16LE(0, SMB2_HEADER_SIZE + 2);
  assert.throws(() => queryInfoCodec.decodeResponse(msg), MalformedMessageError);
});
