/**
 * A request that outlives its time-out closes the connection only when the server sent no SMB2
 * message meanwhile (server-liveness.ts, MS-SMB2 3.2.6.1): then every request on it fails as a
 * transport error, so the runner reconnects. A server that keeps talking only times the request out.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { Connection } from '../../src/client/connection.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { echoCodec } from '../../src/smb2/commands/echo.js';
import { Command, HeaderFlags, SMB2_HEADER_SIZE } from '../../src/smb2/constants.js';
import { encodeHeader, newHeader } from '../../src/smb2/header.js';

/** A TCP peer that answers every chunk it receives with `reply(chunk)` (or nothing). */
async function peer(reply: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('data', () => reply(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, port: address.port };
}

function open(port: number): Promise<Connection> {
  return Connection.open({
    host: '127.0.0.1',
    port,
    requestTimeoutMs: 300,
    connectTimeoutMs: 1000,
    creditTarget: 1,
  });
}

async function failure(p: Promise<unknown>): Promise<SmbBenchError> {
  const err = await p.then(
    () => assert.fail('the request should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SmbBenchError, String(err));
  return err;
}

test('a silent server: the expired request and every other one fail as TRANSPORT, the connection closes', async (t) => {
  const { server, port } = await peer(() => undefined);
  t.after(() => server.close());
  const conn = await open(port);
  const first = failure(conn.request(echoCodec, {}));
  const second = failure(conn.request(echoCodec, {}, { timeoutMs: 60_000 }));
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.code, ErrorCode.TRANSPORT);
  assert.match(
    a.message,
    /no SMB2 message from the server for \d+ ms \(waiting for ECHO response\): connection stalled/,
  );
  assert.equal(b.code, ErrorCode.TRANSPORT, 'the request with a long time-out fails with the connection');
  assert.equal(conn.isClosed, true);
});

test('a server that keeps answering (other requests): only the request times out', async (t) => {
  // A response to a request never sent: counted as unmatched, but a readable SMB2 message.
  const header = newHeader(Command.ECHO);
  header.flags = HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR;
  header.messageId = 999n;
  const message = Buffer.alloc(SMB2_HEADER_SIZE + 4);
  encodeHeader(header, message);
  message.writeUInt16LE(4, SMB2_HEADER_SIZE);
  const frame = Buffer.concat([Buffer.from([0, 0, 0, message.length]), message]);
  const { server, port } = await peer((socket) => socket.write(frame));
  t.after(() => server.close());
  const conn = await open(port);
  t.after(() => conn.close());
  const err = await failure(conn.request(echoCodec, {}));
  assert.equal(err.code, ErrorCode.TIMEOUT);
  assert.equal(conn.isClosed, false, 'a talking server keeps its connection');
  assert.ok(conn.stats.unmatchedResponses > 0);
});

test('a server that sends only well-framed junk is as good as silent', async (t) => {
  const junk = Buffer.from([0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
  const { server, port } = await peer((socket) => socket.write(junk));
  t.after(() => server.close());
  const conn = await open(port);
  const err = await failure(conn.request(echoCodec, {}));
  assert.equal(err.code, ErrorCode.TRANSPORT);
  assert.ok(conn.stats.malformedMessages > 0, 'the junk was counted');
  assert.equal(conn.isClosed, true);
});
