import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CaptureFileReader, parseCaptureBuffer } from '../../src/capture/capture-file.js';
import { createCaptureStats } from '../../src/capture/capture-stats.js';
import type { PacketRecord } from '../../src/capture/packet-record.js';
import { pcapFile, type FramePacket } from './capture-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'smbench-capture-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Frame number, time, length and a digest of the bytes: what a reader hands on per record. */
function summary(rec: PacketRecord): string {
  const bytes = rec.data.subarray(rec.dataStart, rec.dataEnd);
  return `${rec.frameNumber} ${rec.tsMicros} ${bytes.length} ${createHash('sha1').update(bytes).digest('hex')}`;
}

async function streamed(file: string, chunkSize: number): Promise<{ records: string[]; packets: number }> {
  const stats = createCaptureStats();
  const records: string[] = [];
  const reader = await CaptureFileReader.open(file, stats, (rec) => records.push(summary(rec)), {
    chunkSize,
  });
  while (await reader.readNext());
  return { records, packets: stats.packets };
}

/** Small records, and records larger than a chunk and than the room kept for a straddling tail. */
function mixedFrames(): FramePacket[] {
  const sizes = [60, 1514, 200_000, 90, 70_000, 65_536, 3, 250_000, 1500];
  const frames: FramePacket[] = [];
  for (let i = 0; i < 300; i++) {
    const size = sizes[i % sizes.length]!;
    frames.push({ data: Buffer.alloc(size, i & 0xff), tsMicros: 1_700_000_000_000_000 + i });
  }
  return frames;
}

describe('CaptureFileReader (read-ahead, tail joining)', () => {
  test('yields the same records as parsing the whole file in memory, for any chunk size', async () => {
    const data = pcapFile(mixedFrames());
    const file = join(dir, 'mixed.pcap');
    writeFileSync(file, data);
    const expected: string[] = [];
    parseCaptureBuffer(data, createCaptureStats(), (rec) => expected.push(summary(rec)));
    assert.equal(expected.length, 300);
    for (const chunkSize of [64 * 1024, 100_003, 1 << 20]) {
      const got = await streamed(file, chunkSize);
      assert.equal(got.packets, 300);
      assert.deepEqual(got.records, expected, `chunk size ${chunkSize}`);
    }
  });

  test('a file cut inside a record counts the cut record and keeps the complete ones', async () => {
    const data = pcapFile(mixedFrames());
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, data.subarray(0, data.length - 1000));
    const stats = createCaptureStats();
    let records = 0;
    const reader = await CaptureFileReader.open(file, stats, () => records++, { chunkSize: 64 * 1024 });
    while (await reader.readNext());
    assert.equal(records, 299);
    assert.equal(stats.truncatedAtEnd, true);
  });

  test('closing before the end waits for the read in flight', async () => {
    const file = join(dir, 'early.pcap');
    writeFileSync(file, pcapFile(mixedFrames()));
    const reader = await CaptureFileReader.open(file, createCaptureStats(), () => undefined, {
      chunkSize: 64 * 1024,
    });
    assert.equal(await reader.readNext(), true);
    await reader.close();
    assert.equal(await reader.readNext(), false);
  });
});
