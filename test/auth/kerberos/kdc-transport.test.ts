import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createTcpKdcTransport } from '../../../src/auth/kerberos/kdc-transport.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';

/** A KDC stand-in: reads one length-prefixed request, answers with `reply(request)` in dribbles. */
async function fakeKdc(
  reply: (req: Buffer) => Buffer | undefined,
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const out = reply(buf.subarray(4, 4 + buf.readUInt32BE(0)));
        if (!out) return; // never answer
        const framed = Buffer.alloc(4 + out.length);
        framed.writeUInt32BE(out.length);
        out.copy(framed, 4);
        // Split the reply to exercise reassembly.
        socket.write(framed.subarray(0, 3));
        setTimeout(() => socket.end(framed.subarray(3)), 5);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

test('TCP transport frames requests and reassembles replies (RFC 4120 7.2.2)', async () => {
  const { server, port } = await fakeKdc((req) => Buffer.concat([Buffer.from('re:'), req]));
  try {
    const t = createTcpKdcTransport([{ host: '127.0.0.1', port }]);
    const reply = await t.send(Buffer.alloc(3000, 7));
    assert.equal(reply.length, 3003);
    assert.equal(reply.subarray(0, 3).toString(), 're:');
  } finally {
    server.close();
  }
});

test('TCP transport moves to the next KDC and reports every failure', async () => {
  const { server, port } = await fakeKdc(() => Buffer.from('ok'));
  const dead = await fakeKdc(() => undefined);
  try {
    const t = createTcpKdcTransport(
      [
        { host: '127.0.0.1', port: dead.port },
        { host: '127.0.0.1', port },
      ],
      { timeoutMs: 200 },
    );
    assert.equal((await t.send(Buffer.from('x'))).toString(), 'ok');
    const none = createTcpKdcTransport([{ host: '127.0.0.1', port: dead.port }], {
      timeoutMs: 100,
      rounds: 2,
    });
    await assert.rejects(none.send(Buffer.from('x')), (err: unknown) => {
      assert.ok(err instanceof SmbBenchError);
      assert.equal(err.code, ErrorCode.AUTH);
      assert.match(err.message, /KDC unreachable .*no reply within 100 ms.*no reply within 100 ms/);
      return true;
    });
  } finally {
    server.close();
    dead.server.close();
  }
});
