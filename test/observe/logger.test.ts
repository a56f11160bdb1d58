import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openRunLogger, redactSecrets } from '../../src/observe/logger.js';
import { formatLogLine, PrettyLogStream } from '../../src/observe/logger-pretty.js';
import { RunLogObserver } from '../../src/observe/logger-run-observer.js';
import { RunMetrics, type OpSample } from '../../src/observe/run-metrics.js';

class Capture {
  readonly chunks: string[] = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

const STATUS_ACCESS_DENIED = 0xc0000022;

function failed(over: Partial<OpSample> = {}): OpSample {
  return {
    kind: 'write',
    serviceUs: 500,
    fromIntendedUs: 500,
    bytes: 0,
    status: STATUS_ACCESS_DENIED,
    expectedStatus: 0,
    ...over,
  };
}

describe('pretty log lines', () => {
  test('time, level, message, then key=value fields (strings quoted only when needed)', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 40,
        time: new Date(2025, 0, 2, 3, 4, 5, 6).toISOString(),
        pid: 1,
        hostname: 'h',
        msg: 'connections re-established',
        reconnects: 1,
        where: 'two words',
        err: { message: 'boom', code: 'ERR_SMB_TRANSPORT' },
      }),
    );
    assert.equal(
      line,
      '03:04:05.006 WARN  connections re-established reconnects=1 where="two words" err=boom code=ERR_SMB_TRANSPORT',
    );
  });

  test('on a TTY each line first erases the progress line', () => {
    const tty = new Capture(true);
    new PrettyLogStream(tty).write(`${JSON.stringify({ level: 30, time: 0, msg: 'x' })}\n`);
    assert.ok(tty.text.startsWith('\r\u001b[2K'), JSON.stringify(tty.text));
    assert.match(tty.text.slice(5), /^\S+ INFO {2}x\n$/);
    const pipe = new Capture(false);
    new PrettyLogStream(pipe).write(`${JSON.stringify({ level: 30, time: 0, msg: 'x' })}\n`);
    assert.ok(!pipe.text.includes('\u001b'));
  });

  test('non-JSON text passes through', () => {
    assert.equal(formatLogLine('plain\n'), 'plain');
  });
});

describe('redactSecrets', () => {
  test('drops passwords, hashes and keys at any depth; keeps the rest', () => {
    const out = redactSecrets({
      user: 'bob',
      password: 'p',
      credentials: [{ user: 'a', password: 'x', ntHash: Buffer.alloc(16) }],
      nested: { sessionKey: Buffer.alloc(16), data: Buffer.alloc(3), secretThing: 1, keep: 2 },
    });
    assert.deepEqual(out, {
      user: 'bob',
      credentials: [{ user: 'a' }],
      nested: { data: '<3 bytes>', keep: 2 },
    });
  });
});

describe('openRunLogger', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-logger-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('with a file: JSON lines at info, warnings also on stderr, passwords censored', async () => {
    const file = join(dir, 'sub', 'run.log');
    const stderr = new Capture(false);
    const logger = await openRunLogger({ file, stderr, base: { shard: '0/2' } });
    logger.log.debug('hidden');
    logger.log.info({ user: 'bob', password: 'hunter2' }, 'run starting');
    logger.log.warn({ op: 'read' }, 'op failed');
    await logger.close();
    await logger.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => r['msg']),
      ['run starting', 'op failed'],
    );
    assert.equal(records[0]!['password'], '[redacted]');
    assert.equal(records[0]!['shard'], '0/2');
    assert.equal(records[0]!['level'], 30);
    assert.match(String(records[0]!['time']), /^\d{4}-\d\d-\d\dT/);
    assert.ok(!lines.join('\n').includes('hunter2'));
    assert.deepEqual(
      stderr.records().map((r) => r['msg']),
      ['op failed'],
    );
  });

  test('a file that cannot be opened is a clear error', async () => {
    await assert.rejects(openRunLogger({ file: join(dir, 'x\0y') }), /cannot open log file/);
  });

  test('without a file: stderr only, warn and above by default; pretty on a TTY', async () => {
    const tty = new Capture(true);
    const logger = await openRunLogger({ stderr: tty });
    logger.log.info('quiet');
    logger.log.warn('loud');
    await logger.close();
    assert.equal(tty.chunks.length, 1);
    assert.match(tty.text, /WARN {2}loud/);

    const pipe = new Capture(false);
    const verbose = await openRunLogger({ stderr: pipe, level: 'debug' });
    verbose.log.debug('details');
    assert.equal(pipe.records()[0]!['msg'], 'details');
  });
});

describe('RunLogObserver', () => {
  test('logs the first failure of each kind, then summarizes repeats; successes cost nothing', async () => {
    const out = new Capture(false);
    const { log } = await openRunLogger({ stderr: out, level: 'debug' });
    const metrics = new RunMetrics();
    const pool = {
      reconnects: 0,
      breaks: { received: 0, acknowledged: 0, failedAcks: 0 },
      openConnections: 1,
    };
    const observer = new RunLogObserver(log, { intervalMs: 60_000, maxUserErrors: 2 });
    observer.attach(metrics, pool);
    for (let i = 0; i < 100; i++) metrics.recordOp(failed());
    metrics.recordOp(failed({ kind: 'read', error: 'ERR_SMB_TIMEOUT' }));
    metrics.recordOp(failed({ status: 0 }));
    metrics.recordRetry('read');
    metrics.recordSkip('ioctl', 'ioctl not replayed');
    for (let u = 0; u < 5; u++)
      observer.onUserError(u, Object.assign(new Error('logon failure'), { code: 'ERR_SMB_AUTH' }));
    pool.reconnects = 2;
    pool.breaks.received = 3;
    pool.breaks.acknowledged = 3;
    observer.stop();

    const records = out.records();
    const msgs = records.map((r) => r['msg']);
    assert.equal(msgs.filter((m) => String(m).startsWith('op failed')).length, 2);
    const first = records.find((r) => r['op'] === 'write' && String(r['msg']).startsWith('op failed'))!;
    assert.equal(first['status'], 'STATUS_ACCESS_DENIED');
    // At debug level every op whose status differs from the capture's gets one line.
    assert.equal(msgs.filter((m) => m === 'status mismatch').length, 101);
    assert.equal(msgs.filter((m) => m === 'virtual user could not log in').length, 2);
    assert.ok(msgs.includes('more login failures: counted, no longer logged one by one'));
    const login = records.find((r) => r['msg'] === 'virtual user could not log in')!;
    assert.deepEqual(login['error'], { message: 'logon failure', code: 'ERR_SMB_AUTH' });
    const repeated = records.find((r) => r['msg'] === 'repeated op failures')!;
    assert.deepEqual(repeated['failures'], { 'write STATUS_ACCESS_DENIED': 99 });
    assert.deepEqual(
      records.find((r) => r['msg'] === 'ops retried after transport errors or timeouts')!['retries'],
      {
        read: 1,
      },
    );
    assert.deepEqual(records.find((r) => r['msg'] === 'ops skipped')!['skips'], {
      'ioctl: ioctl not replayed': 1,
    });
    assert.equal(records.find((r) => r['msg'] === 'connections re-established')!['reconnects'], 2);
    assert.deepEqual(records.find((r) => r['msg'] === 'oplock/lease breaks')!['breaks'], {
      received: 3,
      acknowledged: 3,
      failedAcks: 0,
    });
    // A second stop has nothing new to say.
    const before = out.chunks.length;
    observer.stop();
    assert.equal(out.chunks.length, before);
  });
});
