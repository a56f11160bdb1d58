/**
 * Issue #11.6: a tampered or damaged `.smbw` is refused with a one-line error and a non-zero exit,
 * before anything reaches the share: never a stack trace, a hang, or a write outside the run's
 * directory. Each tamper is applied to a real compiled workload; where the content hash would
 * catch it first, the hash is recomputed, so the check behind it is the one exercised.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';
import { BASIC_PCAP, REPO_ROOT } from '../../support/shared-pcaps.js';

type Line = Record<string, unknown>;

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

const BOUND_MS = 60_000;

function cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, BOUND_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

function parse(file: Buffer): Line[] {
  return gunzipSync(file)
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

/** The workload again, with the end record's hash recomputed unless told to keep the stale one. */
function serialise(lines: readonly Line[], opts: { staleHash?: boolean } = {}): Buffer {
  const body = lines.slice(0, -1).map((l) => `${JSON.stringify(l)}\n`);
  const end = { ...lines[lines.length - 1] };
  if (opts.staleHash !== true) end['sha256'] = createHash('sha256').update(body.join('')).digest('hex');
  return gzipSync(body.join('') + `${JSON.stringify(end)}\n`);
}

const firstOp = (lines: Line[], op: string): Line => {
  const found = lines.find((l) => l['type'] === 'op' && l['op'] === op);
  assert.ok(found, `the workload has a ${op}`);
  return found;
};

/** Each tamper: a name and the bytes of the damaged file, from the good file. */
const TAMPERS: readonly { name: string; make: (good: Buffer) => Buffer }[] = [
  { name: 'a path with ".." components', make: (g) => withPath(g, 'docs/../../../outside.bin') },
  { name: 'an absolute path', make: (g) => withPath(g, '/tmp/smbench-escape.bin') },
  { name: 'a path with a NUL byte', make: (g) => withPath(g, 'docs/a\u0000b.bin') },
  { name: 'an over-long name', make: (g) => withPath(g, `docs/${'n'.repeat(40_000)}.bin`) },
  { name: 'a backslash path', make: (g) => withPath(g, '..\\..\\outside.bin') },
  {
    name: 'a wrong content hash',
    make: (g) => {
      const lines = parse(g);
      firstOp(lines, 'write')['offset'] = 4096;
      return serialise(lines, { staleHash: true });
    },
  },
  {
    name: 'huge declared counts',
    make: (g) => {
      const lines = parse(g);
      (lines[0]!['counts'] as Line)['ops'] = 2 ** 53;
      return serialise(lines);
    },
  },
  {
    name: 'a huge write length',
    make: (g) => {
      const lines = parse(g);
      const write = firstOp(lines, 'write');
      write['length'] = 2 ** 40;
      write['written'] = 2 ** 40;
      return serialise(lines);
    },
  },
  {
    name: 'a dangling handle reference',
    make: (g) => {
      const lines = parse(g);
      firstOp(lines, 'close')['handle'] = 'h999';
      return serialise(lines);
    },
  },
  { name: 'a truncated file', make: (g) => g.subarray(0, Math.floor(g.length / 2)) },
  { name: 'random bytes', make: () => randomBytes(4096) },
  { name: 'an empty file', make: () => Buffer.alloc(0) },
];

function withPath(good: Buffer, path: string): Buffer {
  const lines = parse(good);
  firstOp(lines, 'create')['path'] = path;
  return serialise(lines);
}

/** Every file and directory under a local directory, relative to it. */
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    out.push(rel);
    if (entry.isDirectory()) out.push(...(await listTree(join(dir, entry.name), rel)));
  }
  return out;
}

describe('tampered workloads are refused cleanly', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let dir: string;
  let good: Buffer;
  let shareBefore: string[];

  before(async () => {
    lab = await startSambaLab();
    dir = await mkdtemp(join(tmpdir(), 'smbench-tamper-'));
    const workload = join(dir, 'good.smbw');
    const compiled = await cli(['compile', BASIC_PCAP, '-o', workload, '-q']);
    assert.equal(compiled.code, 0, compiled.stderr);
    good = await readFile(workload);
    shareBefore = await listTree(lab.shares[0]!.path);
  });
  after(async () => {
    await lab?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const [n, tamper] of TAMPERS.entries()) {
    test(tamper.name, async () => {
      const file = join(dir, `tampered-${n}.smbw`);
      await writeFile(file, tamper.make(good));
      const user = lab.users[0]!;
      const target = `smb://${lab.host}:${lab.port}/${lab.shares[0]!.name}`;
      const runs = [
        await cli(['inspect', file]),
        await cli(
          ['run', file, '--target', target, '-u', user.user, '--prepare', '--cleanup', '--max', '-q'],
          {
            ...process.env,
            SMBENCH_PASSWORD: user.password,
          },
        ),
      ];
      for (const [k, r] of runs.entries()) {
        const what = k === 0 ? 'inspect' : 'run';
        assert.ok(!r.timedOut, `${what} ended`);
        assert.notEqual(r.code, 0, `${what} exits non-zero`);
        assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace:\n${r.stderr}`);
        // The structured log (JSON lines, also on stderr) may record the failure too; what a
        // person reads is the one `smbench: ERR_...` line.
        const lines = r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('{'));
        assert.equal(lines.length, 1, `${what}: one line:\n${r.stderr}`);
        assert.match(lines[0]!, /^smbench: ERR_\w+: \S/, `${what} says why`);
      }
      assert.deepEqual(await listTree(lab.shares[0]!.path), shareBefore, 'nothing written to the share');
    });
  }
});
