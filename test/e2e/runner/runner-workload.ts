/**
 * A small but complete office-like workload, written with IrWriter, for the runner's end-to-end
 * tests: per captured user ~50 ops over files and directories (open/read/write/flush, create,
 * overwrite, set end-of-file, listing with a compound, rename, delete, byte-range lock,
 * server-side copy, an open that fails with STATUS_OBJECT_NAME_NOT_FOUND, an echo, and an FSCTL
 * the runner must skip), and the file tree each user must end with.
 */
import { IrWriter } from '../../../src/ir/ir-writer.js';
import type { IrHeader, IrNamespaceEntry, IrOp } from '../../../src/ir/types.js';

type OpInput = IrOp extends infer O
  ? O extends IrOp
    ? Omit<O, 'seq' | 'user' | 't' | 'deps'> & { deps?: number[] }
    : never
  : never;

const STATUS_SUCCESS = 0;
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
const STATUS_NO_MORE_FILES = 0x80000006;

const FILE_OPEN = 1;
const FILE_CREATE = 2;
const FILE_OVERWRITE_IF = 5;
const FILE_DIRECTORY_FILE = 0x1;
const FILE_NON_DIRECTORY_FILE = 0x40;
const READ = 0x00120089;
const READ_WRITE = 0x0012019f;
const DELETE_ACCESS = 0x00010080;
const SHARE_ALL = 7;
const FILE_ID_BOTH_DIRECTORY_INFORMATION = 37;
const FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078;
const FSCTL_SRV_COPYCHUNK = 0x001440f2;
const FSCTL_DFS_GET_REFERRALS = 0x00060194;

export const BIG_FILE_SIZE = 3 * 1024 * 1024;

export const NAMESPACE: readonly Omit<IrNamespaceEntry, 'user'>[] = [
  { path: 'docs', kind: 'dir', size: 0 },
  { path: 'docs/a.txt', kind: 'file', size: 10_000, attributes: 0x20 },
  { path: 'docs/big.bin', kind: 'file', size: BIG_FILE_SIZE },
  { path: 'old/name.txt', kind: 'file', size: 100 },
  { path: 'todelete.txt', kind: 'file', size: 50 },
  { path: 'empty', kind: 'dir', size: 0 },
];

/** What every user's directory holds after one replay: path -> size (directories: 'dir'). */
export const EXPECTED_TREE: Readonly<Record<string, number | 'dir'>> = {
  docs: 'dir',
  'docs/a.txt': 14_096,
  'docs/big.bin': BIG_FILE_SIZE,
  empty: 'dir',
  new: 'dir',
  'new/f1.bin': 20_000,
  'new/renamed.txt': 100,
  'new/f2.txt': 100,
  'new/copy.bin': 14_096,
  old: 'dir',
};

class UserScript {
  readonly ops: IrOp[] = [];
  private handles = 0;
  constructor(
    private readonly user: string,
    private readonly nextSeq: () => number,
    private t: number,
  ) {}

  handle(): string {
    return `h${this.handles++}`;
  }

  add(op: OpInput, extra: { deps?: number[]; sameT?: boolean } = {}): number {
    const seq = this.nextSeq();
    if (!extra.sameT) this.t += 1000;
    const { deps, ...rest } = op as OpInput & { deps?: number[] };
    this.ops.push({ ...rest, seq, user: this.user, t: this.t, deps: extra.deps ?? deps ?? [] } as IrOp);
    return seq;
  }
}

function open(
  path: string,
  handle: string | undefined,
  opts: { access?: number; disposition?: number; options?: number; status?: number } = {},
): OpInput {
  return {
    op: 'create',
    path,
    ...(handle ? { handle } : {}),
    desiredAccess: opts.access ?? READ_WRITE,
    fileAttributes: 0,
    shareAccess: SHARE_ALL,
    createDisposition: opts.disposition ?? FILE_OPEN,
    createOptions: opts.options ?? FILE_NON_DIRECTORY_FILE,
    oplockLevel: 0,
    status: opts.status ?? STATUS_SUCCESS,
  } as OpInput;
}

function close(handle: string): OpInput {
  return { op: 'close', handle, flags: 0, status: STATUS_SUCCESS } as OpInput;
}

/** The ~50 ops of one captured user. */
function script(s: UserScript): void {
  // Open an existing document, read, append past the end, query, flush, close.
  const h0 = s.handle();
  let prev = s.add(open('docs/a.txt', h0));
  prev = s.add({ op: 'read', handle: h0, offset: 0, length: 4096, status: STATUS_SUCCESS } as OpInput, {
    deps: [prev],
  });
  prev = s.add({ op: 'write', handle: h0, offset: 10_000, length: 4096, status: STATUS_SUCCESS } as OpInput, {
    deps: [prev],
  });
  prev = s.add(
    {
      op: 'query_info',
      handle: h0,
      infoType: 1,
      infoClass: 5,
      outputBufferLength: 24,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  prev = s.add({ op: 'flush', handle: h0, status: STATUS_SUCCESS } as OpInput, { deps: [prev] });
  const grown = s.add(close(h0), { deps: [prev] });

  // mkdir new
  const h1 = s.handle();
  prev = s.add(open('new', h1, { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE, access: READ }));
  const mkdir = s.add(close(h1), { deps: [prev] });

  // Create a file, write two blocks, extend it, close.
  const h2 = s.handle();
  prev = s.add(open('new/f1.bin', h2, { disposition: FILE_CREATE }), { deps: [mkdir] });
  const w1 = s.add({ op: 'write', handle: h2, offset: 0, length: 8192, status: STATUS_SUCCESS } as OpInput, {
    deps: [prev],
  });
  const w2 = s.add(
    { op: 'write', handle: h2, offset: 8192, length: 8192, status: STATUS_SUCCESS } as OpInput,
    { deps: [prev] },
  );
  prev = s.add(
    {
      op: 'set_info',
      handle: h2,
      info: { kind: 'end_of_file', size: 20_000 },
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [w1, w2] },
  );
  s.add(close(h2), { deps: [prev] });

  // List docs twice: entries, then STATUS_NO_MORE_FILES.
  const h3 = s.handle();
  prev = s.add(open('docs', h3, { options: FILE_DIRECTORY_FILE, access: READ }));
  prev = s.add(
    {
      op: 'query_directory',
      handle: h3,
      infoClass: FILE_ID_BOTH_DIRECTORY_INFORMATION,
      flags: 0,
      pattern: '*',
      outputBufferLength: 65536,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  prev = s.add(
    {
      op: 'query_directory',
      handle: h3,
      infoClass: FILE_ID_BOTH_DIRECTORY_INFORMATION,
      flags: 0,
      pattern: '*',
      outputBufferLength: 65536,
      status: STATUS_NO_MORE_FILES,
    } as OpInput,
    { deps: [prev] },
  );
  s.add(close(h3), { deps: [prev] });

  // An open that fails as recorded.
  s.add(open('missing.txt', undefined, { status: STATUS_OBJECT_NAME_NOT_FOUND }));

  // Rename old/name.txt -> new/renamed.txt.
  const h4 = s.handle();
  prev = s.add(open('old/name.txt', h4, { access: DELETE_ACCESS }), { deps: [mkdir] });
  prev = s.add(
    {
      op: 'set_info',
      handle: h4,
      info: { kind: 'rename', newPath: 'new/renamed.txt', replaceIfExists: false },
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  s.add(close(h4), { deps: [prev] });

  // Delete todelete.txt.
  const h5 = s.handle();
  prev = s.add(open('todelete.txt', h5, { access: DELETE_ACCESS }));
  prev = s.add(
    {
      op: 'set_info',
      handle: h5,
      info: { kind: 'disposition', deletePending: true },
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  s.add(close(h5), { deps: [prev] });

  // Read the middle of a big (sparse-prepared) file.
  const h6 = s.handle();
  prev = s.add(open('docs/big.bin', h6, { access: READ }));
  prev = s.add(
    { op: 'read', handle: h6, offset: 1 << 20, length: 1 << 20, status: STATUS_SUCCESS } as OpInput,
    { deps: [prev] },
  );
  prev = s.add(
    {
      op: 'query_info',
      handle: h6,
      infoType: 1,
      infoClass: 4,
      outputBufferLength: 40,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  s.add(close(h6), { deps: [prev] });

  s.add({ op: 'echo', status: STATUS_SUCCESS } as OpInput);

  // Compound: open docs + list + close, related.
  const h7 = s.handle();
  const first = s.add({
    ...open('docs', h7, { options: FILE_DIRECTORY_FILE, access: READ }),
    compound: { id: 0, index: 0, size: 3, related: false },
  } as OpInput);
  const chain = s.ops[s.ops.length - 1]! as { compound: { id: number } };
  chain.compound.id = first;
  s.add(
    {
      op: 'query_directory',
      handle: h7,
      infoClass: FILE_ID_BOTH_DIRECTORY_INFORMATION,
      flags: 1,
      pattern: '*',
      outputBufferLength: 65536,
      status: STATUS_SUCCESS,
      compound: { id: first, index: 1, size: 3, related: true },
    } as OpInput,
    { sameT: true },
  );
  s.add({ ...close(h7), compound: { id: first, index: 2, size: 3, related: true } } as OpInput, {
    sameT: true,
  });

  // Overwrite-or-create a small file.
  const h8 = s.handle();
  prev = s.add(open('new/f2.txt', h8, { disposition: FILE_OVERWRITE_IF }), { deps: [mkdir] });
  prev = s.add({ op: 'write', handle: h8, offset: 0, length: 100, status: STATUS_SUCCESS } as OpInput, {
    deps: [prev],
  });
  s.add(close(h8), { deps: [prev] });

  // Byte-range lock and unlock.
  // Opened after the append above was closed (the server-side copy below copies the grown file).
  const h9 = s.handle();
  prev = s.add(open('docs/a.txt', h9), { deps: [grown] });
  prev = s.add(
    {
      op: 'lock',
      handle: h9,
      locks: [{ offset: 0, length: 100, flags: 0x12 }],
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  prev = s.add(
    {
      op: 'lock',
      handle: h9,
      locks: [{ offset: 0, length: 100, flags: 0x4 }],
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );

  // Server-side copy of docs/a.txt (h9) into new/copy.bin.
  const key = s.add(
    {
      op: 'ioctl',
      handle: h9,
      ctlCode: FSCTL_SRV_REQUEST_RESUME_KEY,
      flags: 1,
      inputLength: 0,
      maxOutputLength: 32,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  const h10 = s.handle();
  prev = s.add(open('new/copy.bin', h10, { disposition: FILE_CREATE }), { deps: [mkdir] });
  prev = s.add(
    {
      op: 'ioctl',
      handle: h10,
      ctlCode: FSCTL_SRV_COPYCHUNK,
      flags: 1,
      inputLength: 32 + 24,
      maxOutputLength: 12,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev, key] },
  );
  s.add(close(h10), { deps: [prev] });
  s.add(close(h9), { deps: [key] });

  // An FSCTL the runner never replays (DFS referral, no handle): skipped and counted.
  s.add({
    op: 'ioctl',
    ctlCode: FSCTL_DFS_GET_REFERRALS,
    flags: 1,
    inputLength: 64,
    maxOutputLength: 4096,
    status: STATUS_SUCCESS,
  } as OpInput);

  // Re-read the grown document and list the new directory.
  const h11 = s.handle();
  prev = s.add(open('docs/a.txt', h11, { access: READ }));
  prev = s.add({ op: 'read', handle: h11, offset: 8192, length: 8192, status: STATUS_SUCCESS } as OpInput, {
    deps: [prev],
  });
  s.add(close(h11), { deps: [prev] });
  const h12 = s.handle();
  prev = s.add(open('new', h12, { options: FILE_DIRECTORY_FILE, access: READ }), { deps: [mkdir] });
  prev = s.add(
    {
      op: 'query_directory',
      handle: h12,
      infoClass: FILE_ID_BOTH_DIRECTORY_INFORMATION,
      flags: 0,
      pattern: '*',
      outputBufferLength: 65536,
      status: STATUS_SUCCESS,
    } as OpInput,
    { deps: [prev] },
  );
  s.add(close(h12), { deps: [prev] });
}

/** Ops the runner skips by design per captured user (the DFS referral). */
export const SKIPPED_PER_USER = 1;

/** Writes the workload with `users` captured users; returns the number of ops per user. */
export async function writeRunnerWorkload(path: string, users = 2): Promise<number> {
  const header: IrHeader = {
    format: 'smbench-ir',
    version: 1,
    generator: 'smbench runner e2e',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  };
  const w = await IrWriter.create(path, header);
  let seq = 0;
  const scripts: UserScript[] = [];
  for (let u = 0; u < users; u++) {
    const id = `u${u}`;
    await w.writeUser({ id, name: `LAB\\user${u}`, dialect: 0x0311, sessions: 1 });
    let local = 0;
    scripts.push(new UserScript(id, () => local++, u * 137));
  }
  for (let u = 0; u < users; u++) {
    for (const e of NAMESPACE) await w.writeNamespaceEntry({ ...e, user: `u${u}` });
  }
  // Build each user's script with local seqs, then interleave by time with global seqs.
  for (const s of scripts) script(s);
  const all = scripts.flatMap((s) => s.ops.map((op) => ({ op, user: op.user })));
  all.sort(
    (a, b) => a.op.t - b.op.t || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0) || a.op.seq - b.op.seq,
  );
  const remap = new Map<string, Map<number, number>>();
  for (const { op } of all) {
    let m = remap.get(op.user);
    if (!m) remap.set(op.user, (m = new Map()));
    m.set(op.seq, seq++);
  }
  for (const { op } of all) {
    const m = remap.get(op.user)!;
    const fixed = {
      ...op,
      seq: m.get(op.seq)!,
      deps: op.deps.map((d) => m.get(d)!).sort((a, b) => a - b),
    } as IrOp;
    if (fixed.compound)
      (fixed as { compound: object }).compound = { ...fixed.compound, id: m.get(fixed.compound.id)! };
    await w.writeOp(fixed);
  }
  await w.close();
  return scripts[0]!.ops.length;
}
