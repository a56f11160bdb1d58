/**
 * A workload whose handles a server makes durable: each captured user opens one file with a
 * read/write/handle lease and a durable v2 request (MS-SMB2 3.3.5.9.10 grants durability only
 * with a batch oplock or a handle lease), reads it block by block, and closes it. A connection
 * lost in the middle leaves an open handle to reclaim with DH2C (3.2.4.4).
 */
import { IrWriter } from '../../../src/ir/ir-writer.js';
import type { IrOp } from '../../../src/ir/types.js';

const READ_WRITE = 0x0012019f;
const SHARE_ALL = 7;
const FILE_OPEN = 1;
const FILE_NON_DIRECTORY_FILE = 0x40;
/** SMB2_LEASE_READ_CACHING | SMB2_LEASE_HANDLE_CACHING | SMB2_LEASE_WRITE_CACHING. */
const LEASE_RWH = 7;
const BLOCK = 4096;
/** Recorded time between two reads of a user (µs): replayed with recorded pacing, the reads span a second or so. */
const READ_GAP_US = 25_000;

/** Writes the workload; returns the number of ops per captured user. */
export async function writeLeaseWorkload(path: string, users: number, reads: number): Promise<number> {
  const w = await IrWriter.create(path, {
    format: 'smbench-ir',
    version: 1,
    generator: 'smbench fault e2e (leases)',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  });
  for (let u = 0; u < users; u++)
    await w.writeUser({ id: `u${u}`, name: `LAB\\u${u}`, dialect: 0x0311, sessions: 1 });
  for (let u = 0; u < users; u++)
    await w.writeNamespaceEntry({ user: `u${u}`, path: 'doc.bin', kind: 'file', size: reads * BLOCK });
  let seq = 0;
  const perUser = reads + 2;
  // Users interleaved in time, as a capture of them working at once would be.
  const streams = Array.from({ length: users }, (_, u) => {
    const first = u * perUser;
    const ops: IrOp[] = [
      {
        seq: first,
        t: u,
        user: `u${u}`,
        op: 'create',
        path: 'doc.bin',
        handle: 'h0',
        desiredAccess: READ_WRITE,
        fileAttributes: 0,
        shareAccess: SHARE_ALL,
        createDisposition: FILE_OPEN,
        createOptions: FILE_NON_DIRECTORY_FILE,
        oplockLevel: 0xff,
        leaseState: LEASE_RWH,
        contexts: ['RqLs', 'DH2Q'],
        status: 0,
        deps: [],
      } as IrOp,
    ];
    for (let i = 0; i < reads; i++) {
      ops.push({
        seq: first + 1 + i,
        t: (i + 1) * READ_GAP_US + u,
        user: `u${u}`,
        op: 'read',
        handle: 'h0',
        offset: i * BLOCK,
        length: BLOCK,
        status: 0,
        deps: [first + i],
      } as IrOp);
    }
    ops.push({
      seq: first + reads + 1,
      t: (reads + 1) * READ_GAP_US + u,
      user: `u${u}`,
      op: 'close',
      handle: 'h0',
      flags: 0,
      status: 0,
      deps: [first + reads],
    } as IrOp);
    return ops;
  });
  const all = streams.flat().sort((a, b) => a.t - b.t || a.seq - b.seq);
  // Seqs must grow with time: renumber, keeping each op's deps on the same ops.
  const renumber = new Map<number, number>();
  for (const op of all) renumber.set(op.seq, seq++);
  for (const op of all)
    await w.writeOp({
      ...op,
      seq: renumber.get(op.seq)!,
      deps: op.deps.map((d) => renumber.get(d)!),
    } as IrOp);
  await w.close();
  return perUser;
}
