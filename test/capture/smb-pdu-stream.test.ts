import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iterateSmbPdus, readSmbPdus, type SmbPdu } from '../../src/capture/smb-pdu-stream.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { collectPdus } from './capture-builder.js';
import { BASIC_PCAP } from '../support/shared-pcaps.js';

const SAMPLE = BASIC_PCAP;

/**
 * Verified independently (a straight TCP-stream walk of this loss-free capture: 45 NBSS messages
 * each way). tshark's own NBSS count is lower because it mis-frames the 300 KiB WRITE/READ, whose
 * lengths need more than the 17 bits of RFC 1002.
 */
const EXPECTED_PDUS = 90;
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const EXPECTED_FRAMES = [4, 6, ...range(8, 29), 41, ...range(42, 69), 81, ...range(83, 118)];

function summary(p: SmbPdu): string {
  return `${p.connectionId} ${p.fromClient ? 'C' : 'S'} #${p.frameNumber} @${p.timestampMicros} ${p.data.length}`;
}

test('the sample Samba capture on port 4450 yields every SMB2 message, without configuration', async () => {
  const pdus: SmbPdu[] = [];
  const stats = await readSmbPdus(SAMPLE, { onPdu: (p) => pdus.push(p) });
  assert.equal(stats.pdus, EXPECTED_PDUS);
  assert.deepEqual(
    pdus.map((p) => p.frameNumber),
    EXPECTED_FRAMES,
  );
  assert.equal(pdus.filter((p) => p.fromClient).length, 45);
  assert.equal(stats.smbConnections, 1);
  assert.equal(
    stats.lostBytes + stats.gaps + stats.resyncs + stats.discardedBytes + stats.droppedMessages,
    0,
  );
  for (const p of pdus) {
    assert.equal(p.data.readUInt32BE(0), 0xfe534d42, summary(p));
    // A request has SERVER_TO_REDIR clear, a response has it set (MS-SMB2 2.2.1.2).
    assert.equal((p.data.readUInt32LE(16) & 1) === 0, p.fromClient, summary(p));
  }
  const write = pdus.find((p) => p.frameNumber === 41)!;
  assert.equal(write.data.length, 307312);
  assert.equal(write.data.readUInt16LE(12), 9, 'WRITE');
  // Time of the first byte (frame 30, tshark frame.time_epoch 1795521046.890059), not of frame 41.
  assert.equal(write.timestampMicros, 1_795_521_046_890_059);
  const read = pdus.find((p) => p.frameNumber === 81)!;
  assert.equal(read.data.length, 307280);
  assert.equal(read.fromClient, false);
  assert.equal(read.timestampMicros, 1_795_521_046_894_588);
});

test('streaming in small chunks, the buffer API and the async generator agree', async () => {
  const fromBuffer = collectPdus(readFileSync(SAMPLE));
  const chunked: string[] = [];
  const stats = await readSmbPdus(SAMPLE, { chunkSize: 64 * 1024, onPdu: (p) => chunked.push(summary(p)) });
  assert.deepEqual(chunked, fromBuffer.pdus.map(summary));
  assert.deepEqual(stats, fromBuffer.stats);

  const gen = iterateSmbPdus(SAMPLE, { chunkSize: 100_000 });
  const pulled: string[] = [];
  let r = await gen.next();
  while (!r.done) {
    pulled.push(summary(r.value));
    r = await gen.next();
  }
  assert.deepEqual(pulled, chunked);
  assert.equal(r.value.pdus, EXPECTED_PDUS);
});

test('the async generator can be abandoned early and closes the file', async () => {
  let n = 0;
  for await (const p of iterateSmbPdus(SAMPLE)) {
    assert.ok(p.data.length > 0);
    if (++n === 3) break;
  }
  assert.equal(n, 3);
});

test('file-level errors: missing file, not a capture, truncated file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-capture-'));
  try {
    await assert.rejects(
      readSmbPdus(join(dir, 'missing.pcap'), { onPdu: () => {} }),
      (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.CAPTURE,
    );
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, Buffer.from('not a capture at all'));
    await assert.rejects(
      readSmbPdus(junk, { onPdu: () => {} }),
      (e: unknown) =>
        e instanceof SmbBenchError && e.message === 'not a pcap or pcapng file (magic 0x6e6f7420)',
    );
    const tiny = join(dir, 'tiny.pcap');
    writeFileSync(tiny, Buffer.from([0xd4, 0xc3]));
    await assert.rejects(readSmbPdus(tiny, { onPdu: () => {} }), SmbBenchError);
    const cut = join(dir, 'cut.pcap');
    const full = readFileSync(SAMPLE);
    writeFileSync(cut, full.subarray(0, full.length - 10));
    const stats = await readSmbPdus(cut, { chunkSize: 64 * 1024, onPdu: () => {} });
    assert.equal(stats.truncatedAtEnd, true);
    assert.equal(stats.packets, 120);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the sample capture cut to start in the middle of the 300 KiB WRITE resynchronises', () => {
  const full = readFileSync(SAMPLE);
  const records: Buffer[] = [];
  for (let o = 24, n = 1; o < full.length; n++) {
    const len = 16 + full.readUInt32LE(o + 8);
    if (n >= 35) records.push(full.subarray(o, o + len));
    o += len;
  }
  const { pdus, stats } = collectPdus(Buffer.concat([full.subarray(0, 24), ...records]));
  const expected = EXPECTED_FRAMES.filter((f) => f > 41).map((f) => f - 34);
  assert.deepEqual(
    pdus.map((p) => p.frameNumber),
    expected,
  );
  for (const p of pdus) assert.equal((p.data.readUInt32LE(16) & 1) === 0, p.fromClient);
  assert.equal(stats.resyncs, 2, 'once per direction');
  // Frames 35-41 (sequence 128923..309263) are the tail of the WRITE: scanned and dropped.
  assert.equal(stats.discardedBytes, 309263 - 128923);
});

test('an aborted read stops with ERR_SMB_ABORTED', async () => {
  const controller = new AbortController();
  let n = 0;
  await assert.rejects(
    readSmbPdus(SAMPLE, {
      chunkSize: 64 * 1024,
      signal: controller.signal,
      onPdu: () => {
        if (++n === 5) controller.abort();
      },
    }),
    (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.ABORTED,
  );
});
