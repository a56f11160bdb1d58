/**
 * Where an AD lab listens: a loopback address of its own (LDAP's ports are fixed, see
 * AD_FIXED_TCP_PORTS) and free ports there for SMB and Kerberos, which Samba lets us move.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { AD_FIXED_TCP_PORTS } from './ad-options.js';
import { RESERVED_SMB_PORTS } from './free-port.js';

/** True for a dotted IPv4 address in 127.0.0.0/8 (RFC 1122 3.2.1.3: loopback). */
export function isLoopbackIPv4(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4) return false;
  if (!parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return false;
  return parts[0] === '127';
}

/**
 * A random 127.a.b.c that is not 127.0.0.1 and not a .0/.255 host part. Random rather than "the
 * next free one" so two labs started at the same moment (parallel test files) do not both pick
 * 127.0.0.2 before either has bound it.
 */
export function randomLoopbackAddress(random: (maxExclusive: number) => number = randomInt): string {
  for (;;) {
    const a = random(256);
    const b = random(256);
    const c = 1 + random(254);
    const host = `127.${a}.${b}.${c}`;
    if (host !== '127.0.0.1') return host;
  }
}

/** True if every fixed AD port can be bound on host right now. */
export async function fixedPortsFree(host: string): Promise<boolean> {
  for (const port of Object.values(AD_FIXED_TCP_PORTS)) {
    if (!(await canBindTcp(host, port))) return false;
  }
  return true;
}

/** Picks the lab address: the caller's (checked) or a random free loopback one. */
export async function chooseLabHost(requested: string | undefined): Promise<string> {
  if (requested !== undefined) {
    if (!isLoopbackIPv4(requested)) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `AD lab host must be an IPv4 loopback address, got ${requested}`,
      );
    }
    if (!(await fixedPortsFree(requested))) {
      throw new SmbBenchError(
        ErrorCode.LAB,
        `cannot bind the fixed AD ports (${Object.values(AD_FIXED_TCP_PORTS).join(', ')}) on ${requested}: ` +
          'another LDAP server or AD lab is using it; omit the host to get a free address',
      );
    }
    return requested;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const host = randomLoopbackAddress();
    if (await fixedPortsFree(host)) return host;
  }
  throw new SmbBenchError(
    ErrorCode.LAB,
    'could not find a loopback address with ports 389/636 free (is binding 127.x.y.z allowed here?)',
  );
}

/**
 * A port free for both TCP and UDP on host: the KDC and kpasswd listen on both (RFC 4120 7.2.1,
 * RFC 3244), and a clash on either makes Samba's kdc task fail.
 */
export async function findFreeTcpUdpPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await ephemeralTcpPort(host);
    if (RESERVED_SMB_PORTS.has(port)) continue;
    if (await canBindUdp(host, port)) return port;
  }
  throw new SmbBenchError(ErrorCode.LAB, `could not find a free TCP+UDP port on ${host}`);
}

function ephemeralTcpPort(host: string): Promise<number> {
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

function canBindTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function canBindUdp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}
