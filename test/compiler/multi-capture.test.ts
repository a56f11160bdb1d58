import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { IrDocument } from '../../src/ir/index.js';
import { BASIC_PCAP } from '../support/shared-pcaps.js';
import { compileFiles } from './support/compile-trace.js';

const PORT = 4450;
const PCAP_HEADER = 24;
const RECORD_HEADER = 16;

interface PcapRecord {
  readonly header: Buffer;
  readonly body: Buffer;
}

/** The records of a classic little-endian microsecond pcap (the shared capture's format). */
function pcapRecords(file: Buffer): { globalHeader: Buffer; records: PcapRecord[] } {
  assert.equal(file.readUInt32LE(0), 0xa1b2c3d4, 'little-endian microsecond pcap');
  const records: PcapRecord[] = [];
  for (let at = PCAP_HEADER; at + RECORD_HEADER <= file.length;) {
    const length = file.readUInt32LE(at + 8);
    records.push({
      header: Buffer.from(file.subarray(at, at + RECORD_HEADER)),
      body: file.subarray(at + RECORD_HEADER, at + RECORD_HEADER + length),
    });
    at += RECORD_HEADER + length;
  }
  return { globalHeader: file.subarray(0, PCAP_HEADER), records };
}

/** Writes the records `pick` sends to file 0 and file 1; `shiftSeconds` moves file 1's clock. */
function splitPcap(
  dir: string,
  pick: (index: number, count: number) => 0 | 1,
  shiftSeconds = 0,
): [string, string] {
  const { globalHeader, records } = pcapRecords(readFileSync(BASIC_PCAP));
  const parts: Buffer[][] = [[globalHeader], [globalHeader]];
  records.forEach((r, i) => {
    const to = pick(i, records.length);
    const header = Buffer.from(r.header);
    if (to === 1) header.writeUInt32LE(header.readUInt32LE(0) + shiftSeconds, 0);
    parts[to]!.push(header, r.body);
  });
  const paths: [string, string] = [join(dir, 'part-a.pcap'), join(dir, 'part-b.pcap')];
  paths.forEach((p, i) => writeFileSync(p, Buffer.concat(parts[i]!)));
  return paths;
}

/** Everything of a workload but its creation time and sources. */
function content(doc: IrDocument): unknown {
  return { users: doc.users, namespace: doc.namespace, ops: doc.ops };
}

describe(
  'several captures compile as one, merged by timestamp',
  { skip: !existsSync(BASIC_PCAP) && 'capture not present' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'smbench-multi-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('packets split alternately over two files (two interfaces) give the same workload', async () => {
      const whole = await compileFiles([BASIC_PCAP], { serverPorts: [PORT] });
      const [a, b] = splitPcap(dir, (i) => (i % 2 === 0 ? 0 : 1));
      // Given in either order: the merge is by time, not by argument position.
      for (const inputs of [
        [a, b],
        [b, a],
      ]) {
        const split = await compileFiles(inputs, { serverPorts: [PORT] });
        assert.deepEqual(split.problems, []);
        assert.deepEqual(content(split.doc), content(whole.doc));
        assert.equal(split.result.stats.capture.packets, whole.result.stats.capture.packets);
        assert.deepEqual(
          split.result.sources.map((s) => s.packets).reduce((x, y) => x + y, 0),
          whole.result.stats.capture.packets,
        );
        assert.equal(
          split.result.warnings.find((w) => w.kind === 'captureTime'),
          undefined,
        );
      }
    });

    test('rotated halves give the same workload and no clock warning', async () => {
      const whole = await compileFiles([BASIC_PCAP], { serverPorts: [PORT] });
      const [a, b] = splitPcap(dir, (i, n) => (i < n / 2 ? 0 : 1));
      const split = await compileFiles([b, a], { serverPorts: [PORT] });
      assert.deepEqual(content(split.doc), content(whole.doc));
      assert.deepEqual(
        split.result.sources.map((s) => s.file),
        ['part-b.pcap', 'part-a.pcap'],
      );
      assert.equal(
        split.result.warnings.find((w) => w.kind === 'captureTime'),
        undefined,
      );
    });

    test('a long gap between the files is warned about, naming them', async () => {
      const [a, b] = splitPcap(dir, (i, n) => (i < n / 2 ? 0 : 1), 2 * 3600);
      const paused = await compileFiles([a, b], { serverPorts: [PORT] });
      const warning = paused.result.warnings.find((w) => w.kind === 'captureTime');
      assert.match(
        warning?.examples[0] ?? '',
        /part-b\.pcap starts 2\.0 h after part-a\.pcap ends.*clocks differ/,
      );

      const [c, d] = splitPcap(dir, (i, n) => (i < n / 2 ? 0 : 1), 40 * 86400);
      const unrelated = await compileFiles([c, d], { serverPorts: [PORT] });
      const far = unrelated.result.warnings.find((w) => w.kind === 'captureTime');
      assert.match(far?.examples[0] ?? '', /40\.0 days .*clocks look unrelated/);
    });
  },
);
