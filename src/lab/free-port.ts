/**
 * Picking a TCP port for smbd. The kernel hands out a free ephemeral port for a bind to port 0; we
 * release it and give the number to smbd. Another process can grab it in between, which is why the
 * lab retries a failed start on a new port.
 */
import { createServer } from 'node:net';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

/** The well-known SMB ports; the lab must never take them (or collide with a system Samba). */
export const RESERVED_SMB_PORTS: ReadonlySet<number> = new Set([139, 445]);

export async function findFreePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = await bindEphemeral(host);
    if (!RESERVED_SMB_PORTS.has(port)) return port;
  }
  throw new SmbBenchError(ErrorCode.LAB, `could not find a free TCP port on ${host}`);
}

function bindEphemeral(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (cause) =>
      reject(new SmbBenchError(ErrorCode.LAB, `could not bind a TCP port on ${host}`, { cause })),
    );
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Explicit ports from the user are checked the same way, with a clear message. */
export function assertUsablePort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmbBenchError(ErrorCode.USAGE, `lab port must be an integer in 1..65535, got ${port}`);
  }
  if (RESERVED_SMB_PORTS.has(port)) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `lab port ${port} is reserved for a real SMB server; pick another`,
    );
  }
}
