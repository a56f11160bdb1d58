import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { readSmbPdusFromBuffer } from '../../src/capture/smb-pdu-stream.js';
import {
  collectPdus,
  ethernet,
  nbss,
  pcapFile,
  simpleExchange,
  smb2Message,
  TcpFlow,
} from './capture-builder.js';

const client = { addr: '10.0.0.1', port: 50000 };
const server = { addr: '10.0.0.2', port: 445 };

for (const bigEndian of [false, true]) {
  for (const nanos of [false, true]) {
    test(`pcap ${bigEndian ? 'big' : 'little'}-endian ${nanos ? 'nanosecond' : 'microsecond'} file yields both PDUs`, () => {
      const { packets, request, response } = simpleExchange(new TcpFlow(client, server));
      const frames = packets.map((p, i) => ({ data: ethernet(p), tsMicros: 1_700_000_000_123_456 + i }));
      const { pdus, stats } = collectPdus(pcapFile(frames, { bigEndian, nanos }));
      assert.equal(stats.format, 'pcap');
      assert.equal(stats.packets, 7);
      assert.equal(stats.pdus, 2);
      assert.deepEqual(
        pdus.map((p) => [p.connectionId, p.fromClient, p.frameNumber, p.timestampMicros]),
        [
          [1, true, 4, 1_700_000_000_123_459],
          [1, false, 5, 1_700_000_000_123_460],
        ],
      );
      assert.deepEqual(pdus[0]!.data, request);
      assert.deepEqual(pdus[1]!.data, response);
      assert.equal(stats.truncatedAtEnd, false);
    });
  }
}

test('a file cut inside the last record counts it and keeps earlier PDUs', () => {
  const flow = new TcpFlow(client, server);
  const { packets } = simpleExchange(flow);
  const file = pcapFile(packets.slice(0, 5).map((p) => ({ data: ethernet(p) })));
  for (const cut of [10, 16, 30]) {
    const { pdus, stats } = collectPdus(file.subarray(0, file.length - cut));
    assert.equal(stats.truncatedAtEnd, true, `cut ${cut}`);
    assert.equal(stats.packets, 4);
    assert.equal(pdus.length, 1);
  }
});

test('a file with only part of the global header is truncated, not an error', () => {
  const file = pcapFile([]);
  const { stats } = collectPdus(file.subarray(0, 10));
  assert.equal(stats.truncatedAtEnd, true);
  assert.equal(stats.packets, 0);
});

test('garbage and empty files are rejected with ERR_CAPTURE', () => {
  assert.throws(
    () => readSmbPdusFromBuffer(Buffer.from('GET / HTTP/1.1\r\n\r\n'), { onPdu: () => {} }),
    (e: unknown) =>
      e instanceof SmbBenchError &&
      e.code === ErrorCode.CAPTURE &&
      e.message === 'not a pcap or pcapng file (magic 0x47455420)',
  );
  assert.throws(
    () => readSmbPdusFromBuffer(Buffer.alloc(0), { onPdu: () => {} }),
    (e: unknown) => e instanceof SmbBenchError && /not a pcap or pcapng file/.test(e.message),
  );
  assert.throws(
    () => readSmbPdusFromBuffer(Buffer.from([0xd4, 0xc3]), { onPdu: () => {} }),
    (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.CAPTURE,
  );
});

test('an absurd record length is a clear error with the byte offset', () => {
  const { packets } = simpleExchange(new TcpFlow(client, server));
  const file = pcapFile(packets.map((p) => ({ data: ethernet(p) })));
  // Second record header starts after the global header and the first (74-byte) record.
  const second = 24 + 16 + ethernet(packets[0]!).length;
  file.writeUInt32LE(0x7fffffff, second + 8);
  assert.throws(
    () => readSmbPdusFromBuffer(file, { onPdu: () => {} }),
    (e: unknown) =>
      e instanceof SmbBenchError &&
      e.code === ErrorCode.CAPTURE &&
      e.message.includes(`byte offset ${second}`) &&
      e.message.includes('2147483647'),
  );
});

test('a snaplen-cut segment inside a message drops only that message', () => {
  const flow = new TcpFlow(client, server);
  const big = smb2Message({ command: 9, messageId: 1, bodyLen: 3000 });
  const next = smb2Message({ command: 6, messageId: 2 });
  const frames: Array<{ data: Buffer; origLen?: number }> = [];
  for (const p of flow.handshake()) frames.push({ data: ethernet(p) });
  for (const s of flow.sendSplit(true, nbss(big), 1000)) frames.push({ data: ethernet(s) });
  frames.push({ data: ethernet(flow.send(true, nbss(next))) });
  // Cut the second data segment to 200 captured bytes (snaplen), keeping its original length.
  const cut = frames[4]!;
  frames[4] = { data: cut.data.subarray(0, 200), origLen: cut.data.length };
  const { pdus, stats } = collectPdus(pcapFile(frames));
  const headers = 14 + 20 + 20;
  assert.equal(stats.truncatedPackets, 1);
  assert.equal(stats.gaps, 1);
  assert.equal(stats.lostBytes, 1000 - (200 - headers));
  assert.equal(stats.droppedMessages, 1);
  assert.equal(stats.resyncs, 0, 'the cut message had a known length, so the next boundary is known');
  assert.equal(pdus.length, 1);
  assert.deepEqual(pdus[0]!.data, next);
});
