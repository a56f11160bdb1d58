import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceFlag, formatFlagHelp, intFlag, keyValueFlag, parseFlags } from '../../src/cli/args.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';

const specs = {
  port: { type: 'string', short: 'p', valueName: 'N', description: 'port' },
  share: { type: 'string', multiple: true, description: 'share' },
  json: { type: 'boolean', description: 'json' },
} as const;

const isUsage = (err: unknown): boolean => err instanceof SmbBenchError && err.code === ErrorCode.USAGE;

test('flags come back typed, with defaults for absent ones', () => {
  const { flags, positionals } = parseFlags(['-p', '4455', '--share', 'a', '--share=b', 'pos'], specs);
  const port: string | undefined = flags.port;
  const shares: string[] = flags.share;
  const json: boolean = flags.json;
  assert.equal(port, '4455');
  assert.deepEqual(shares, ['a', 'b']);
  assert.equal(json, false);
  assert.deepEqual(positionals, ['pos']);
  assert.deepEqual(parseFlags([], specs).flags, { port: undefined, share: [], json: false });
});

test('unknown flags, missing values and extra positionals are usage errors', () => {
  assert.throws(() => parseFlags(['--nope'], specs), isUsage);
  assert.throws(() => parseFlags(['--port'], specs), isUsage);
  assert.throws(() => parseFlags(['x'], specs, { maxPositionals: 0 }), isUsage);
});

test('intFlag, choiceFlag and keyValueFlag validate values', () => {
  assert.equal(intFlag(undefined, 'port'), undefined);
  assert.equal(intFlag('42', 'port', { min: 1 }), 42);
  assert.throws(() => intFlag('4x', 'port'), isUsage);
  assert.throws(() => intFlag('0', 'port', { min: 1 }), /--port must be an integer in 1\.\./);
  assert.equal(choiceFlag('required', 'signing', ['auto', 'required'] as const), 'required');
  assert.throws(
    () => choiceFlag('always', 'signing', ['auto', 'required'] as const),
    /one of auto, required/,
  );
  assert.deepEqual(keyValueFlag('log level = 3', 'option'), ['log level', '3']);
  assert.deepEqual(keyValueFlag('a=b=c', 'option'), ['a', 'b=c']);
  assert.throws(() => keyValueFlag('=x', 'option'), isUsage);
});

test('help is generated from the same table', () => {
  const help = formatFlagHelp(specs);
  assert.match(help, /-p, --port N\s+port/);
  assert.match(help, /--share VALUE\s+share \(repeatable\)/);
  assert.match(help, /--json\s+json/);
});
