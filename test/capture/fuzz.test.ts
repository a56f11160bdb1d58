import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSmbPdus, readSmbPdusFromBuffer } from '../../src/capture/smb-pdu-stream.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { PcapngWriter } from './capture-builder.js';
import { BASIC_PCAP } from '../support/shared-pcaps.js';
import { seededRandom as prng } from '../support/seeded-random.js';

const SAMPLE = readFileSync(BASIC_PCAP);

/** Offsets of every pcap record header, so mutations can aim at headers rather than file data. */
function recordOffsets(pcap: Buffer): number[] {
  const out: number[] = [];
  for (let o = 24; o + 16 <= pcap.length; o += 16 + pcap.readUInt32LE(o + 8)) out.push(o);
  return out;
}

/** The same packets as pcapng (one EPB each), to fuzz the block parser too. */
function toPcapng(pcap: Buffer): Buffer {
  const w = new PcapngWriter().shb().idb(1, { tsresol: 6 });
  for (const o of recordOffsets(pcap)) {
    const ts = BigInt(pcap.readUInt32LE(o)) * 1_000_000n + BigInt(pcap.readUInt32LE(o + 4));
    w.epb(0, ts, pcap.subarray(o + 16, o + 16 + pcap.readUInt32LE(o + 8)));
  }
  return w.toBuffer();
}

const PCAPNG = toPcapng(SAMPLE);
const TARGETS = [
  { name: 'pcap', data: SAMPLE, records: recordOffsets(SAMPLE) },
  { name: 'pcapng', data: PCAPNG, records: [] as number[] },
];

function mutate(base: Buffer, records: number[], rand: () => number): Buffer {
  const b = Buffer.from(base);
  const flips = 1 + Math.floor(rand() * 24);
  for (let i = 0; i < flips; i++) {
    let pos: number;
    if (records.length > 0 && rand() < 0.7) {
      // Aim at a record header and the protocol headers behind it (pcap+Ethernet+IP+TCP+NBSS+SMB2).
      pos = records[Math.floor(rand() * records.length)]! + Math.floor(rand() * 140);
    } else if (rand() < 0.3) {
      pos = Math.floor(rand() * 256);
    } else {
      pos = Math.floor(rand() * b.length);
    }
    if (pos < b.length)
      b[pos] = rand() < 0.5 ? Math.floor(rand() * 256) : b[pos]! ^ (1 << Math.floor(rand() * 8));
  }
  if (rand() < 0.3) return b.subarray(0, Math.floor(rand() * b.length));
  return b;
}

function runOnce(data: Buffer): void {
  try {
    const stats = readSmbPdusFromBuffer(data, {
      maxPendingSegments: 64,
      onPdu: (p) => {
        assert.ok(p.data.length >= 9 && p.data.length <= 0xffffff);
        assert.ok(p.connectionId >= 1);
      },
    });
    assert.ok(stats.packets >= 0 && stats.pdus >= 0);
  } catch (e) {
    if (!(e instanceof SmbBenchError)) throw e;
  }
}

test('300 seeded mutations of the sample capture never crash or hang', { timeout: 120_000 }, () => {
  for (let i = 0; i < 300; i++) {
    const target = TARGETS[i % 2]!;
    const rand = prng(0x5eed0000 + i);
    const data = mutate(target.data, target.records, rand);
    assert.doesNotThrow(() => runOnce(data), `iteration ${i} (${target.name})`);
  }
});

test(
  'mutated files streamed through small chunks behave like the buffer path',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smbench-fuzz-'));
    try {
      for (let i = 0; i < 20; i++) {
        const target = TARGETS[i % 2]!;
        const data = mutate(target.data, target.records, prng(0xc0ffee + i));
        const file = join(dir, `f${i}`);
        writeFileSync(file, data);
        let bufferResult: unknown;
        try {
          bufferResult = readSmbPdusFromBuffer(data, { onPdu: () => {} }).pdus;
        } catch (e) {
          assert.ok(e instanceof SmbBenchError, `iteration ${i}: ${String(e)}`);
          bufferResult = (e as Error).message;
        }
        let streamResult: unknown;
        try {
          streamResult = (await readSmbPdus(file, { chunkSize: 64 * 1024, onPdu: () => {} })).pdus;
        } catch (e) {
          assert.ok(e instanceof SmbBenchError, `iteration ${i}: ${String(e)}`);
          streamResult = (e as Error).message;
        }
        assert.deepEqual(streamResult, bufferResult, `iteration ${i}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
