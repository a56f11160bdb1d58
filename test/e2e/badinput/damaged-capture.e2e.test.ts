/**
 * Issue #11.6 for captures, through the CLI as a user runs it: a file that is no capture gets a
 * one-line error and a non-zero exit; a truncated or bit-flipped one compiles what it can and
 * counts what it lost (truncated packets, malformed messages), never a stack trace or a hang.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BASIC_PCAP, REPO_ROOT } from '../../support/shared-pcaps.js';
import { seededRandom } from '../../support/seeded-random.js';

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function compile(capture: string, out: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'compile', capture, '-o', out, '--json', '-q'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`compile of ${capture} did not end`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface CompileJson {
  stats: {
    ops: number;
    capture: { truncatedPackets: number; truncatedAtEnd: boolean };
    malformed?: number;
    skipped: Record<string, number>;
  };
  warnings: { kind: string; count: number }[];
}

describe('damaged captures', () => {
  let dir: string;
  let good: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-damaged-'));
    good = await readFile(BASIC_PCAP);
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const [name, bytes] of [
    ['random bytes', (): Buffer => randomBytes(4096)],
    ['an empty file', (): Buffer => Buffer.alloc(0)],
  ] as const) {
    test(`${name}: one line, non-zero exit`, async () => {
      const file = join(dir, `${name.replace(/ /g, '-')}.pcap`);
      await writeFile(file, bytes());
      const r = await compile(file, join(dir, 'x.smbw'));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /^smbench: ERR_CAPTURE: [^\n]+\n$/);
    });
  }

  test('truncated mid-packet: what was captured compiles, the cut packet is counted', async () => {
    const file = join(dir, 'truncated.pcap');
    await writeFile(file, good.subarray(0, Math.floor(good.length * 0.6)));
    const r = await compile(file, join(dir, 'truncated.smbw'));
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as CompileJson;
    assert.ok(j.stats.ops > 0);
    assert.equal(j.stats.capture.truncatedAtEnd, true);
    assert.ok(j.stats.capture.truncatedPackets >= 1);
    assert.ok(j.warnings.some((w) => w.kind === 'capture' && w.count >= 1));
  });

  test('200 flipped bytes, ten times over: compiles or fails in one line, never crashes', async () => {
    const random = seededRandom(0xf11b);
    for (let round = 0; round < 10; round++) {
      const damaged = Buffer.from(good);
      for (let i = 0; i < 200; i++)
        damaged[24 + Math.floor(random() * (damaged.length - 24))] = random() * 256;
      const file = join(dir, `flipped-${round}.pcap`);
      await writeFile(file, damaged);
      const r = await compile(file, join(dir, `flipped-${round}.smbw`));
      assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, `round ${round}: ${r.stderr}`);
      if (r.code === 0) assert.ok((JSON.parse(r.stdout) as CompileJson).stats.ops >= 0);
      else assert.match(r.stderr, /^smbench: ERR_\w+: [^\n]+\n$/, `round ${round}`);
    }
  });
});
