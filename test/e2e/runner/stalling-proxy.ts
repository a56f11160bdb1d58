/**
 * A TCP relay in front of the lab's smbd that can stop relaying the server's answers: from then
 * on every request (CANCELs too) goes unanswered while the connection stays open, which is what
 * a hung server or a black-holed network looks like to the client.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface StallingProxy {
  readonly port: number;
  /** Drops everything the server sends from now on. */
  stall(): void;
  close(): Promise<void>;
}

export async function startStallingProxy(host: string, port: number): Promise<StallingProxy> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stall() {
      stalled = true;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
