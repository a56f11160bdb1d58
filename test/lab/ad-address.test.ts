import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLabHost, isLoopbackIPv4, randomLoopbackAddress } from '../../src/lab/ad-address.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';

test('isLoopbackIPv4 accepts 127.0.0.0/8 only', () => {
  for (const ok of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '127.1.2.3'])
    assert.ok(isLoopbackIPv4(ok), ok);
  for (const bad of [
    '128.0.0.1',
    '10.0.0.1',
    '127.0.0',
    '127.0.0.256',
    'localhost',
    '::1',
    '127.0.0.1.5',
    '127.a.0.1',
  ]) {
    assert.ok(!isLoopbackIPv4(bad), bad);
  }
});

test('random loopback addresses are valid, never 127.0.0.1, never a .0 host', () => {
  for (let i = 0; i < 1000; i++) {
    const host = randomLoopbackAddress();
    assert.ok(isLoopbackIPv4(host), host);
    assert.notEqual(host, '127.0.0.1');
    assert.notEqual(host.split('.')[3], '0');
    assert.notEqual(host.split('.')[3], '255');
  }
});

test('127.0.0.1 from the generator is skipped', () => {
  const draws = [0, 0, 0, 1, 0, 4];
  let i = 0;
  const host = randomLoopbackAddress(() => draws[i++] ?? 0);
  assert.equal(host, '127.1.0.5');
});

test('a non-loopback host is a usage error', async () => {
  await assert.rejects(chooseLabHost('192.168.1.10'), (err: unknown) => {
    assert.ok(err instanceof SmbBenchError);
    assert.equal(err.code, ErrorCode.USAGE);
    return true;
  });
});
