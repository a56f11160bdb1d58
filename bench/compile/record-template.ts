/**
 * Seeds the synthetic captures with real traffic: a short session of our SMB client against the
 * Samba lab, recorded with tcpdump on loopback. Two templates:
 *   - small-op: opens, query-info, 4 KiB reads, small creates+writes, listings, closes;
 *   - bulk: 1 MiB writes then 1 MiB reads of one file.
 * Each is a single TCP connection: negotiate, session setup, tree connect, the body, logoff.
 */
import { spawn } from 'node:child_process';
import { listDirectory, queryStandardInfo } from '../../src/client/file-info.js';
import { SmbClient } from '../../src/client/smb-client.js';
import type { SambaLab } from '../../src/lab/samba-lab.js';
import { CreateDisposition } from '../../src/smb2/commands/create.js';

export type TemplateKind = 'small-op' | 'bulk';

/** tcpdump around `work`; stopped by pid with SIGINT and awaited so the file is complete. */
async function recordAround(file: string, port: number, work: () => Promise<void>): Promise<void> {
  // -B: a 256 MiB kernel buffer, so a burst of 1 MiB messages over loopback is not dropped.
  const child = spawn(
    'tcpdump',
    ['-i', 'lo', '--immediate-mode', '-B', '262144', '-U', '-s', '0', '-w', file, `tcp port ${port}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('listening on')) resolve();
    });
    child.on('error', reject);
    void exited.then(() => reject(new Error(`tcpdump exited: ${text}`)));
  });
  try {
    await work();
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
    await exited;
  }
}

async function smallOps(lab: SambaLab): Promise<void> {
  const user = lab.users[0]!;
  const client = await SmbClient.connect({ host: lab.host, port: lab.port });
  try {
    const tree = await (
      await client.login({ user: user.user, password: user.password })
    ).connectTree(lab.shares[0]!.name);
    for (let i = 0; i < 40; i++) {
      const name = `t/f${i % 8}.dat`;
      const f = await tree.open(name, { access: 'read' });
      await queryStandardInfo(f);
      await f.readOnce(0n, 4096);
      await f.close();
      const w = await tree.open(`t/new${i}.tmp`, {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      await w.write(Buffer.alloc(512, i), 0n);
      await w.close();
      if (i % 4 === 0) await listDirectory(tree, 't');
    }
  } finally {
    client.close();
  }
}

async function bulk(lab: SambaLab): Promise<void> {
  const user = lab.users[0]!;
  const client = await SmbClient.connect({ host: lab.host, port: lab.port });
  try {
    const tree = await (
      await client.login({ user: user.user, password: user.password })
    ).connectTree(lab.shares[0]!.name);
    const f = await tree.open('big.bin', {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_OVERWRITE_IF,
    });
    const block = Buffer.alloc(1 << 20, 0x42);
    // Paced a little: tcpdump must keep up, or the template (and every copy of it) has holes.
    for (let i = 0; i < 16; i++) {
      await f.writeOnce(block, BigInt(i) << 20n);
      await new Promise((r) => setTimeout(r, 5));
    }
    for (let i = 0; i < 16; i++) {
      await f.readOnce(BigInt(i) << 20n, 1 << 20);
      await new Promise((r) => setTimeout(r, 5));
    }
    await f.close();
  } finally {
    client.close();
  }
}

/** Records one template capture into `file`. The small-op template needs t/f0..f7.dat to exist. */
export async function recordTemplate(
  lab: SambaLab,
  kind: TemplateKind,
  file: string,
  prepare: () => Promise<void>,
): Promise<void> {
  await prepare();
  await recordAround(file, lab.port, () => (kind === 'bulk' ? bulk(lab) : smallOps(lab)));
}
