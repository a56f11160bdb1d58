/**
 * The synthetic workload of the scale bench: `capturedUsers` users, each with `opsPerUser` ops in
 * groups of five that an office client does all day — open a file, read 4 KiB, query its standard
 * info, read the next 4 KiB, close — each op depending on the previous one (one request in flight
 * per user, like a synchronous application). Every virtual user works on its own copy of
 * `data/f.bin` (64 KiB), created by prepare.
 */
import { IrWriter } from '../../src/ir/ir-writer.js';
import type { IrOp } from '../../src/ir/types.js';

const FILE_OPEN = 1;
const FILE_NON_DIRECTORY_FILE = 0x40;
const READ_ACCESS = 0x00120089;
const SHARE_ALL = 7;
const FILE_STANDARD_INFORMATION = 5;
const SMB2_0_INFO_FILE = 1;
export const SCALE_FILE_SIZE = 65_536;
/** Ops in one open-read-query-read-close group. */
export const GROUP_SIZE = 5;
/**
 * Default trace time between two ops of a user (µs), for recorded pacing: 1.25 s, so 5,000 users
 * ask for 4,000 ops/s, within what a 2-core machine's smbd serves, and each user's 200 ops span
 * about 4 minutes: longer than logging 5,000 users in, so all of them are active together.
 */
export const DEFAULT_STEP_US = 1_250_000;

type OpBody = Omit<IrOp, 'seq' | 'user' | 't' | 'deps'>;

function group(handle: string): OpBody[] {
  return [
    {
      op: 'create',
      path: 'data/f.bin',
      handle,
      desiredAccess: READ_ACCESS,
      fileAttributes: 0,
      shareAccess: SHARE_ALL,
      createDisposition: FILE_OPEN,
      createOptions: FILE_NON_DIRECTORY_FILE,
      oplockLevel: 0,
      status: 0,
    },
    { op: 'read', handle, offset: 0, length: 4096, status: 0 },
    {
      op: 'query_info',
      handle,
      infoType: SMB2_0_INFO_FILE,
      infoClass: FILE_STANDARD_INFORMATION,
      outputBufferLength: 24,
      status: 0,
    },
    { op: 'read', handle, offset: 4096, length: 4096, status: 0 },
    { op: 'close', handle, flags: 0, status: 0 },
  ] as unknown as OpBody[];
}

/** Writes the workload; `opsPerUser` is rounded up to whole groups. Returns the ops per user. */
export async function writeScaleWorkload(
  path: string,
  capturedUsers: number,
  opsPerUser: number,
  stepUs: number = DEFAULT_STEP_US,
): Promise<number> {
  const groups = Math.max(1, Math.ceil(opsPerUser / GROUP_SIZE));
  const w = await IrWriter.create(path, {
    format: 'smbench-ir',
    version: 1,
    generator: 'smbench scale bench',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  });
  const users = Array.from({ length: capturedUsers }, (_, u) => `u${u}`);
  for (const id of users) await w.writeUser({ id, name: `BENCH\\${id}`, dialect: 0x0311, sessions: 1 });
  for (const user of users) {
    await w.writeNamespaceEntry({ user, path: 'data', kind: 'dir', size: 0 });
    await w.writeNamespaceEntry({ user, path: 'data/f.bin', kind: 'file', size: SCALE_FILE_SIZE });
  }
  // Ops in time order: step i of every user, then step i + 1 (users interleaved, seqs global).
  let seq = 0;
  const previous = new Map<string, number>();
  for (let g = 0; g < groups; g++) {
    const bodies = group(`h${g}`);
    for (let i = 0; i < bodies.length; i++) {
      for (const [u, user] of users.entries()) {
        const prev = previous.get(user);
        // Users offset by a fraction of a step, so they do not all fire in the same instant.
        const t = (g * GROUP_SIZE + i) * stepUs + Math.floor((u * stepUs) / capturedUsers);
        await w.writeOp({ ...bodies[i]!, seq, user, t, deps: prev === undefined ? [] : [prev] } as IrOp);
        previous.set(user, seq++);
      }
    }
  }
  await w.close();
  return groups * GROUP_SIZE;
}
