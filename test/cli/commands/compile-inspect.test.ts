import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compileCommand } from '../../../src/cli/commands/compile.js';
import { inspectCommand } from '../../../src/cli/commands/inspect.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { validateIr } from '../../../src/ir/index.js';
import { fid, SmbScript } from '../../compiler/support/smb-script.js';

/**
 * Runs a command with the text it writes to stdout/stderr captured. Only strings are captured: under
 * `node --test` the runner itself writes binary frames to stdout, which must pass through.
 */
async function run(
  command: typeof compileCommand,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: unknown, ...rest: never[]) =>
    typeof chunk === 'string'
      ? out.push(chunk) > 0
      : stdout(chunk as Uint8Array, ...rest)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: never[]) =>
    typeof chunk === 'string'
      ? err.push(chunk) > 0
      : stderr(chunk as Uint8Array, ...rest)) as typeof process.stderr.write;
  try {
    const code = await command.run(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

describe('smbench compile / inspect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-cli-compile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const s = new SmbScript().negotiate().login('LAB', 'carol').treeConnect('share', 1);
  s.create({ name: 'a.txt', fileId: fid(1), endOfFile: 10n })
    .read(fid(1), 0, 10)
    .close(fid(1));
  const capture = join(dir, 'in.pcap');
  writeFileSync(capture, s.b.pcap());
  const output = join(dir, 'out.smbw');

  test('compile prints a summary and --json the full result', async () => {
    const r = await run(compileCommand, [capture, '-o', output, '--json', '--check']);
    assert.equal(r.code, ExitCode.OK);
    assert.match(r.err, /users: 1; sessions: 1 NTLM/);
    assert.match(r.err, /read\s+1/);
    const json = JSON.parse(r.out) as { stats: { ops: number; requestsByCommand: Record<string, number> } };
    assert.equal(json.stats.ops, 3);
    assert.equal(json.stats.requestsByCommand['READ'], 1);
    assert.equal((await validateIr(output)).ok, true);
  });

  test('compile without -o is a usage error', async () => {
    await assert.rejects(
      compileCommand.run([capture]),
      (e: Error & { code?: string }) => e.code === 'ERR_USAGE',
    );
  });

  test('compile of a file that is not a capture fails clearly', async () => {
    const bogus = join(dir, 'bogus.pcap');
    writeFileSync(bogus, 'hello, not a pcap');
    await assert.rejects(
      compileCommand.run([bogus, '-o', join(dir, 'x.smbw'), '-q']),
      (e: Error & { code?: string }) => e.code === 'ERR_CAPTURE',
    );
  });

  test('inspect shows op mix, users, namespace and think time', async () => {
    const r = await run(inspectCommand, [output]);
    assert.equal(r.code, ExitCode.OK);
    assert.match(r.out, /3 ops/);
    assert.match(r.out, /namespace: 1 files/);
    assert.match(r.out, /think time: p50/);
    assert.match(r.out, /LAB\\carol/);
    const j = await run(inspectCommand, [output, '--json']);
    const parsed = JSON.parse(j.out) as {
      summary: { ops: number };
      thinkTimeHistogram: { buckets: unknown[] };
    };
    assert.equal(parsed.summary.ops, 3);
    assert.equal(parsed.thinkTimeHistogram.buckets.length, 7);
  });
});

describe('smbench compile / inspect of a capture that begins mid-session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-cli-midsession-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Logged on and connected before the capture: no SESSION_SETUP, TREE_CONNECT or CREATE.
  const s = new SmbScript();
  s.sessionId = 0x99n;
  s.treeId = 4;
  s.read(fid(1), 0, 10).close(fid(1));
  const capture = join(dir, 'mid.pcap');
  writeFileSync(capture, s.b.pcap());
  const output = join(dir, 'mid.smbw');

  test('compile, --json and inspect show what was synthesised', async () => {
    const r = await run(compileCommand, [capture, '-o', output, '--json']);
    assert.equal(r.code, ExitCode.OK);
    assert.match(r.err, /synthesized \(set up before the capture\): 1 users, 1 trees, 1 pre-opened handles/);
    const json = JSON.parse(r.out) as { stats: { ops: number; synthesized: Record<string, number> } };
    assert.equal(json.stats.ops, 3);
    assert.deepEqual(json.stats.synthesized, { users: 1, trees: 1, handles: 1 });
    const i = await run(inspectCommand, [output]);
    assert.match(i.out, /synthesized \(set up before the capture\): 1 users, 1 trees, 1 pre-opened handles/);
    const j = JSON.parse((await run(inspectCommand, [output, '--json'])).out) as {
      header: { synthesized?: unknown };
    };
    assert.deepEqual(j.header.synthesized, { users: 1, trees: 1, handles: 1 });
  });

  test('--no-synthesize skips those requests instead', async () => {
    const r = await run(compileCommand, [capture, '-o', output, '--json', '--no-synthesize']);
    assert.equal(r.code, ExitCode.OK);
    assert.doesNotMatch(r.err, /synthesized/);
    const json = JSON.parse(r.out) as { stats: { ops: number; skipped: Record<string, number> } };
    assert.equal(json.stats.ops, 0);
    assert.equal(json.stats.skipped['unknownSession'], 2);
    const i = await run(inspectCommand, [output]);
    assert.doesNotMatch(i.out, /synthesized/);
  });
});
