import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/main.js';
import { COMMANDS, findCommand } from '../../src/cli/command-registry.js';
import { ExitCode } from '../../src/cli/exit-codes.js';

function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
}

test('--help lists every registered command and exits 0', async () => {
  const io = capture();
  assert.equal(await main(['--help'], io), ExitCode.OK);
  for (const command of COMMANDS) assert.match(io.stdout, new RegExp(`\\b${command.name}\\b`));
});

test('no command prints usage to stderr and exits 2', async () => {
  const io = capture();
  assert.equal(await main([], io), ExitCode.USAGE);
  assert.match(io.stderr, /Usage: smbench/);
});

test('an unknown command exits 2 with usage', async () => {
  const io = capture();
  assert.equal(await main(['frobnicate'], io), ExitCode.USAGE);
  assert.match(io.stderr, /unknown command "frobnicate"/);
});

test('<command> --help and help <command> print the command usage', async () => {
  const io = capture();
  assert.equal(await main(['lab', '--help'], io), ExitCode.OK);
  assert.match(io.stdout, /smbench lab up\|down\|status/);
  const io2 = capture();
  assert.equal(await main(['help', 'lab'], io2), ExitCode.OK);
  assert.equal(io2.stdout, io.stdout);
});

test('usage errors from a command exit 2 and point at its help', async () => {
  const io = capture();
  assert.equal(await main(['lab', 'sideways'], io), ExitCode.USAGE);
  assert.match(io.stderr, /smbench lab: unknown lab action "sideways"/);
  assert.match(io.stderr, /smbench lab --help/);
  const io2 = capture();
  assert.equal(await main(['lab', 'up', '--port', '445'], io2), ExitCode.USAGE);
  assert.match(io2.stderr, /reserved/);
});

test('command names are unique', () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  assert.equal(findCommand('lab')?.name, 'lab');
});

test('each registry entry loads the command it names, with the summary --help prints', async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary);
  }
});
