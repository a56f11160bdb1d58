import { SmbClient } from '../../src/client/smb-client.js';
import type { OpenFile } from '../../src/client/open-file.js';
import type { Tree } from '../../src/client/tree.js';
import { openRequest } from '../../src/client/open-request.js';
import {
  CreateDisposition,
  CreateOptions,
  FileAccessMask,
  ImpersonationLevel,
} from '../../src/smb2/commands/create.js';

export const CLIENT_WORKLOADS = ['open-close', 'read-4k', 'seq-1m'] as const;
/** 'stat-open-close' mirrors smbtorture's smb2.bench.path-contention-shared request exactly. */
export type ClientWorkload = (typeof CLIENT_WORKLOADS)[number] | 'stat-open-close';

export interface BenchTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  share: string;
}

export interface WorkloadResult {
  peer: string;
  workload: string;
  connections: number;
  /** Requests kept outstanding per connection. */
  qdepth: number;
  ops: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
}

const FILE_SIZE = 64 << 20;

/**
 * smb2.bench.path-contention-shared's CREATE: the share root, FILE_READ_ATTRIBUTES only (a "stat
 * open" that needs no file descriptor on the server), FILE_OPEN_REPARSE_POINT, and the
 * Anonymous impersonation level smbtorture sends (MS-SMB2 2.2.13).
 */
const STAT_OPEN = {
  ...openRequest('', {
    access: FileAccessMask.FILE_READ_ATTRIBUTES,
    options: CreateOptions.FILE_OPEN_REPARSE_POINT,
  }),
  impersonationLevel: ImpersonationLevel.Anonymous,
};
const MIB = 1 << 20;

/**
 * Drives one workload with smbench's client: one connection, `qdepth` loops each keeping one
 * request outstanding, for `seconds`. CPU is this process's own (the server is another process).
 */
export async function runSmbenchWorkload(
  target: BenchTarget,
  workload: ClientWorkload,
  seconds: number,
  qdepth: number,
): Promise<WorkloadResult> {
  const client = await SmbClient.connect({ host: target.host, port: target.port });
  try {
    const session = await client.login({ user: target.user, password: target.password });
    const tree = await session.connectTree(target.share);
    const name = `smbench-bench-${process.pid}.dat`;
    const file = await tree.open(name, {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_OVERWRITE_IF,
    });
    await file.write(Buffer.alloc(FILE_SIZE, 0x5a), 0n);
    if (workload === 'open-close') {
      const oc = await tree.open(`${name}.oc`, {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      await oc.close();
    }
    const loop = loopFor(workload, tree, file, name);
    const deadline = performance.now() + seconds * 1000;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const counts = await Promise.all(Array.from({ length: qdepth }, (_, i) => loop(i, qdepth, deadline)));
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await file.close();
    for (const leftover of workload === 'open-close' ? [name, `${name}.oc`] : [name]) {
      const cleanup = await tree.open(leftover, {
        access: 'delete',
        options: 0x1000 /* FILE_DELETE_ON_CLOSE */,
      });
      await cleanup.close();
    }
    await session.logoff();
    return {
      peer: 'smbench',
      workload,
      connections: 1,
      qdepth,
      ops: counts.reduce((a, c) => a + c.ops, 0),
      bytes: counts.reduce((a, c) => a + c.bytes, 0),
      seconds: elapsed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    client.close();
  }
}

type Loop = (index: number, of: number, deadline: number) => Promise<{ ops: number; bytes: number }>;

function loopFor(workload: ClientWorkload, tree: Tree, file: OpenFile, name: string): Loop {
  switch (workload) {
    case 'open-close':
      // Like the impacket peer: a file nobody holds open, so each open only checks itself.
      return async (_i, _n, deadline) => {
        let ops = 0;
        while (performance.now() < deadline) {
          const f = await tree.open(`${name}.oc`, { access: 'read' });
          await f.close();
          ops++;
        }
        return { ops, bytes: 0 };
      };
    case 'stat-open-close':
      return async (_i, _n, deadline) => {
        let ops = 0;
        while (performance.now() < deadline) {
          const f = await tree.create(STAT_OPEN);
          await f.close();
          ops++;
        }
        return { ops, bytes: 0 };
      };
    case 'read-4k':
      return async (i, n, deadline) => {
        let ops = 0;
        let offset = i * 4096;
        while (performance.now() < deadline) {
          const data = await file.readOnce(BigInt(offset), 4096);
          if (data.length !== 4096) throw new Error(`short read ${data.length} at ${offset}`);
          offset = (offset + n * 4096) % FILE_SIZE;
          ops++;
        }
        return { ops, bytes: ops * 4096 };
      };
    case 'seq-1m': {
      const block = Buffer.alloc(MIB, 0x33);
      return async (i, n, deadline) => {
        let ops = 0;
        let offset = i * MIB;
        while (performance.now() < deadline) {
          await file.write(block, BigInt(offset));
          offset = (offset + n * MIB) % FILE_SIZE;
          ops++;
        }
        return { ops, bytes: ops * MIB };
      };
    }
  }
}

/** ECHO round trips with `qdepth` in flight: the same thing smbtorture's smb2.bench.echo does. */
export async function runSmbenchEcho(
  target: BenchTarget,
  seconds: number,
  qdepth: number,
): Promise<WorkloadResult> {
  const client = await SmbClient.connect({ host: target.host, port: target.port });
  try {
    const deadline = performance.now() + seconds * 1000;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const counts = await Promise.all(
      Array.from({ length: qdepth }, async () => {
        let ops = 0;
        while (performance.now() < deadline) {
          await client.echo();
          ops++;
        }
        return ops;
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    return {
      peer: 'smbench',
      workload: 'echo',
      connections: 1,
      qdepth,
      ops: counts.reduce((a, b) => a + b, 0),
      bytes: 0,
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    client.close();
  }
}

/** One large file written (put) or read (get) sequentially, like smbclient's put/get. */
export async function runSmbenchTransfer(
  target: BenchTarget,
  direction: 'put' | 'get',
  sizeMiB: number,
): Promise<WorkloadResult> {
  const client = await SmbClient.connect({ host: target.host, port: target.port });
  try {
    const session = await client.login({ user: target.user, password: target.password });
    const tree = await session.connectTree(target.share);
    const name = 'smbench-transfer.dat';
    const chunk = 8 * MIB;
    const block = Buffer.alloc(chunk, 0x61);
    const file = await tree.open(name, {
      access: 'readwrite',
      disposition: direction === 'put' ? CreateDisposition.FILE_OVERWRITE_IF : CreateDisposition.FILE_OPEN_IF,
    });
    if (direction === 'get' && file.size < BigInt(sizeMiB * MIB)) {
      for (let off = 0; off < sizeMiB * MIB; off += chunk) await file.write(block, BigInt(off));
    }
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // Keep two chunks in flight, each already split into MaxWriteSize/MaxReadSize requests.
    const inFlight: Promise<unknown>[] = [];
    for (let off = 0; off < sizeMiB * MIB; off += chunk) {
      inFlight.push(direction === 'put' ? file.write(block, BigInt(off)) : file.read(BigInt(off), chunk));
      if (inFlight.length >= 2) await inFlight.shift();
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await file.close();
    await session.logoff();
    return {
      peer: 'smbench',
      workload: `${direction}-${sizeMiB}m`,
      connections: 1,
      qdepth: 2,
      ops: sizeMiB,
      bytes: sizeMiB * MIB,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    client.close();
  }
}
