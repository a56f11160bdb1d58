import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compileCaptures } from '../../src/compiler/index.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';
import { validateIr } from '../../src/ir/index.js';
import { CreateAction, CreateDisposition } from '../../src/smb2/commands/create.js';
import { fid, SmbScript } from './support/smb-script.js';
import { BASIC_PCAP } from '../support/shared-pcaps.js';
import { seededRandom as prng } from '../support/seeded-random.js';

const PUBLIC = BASIC_PCAP;
const ITERATIONS = 200;

/** A header-dense trace: many small messages, so flipped bytes mostly land in SMB2 fields. */
function denseTrace(): Buffer {
  const s = new SmbScript().negotiate().login('LAB', 'fuzz').treeConnect('share', 1);
  for (let i = 0; i < 40; i++) {
    s.create({
      name: `d\\f${i}.txt`,
      fileId: fid(i),
      disposition: CreateDisposition.FILE_OPEN_IF,
      action: i % 2 ? CreateAction.FILE_CREATED : 1,
      endOfFile: BigInt(i * 10),
    });
    s.read(fid(i), 0, 64, 32).write(fid(i), 0, Buffer.alloc(16)).close(fid(i));
  }
  return s.b.pcap();
}

describe('compiler fuzz: truncated and corrupted captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const seeds: Buffer[] = [denseTrace()];
  if (existsSync(PUBLIC)) seeds.push(readFileSync(PUBLIC));

  test(
    `${ITERATIONS} mutated captures give a valid workload or a clear error, never a crash`,
    { timeout: 300_000 },
    async () => {
      const random = prng(0x5eed);
      const outcomes = { compiled: 0, rejected: 0 };
      for (let i = 0; i < ITERATIONS; i++) {
        const seed = seeds[i % seeds.length]!;
        let data: Buffer;
        if (i % 2 === 0) {
          data = seed.subarray(0, Math.floor(random() * seed.length));
        } else {
          data = Buffer.from(seed);
          const flips = 1 + Math.floor(random() * 32);
          for (let f = 0; f < flips; f++)
            data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
        }
        const input = join(dir, `in-${i}.pcap`);
        const output = join(dir, `out-${i}.smbw`);
        writeFileSync(input, data);
        try {
          const result = await compileCaptures([input], { output, serverPorts: [4450] });
          const v = await validateIr(output);
          assert.deepEqual(v.errors, [], `iteration ${i}: invalid IR`);
          assert.ok(result.stats.ops >= 0);
          outcomes.compiled++;
        } catch (err) {
          assert.ok(err instanceof SmbBenchError, `iteration ${i}: ${(err as Error).stack}`);
          outcomes.rejected++;
        } finally {
          rmSync(input, { force: true });
          rmSync(output, { force: true });
        }
      }
      assert.equal(outcomes.compiled + outcomes.rejected, ITERATIONS);
      assert.ok(outcomes.compiled > ITERATIONS / 2, `only ${outcomes.compiled} compiled`);
    },
  );
});
