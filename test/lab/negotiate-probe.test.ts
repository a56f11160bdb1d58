import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  buildNegotiateProbe,
  parseNegotiateProbeResponse,
  probeSmb2,
} from '../../src/lab/negotiate-probe.js';
import { ALL_DIALECTS, SMB2_HEADER_SIZE, SMB2_PROTOCOL_ID } from '../../src/smb2/constants.js';

test('the probe is one well-formed NEGOTIATE offering every dialect with a preauth context', () => {
  const frame = buildNegotiateProbe();
  assert.equal(frame.readUInt32BE(0), frame.length - 4);
  const smb = frame.subarray(4);
  assert.equal(smb.readUInt32LE(0), SMB2_PROTOCOL_ID);
  assert.equal(smb.readUInt16LE(12), 0); // NEGOTIATE
  const body = SMB2_HEADER_SIZE;
  assert.equal(smb.readUInt16LE(body), 36);
  assert.equal(smb.readUInt16LE(body + 2), ALL_DIALECTS.length);
  const contextOffset = smb.readUInt32LE(body + 28);
  assert.equal(contextOffset % 8, 0);
  assert.equal(smb.readUInt16LE(body + 32), 1);
  const dialects = Array.from({ length: ALL_DIALECTS.length }, (_, i) => smb.readUInt16LE(body + 36 + 2 * i));
  assert.deepEqual(dialects, [...ALL_DIALECTS]);
  // SMB2_PREAUTH_INTEGRITY_CAPABILITIES: DataLength covers count, salt length, one algorithm, salt.
  assert.equal(smb.readUInt16LE(contextOffset), 1);
  const dataLength = smb.readUInt16LE(contextOffset + 2);
  assert.equal(dataLength, 6 + 32);
  assert.equal(contextOffset + 8 + dataLength, smb.length);
  assert.equal(smb.readUInt16LE(contextOffset + 12), 1); // SHA-512
});

function negotiateResponse(status: number, dialect: number, securityMode: number): Buffer {
  const smb = Buffer.alloc(SMB2_HEADER_SIZE + 8);
  smb.writeUInt32LE(SMB2_PROTOCOL_ID, 0);
  smb.writeUInt16LE(64, 4);
  smb.writeUInt32LE(status, 8);
  smb.writeUInt16LE(0, 12);
  smb.writeUInt16LE(65, SMB2_HEADER_SIZE);
  smb.writeUInt16LE(securityMode, SMB2_HEADER_SIZE + 2);
  smb.writeUInt16LE(dialect, SMB2_HEADER_SIZE + 4);
  const nbss = Buffer.alloc(4);
  nbss.writeUInt32BE(smb.length);
  return Buffer.concat([nbss, smb]);
}

test('responses are parsed; non-SMB2 answers are not', () => {
  assert.deepEqual(parseNegotiateProbeResponse(negotiateResponse(0, 0x0311, 3)), {
    status: 0,
    dialect: 0x0311,
    securityMode: 3,
  });
  assert.equal(
    parseNegotiateProbeResponse(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'.padEnd(80))),
    undefined,
  );
});

test('probeSmb2 talks to a fake server, and gives up on silent ones and closed ports', async () => {
  const answering = createServer((socket) =>
    socket.once('data', () => socket.end(negotiateResponse(0, 0x0302, 1))),
  );
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const result = await probeSmb2('127.0.0.1', (answering.address() as AddressInfo).port);
    assert.deepEqual(result, { status: 0, dialect: 0x0302, securityMode: 1 });
    assert.equal(await probeSmb2('127.0.0.1', (silent.address() as AddressInfo).port, 200), undefined);
  } finally {
    answering.close();
    silent.close();
  }
  assert.equal(
    await probeSmb2('127.0.0.1', (answering.address() as AddressInfo | null)?.port ?? 1, 500),
    undefined,
  );
});
