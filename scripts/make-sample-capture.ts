/**
 * Regenerates samples/office-mix.pcap, the bundled capture `smbench demo` compiles and replays.
 *
 *   npx tsx scripts/make-sample-capture.ts [output.pcap]
 *
 * It starts a lab Samba, seeds files the trace will assume exist (so the compiler has an initial
 * namespace to infer), records loopback with tcpdump while three users do an office-like mix of
 * operations through smbench's client (list, read, append, create, rename, delete, lock, query
 * and set info, a failed open), then stops everything. Needs root for tcpdump and lab users.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  listDirectory,
  makeDirectory,
  queryStandardInfo,
  renameOpen,
  setDeletePending,
} from '../src/client/file-info.js';
import { SmbClient } from '../src/client/smb-client.js';
import type { Tree } from '../src/client/tree.js';
import { startLoopbackCapture } from '../src/lab/loopback-capture.js';
import { startSambaLab } from '../src/lab/samba-lab.js';
import { CreateDisposition, FileAccessMask } from '../src/smb2/commands/create.js';
import { LockFlags } from '../src/smb2/commands/lock.js';
import { FsInformationClass, InfoType } from '../src/smb2/fscc/info-classes.js';

const USERS = [
  { user: 'alice', password: 'Alice-Passw0rd' },
  { user: 'bob', password: 'Bob-Passw0rd' },
  { user: 'carol', password: 'Carol-Passw0rd' },
];

/** A tiny deterministic PRNG so the sample is reproducible in shape. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

async function seed(sharePath: string): Promise<void> {
  await mkdir(join(sharePath, 'shared', 'templates'), { recursive: true });
  await writeFile(join(sharePath, 'shared', 'handbook.pdf'), Buffer.alloc(2 * 1024 * 1024, 0x25));
  await writeFile(join(sharePath, 'shared', 'templates', 'letter.docx'), Buffer.alloc(40 * 1024, 0x50));
  for (const { user } of USERS) {
    await mkdir(join(sharePath, user, 'data'), { recursive: true });
    await writeFile(join(sharePath, user, 'notes.txt'), Buffer.alloc(10 * 1024, 0x6e));
    for (let i = 0; i < 12; i++) {
      await writeFile(
        join(sharePath, user, 'data', `sheet-${i}.xlsx`),
        Buffer.alloc(8 * 1024 * (i + 1), 0x78),
      );
    }
  }
  // Seeded as root; the lab users must be able to modify what they find.
  spawnSync('chmod', ['-R', 'a+rwX', sharePath]);
}

async function officeDay(tree: Tree, user: string, random: () => number): Promise<void> {
  const think = () => sleep(5 + Math.floor(random() * 40));
  await listDirectory(tree, '');
  await listDirectory(tree, user);
  await think();
  const handbook = await tree.open('shared/handbook.pdf', { access: 'read' });
  for (let off = 0; off < 128 * 1024; off += 32 * 1024) await handbook.read(BigInt(off), 32 * 1024);
  await queryStandardInfo(handbook);
  await handbook.close();
  await think();
  for (let round = 0; round < 3; round++) {
    const notes = await tree.open(`${user}/notes.txt`, { access: 'readwrite' });
    const size = (await queryStandardInfo(notes)).endOfFile;
    await notes.read(0n, Number(size));
    const lock = {
      offset: 0n,
      length: 4096n,
      flags: LockFlags.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY,
    };
    await notes.lock([lock]);
    await notes.write(Buffer.from(`\n${user} round ${round}\n`), size);
    await notes.lock([{ ...lock, flags: LockFlags.SMB2_LOCKFLAG_UNLOCK }]);
    await notes.flush();
    await notes.close();
    await think();
    const report = await tree.open(`${user}/report-${round}.docx`, {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_CREATE,
    });
    const body = Buffer.alloc(16 * 1024, 0x41 + round);
    for (let i = 0; i < 3; i++) await report.write(body, BigInt(i * body.length));
    await report.close();
    await think();
    const toRename = await tree.open(`${user}/report-${round}.docx`, { access: 'delete' });
    await renameOpen(toRename, `${user}/final-report-${round}.docx`);
    await toRename.close();
    const sheet = await tree.open(`${user}/data/sheet-${round * 3}.xlsx`, { access: 'read' });
    await sheet.read(0n, 16 * 1024);
    await sheet.close();
    const temp = await tree.open(`${user}/~temp-${round}.tmp`, {
      access: FileAccessMask.FILE_READ_DATA | FileAccessMask.FILE_WRITE_DATA | FileAccessMask.DELETE,
      disposition: CreateDisposition.FILE_CREATE,
    });
    await temp.write(Buffer.alloc(3000, 0x74), 0n);
    await setDeletePending(temp);
    await temp.close();
    await tree.open(`${user}/missing-${round}.txt`).then(
      (f) => f.close(),
      () => undefined, // STATUS_OBJECT_NAME_NOT_FOUND is part of the workload
    );
    await think();
  }
  await makeDirectory(tree, `${user}/archive`);
  const old = await tree.open(`${user}/data/sheet-11.xlsx`, { access: 'delete' });
  await renameOpen(old, `${user}/archive/sheet-11.xlsx`);
  await old.close();
  const letter = await tree.open('shared/templates/letter.docx', { access: 'read' });
  await letter.read(0n, 40 * 1024);
  await letter.close();
  const root = await tree.open('', { kind: 'directory' });
  await root.queryInfo(InfoType.SMB2_0_INFO_FILESYSTEM, FsInformationClass.FileFsFullSizeInformation);
  await root.close();
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'samples/office-mix.pcap';
  const lab = await startSambaLab({ users: USERS });
  try {
    await seed(lab.shares[0]!.path);
    const capture = await startLoopbackCapture(lab.port, out);
    try {
      await Promise.all(
        USERS.map(async (u, i) => {
          await sleep(i * 30);
          const client = await SmbClient.connect({ host: lab.host, port: lab.port });
          try {
            const session = await client.login({ user: u.user, password: u.password });
            const tree = await session.connectTree(lab.shares[0]!.name);
            await officeDay(tree, u.user, prng(i + 1));
            await tree.disconnect();
            await session.logoff();
          } finally {
            client.close();
          }
        }),
      );
    } finally {
      await capture.stop();
    }
    process.stderr.write(`wrote ${out}\n`);
  } finally {
    await lab.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
