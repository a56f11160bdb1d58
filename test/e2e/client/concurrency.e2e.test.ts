import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { AbortedError, SmbStatusError, TimeoutError } from '../../../src/client/errors.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { CreateDisposition } from '../../../src/smb2/commands/create.js';
import { Dialect, RELATED_FILE_ID } from '../../../src/smb2/constants.js';
import { createCodec } from '../../../src/smb2/commands/create.js';
import { writeCodec } from '../../../src/smb2/commands/write.js';
import { closeCodec } from '../../../src/smb2/commands/close.js';
import { openRequest } from '../../../src/client/open-request.js';
import type { CompoundItem } from '../../../src/client/connection.js';

describe('pipelining, multiplexing and async against Samba', () => {
  let lab: SambaLab;
  before(async () => (lab = await startSambaLab({})));
  after(() => lab?.stop());

  const login = async (client: SmbClient) => {
    const u = lab.users[0]!;
    return client.login({ user: u.user, password: u.password });
  };

  test('64 requests outstanding at once on one connection', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const tree = await (await login(client)).connectTree(lab.shares[0]!.name);
      const file = await tree.open('pipelined.bin', {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      const block = Buffer.alloc(64 * 4096);
      for (let i = 0; i < block.length; i += 4096) block.fill(i / 4096, i, i + 4096);
      await file.write(block, 0n);
      let peak = 0;
      const reads = Array.from({ length: 64 }, (_, i) => file.readOnce(BigInt(i * 4096), 4096));
      // Requests go on the wire after credit accounting (a microtask), so sample after a tick.
      await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, client.connection.outstanding);
      const results = await Promise.all(reads);
      assert.ok(peak >= 64, `expected 64 requests in flight, saw ${peak}`);
      results.forEach((data, i) =>
        assert.ok(data.length === 4096 && data.every((b) => b === i), `block ${i}`),
      );
      await file.close();
    } finally {
      client.close();
    }
  });

  test('200 sessions multiplexed on one connection', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const sessions = [];
      for (let i = 0; i < 200; i++) sessions.push(await login(client));
      assert.equal(client.connection.sessionCount, 200);
      assert.equal(new Set(sessions.map((s) => s.sessionId)).size, 200);
      // Every session works, concurrently, with its own signing keys.
      await Promise.all(
        sessions.map(async (s, i) => {
          const tree = await s.connectTree(lab.shares[0]!.name);
          const f = await tree.open(`session-${i}.txt`, {
            access: 'readwrite',
            disposition: CreateDisposition.FILE_OVERWRITE_IF,
          });
          await f.write(Buffer.from(`session ${i}`), 0n);
          assert.equal((await f.read(0n, 100)).toString(), `session ${i}`);
          await f.close();
        }),
      );
      await Promise.all(sessions.map((s) => s.logoff()));
      assert.equal(client.connection.sessionCount, 0);
    } finally {
      client.close();
    }
  });

  test('related compound: create + write + close in one send', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const tree = await (await login(client)).connectTree(lab.shares[0]!.name);
      const data = Buffer.from('compounded');
      const results = await tree.compound([
        {
          codec: createCodec,
          request: openRequest('compound.txt', {
            access: 'readwrite',
            disposition: CreateDisposition.FILE_OVERWRITE_IF,
          }),
        },
        {
          codec: writeCodec,
          request: {
            data,
            offset: 0n,
            fileId: RELATED_FILE_ID,
            channel: 0,
            remainingBytes: 0,
            writeChannelInfo: Buffer.alloc(0),
            flags: 0,
          },
          payloadSize: data.length,
        },
        { codec: closeCodec, request: { flags: 0, fileId: RELATED_FILE_ID } },
      ] as CompoundItem[]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'fulfilled'],
      );
      const f = await tree.open('compound.txt');
      assert.equal((await f.read(0n, 64)).toString(), 'compounded');
      await f.close();
    } finally {
      client.close();
    }
  });

  test('CHANGE_NOTIFY goes async (STATUS_PENDING) and CANCEL ends it', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port, dialects: [Dialect.SMB3_1_1] });
    try {
      const tree = await (await login(client)).connectTree(lab.shares[0]!.name);
      const dir = await tree.open('', { access: 'read', kind: 'directory' });
      const controller = new AbortController();
      const pending = dir.changeNotify(0x1 /* FILE_NOTIFY_CHANGE_FILE_NAME */, { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 200));
      controller.abort();
      await assert.rejects(pending, (err: unknown) => {
        return (
          err instanceof AbortedError ||
          (err instanceof SmbStatusError && err.statusName === 'STATUS_CANCELLED')
        );
      });
      await dir.close();
    } finally {
      client.close();
    }
  });

  test('asyncTimeoutMs: a CHANGE_NOTIFY pending too long is cancelled and rejects with TimeoutError', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port, asyncTimeoutMs: 200 });
    try {
      const tree = await (await login(client)).connectTree(lab.shares[0]!.name);
      const dir = await tree.open('', { access: 'read', kind: 'directory' });
      await assert.rejects(dir.changeNotify(0x1 /* FILE_NOTIFY_CHANGE_FILE_NAME */), TimeoutError);
      // The CANCEL freed the request on the server too: the connection and handle go on working.
      await dir.close();
      assert.equal(client.connection.outstanding, 0);
    } finally {
      client.close();
    }
  });

  test('CHANGE_NOTIFY completes when another session creates a file', async () => {
    const watcher = await SmbClient.connect({ host: lab.host, port: lab.port });
    const writer = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const tree = await (await login(watcher)).connectTree(lab.shares[0]!.name);
      const dir = await tree.open('', { access: 'read', kind: 'directory' });
      const changed = dir.changeNotify(0x1);
      await new Promise((r) => setTimeout(r, 200));
      const other = await (await login(writer)).connectTree(lab.shares[0]!.name);
      const f = await other.open(`notify-${Date.now()}.txt`, {
        access: 'write',
        disposition: CreateDisposition.FILE_CREATE,
      });
      await f.close();
      const buffer = await changed;
      assert.ok(buffer.length > 0);
      await dir.close();
    } finally {
      watcher.close();
      writer.close();
    }
  });
});
