/**
 * The file system steps of prepare and cleanup, one path at a time: make a directory, bring a file
 * to a size with filler (or sparse), set attributes, remove a tree. Each is idempotent, so running
 * `prepare` twice does (almost) nothing the second time.
 */
import { SmbStatusError } from '../client/errors.js';
import { listDirectory, makeDirectory, removePath, setEndOfFile } from '../client/file-info.js';
import type { OpenFile } from '../client/open-file.js';
import type { Tree } from '../client/tree.js';
import { CreateAction, CreateDisposition, FileAccessMask } from '../smb2/commands/create.js';
import { encodeFileBasicInformation } from '../smb2/fscc/file-basic.js';
import { FileAttributes } from '../smb2/fscc/file-attributes.js';
import { FileInformationClass, InfoType } from '../smb2/fscc/info-classes.js';
import { Fsctl } from '../smb2/fsctl.js';
import { NtStatus } from '../smb2/nt-status.js';
import type { Semaphore } from './concurrency.js';
import { fillerAt, PATTERN_SIZE } from './payload.js';

/** Attributes SET_INFO FileBasicInformation can change (MS-FSA 2.1.5.14.2); the rest are the file system's. */
export const SETTABLE_ATTRIBUTES =
  FileAttributes.FILE_ATTRIBUTE_READONLY |
  FileAttributes.FILE_ATTRIBUTE_HIDDEN |
  FileAttributes.FILE_ATTRIBUTE_SYSTEM |
  FileAttributes.FILE_ATTRIBUTE_ARCHIVE |
  FileAttributes.FILE_ATTRIBUTE_TEMPORARY |
  FileAttributes.FILE_ATTRIBUTE_OFFLINE |
  FileAttributes.FILE_ATTRIBUTE_NOT_CONTENT_INDEXED;

/** How prepare gives files their size. */
export const FillMode = {
  /** Real writes up to `fillThreshold` bytes, a sparse end-of-file beyond. */
  auto: 'auto',
  /** Always write every byte (`--fill`). */
  always: 'always',
} as const;
export type FillMode = (typeof FillMode)[keyof typeof FillMode];

export const DEFAULT_FILL_THRESHOLD = 1 << 20;
/** Filler writes in flight per file. */
const WRITES_IN_FLIGHT = 8;

export type FileOutcome = 'created' | 'resized' | 'unchanged';

const OPEN_FOR_CONTENT =
  FileAccessMask.FILE_READ_DATA |
  FileAccessMask.FILE_WRITE_DATA |
  FileAccessMask.FILE_READ_ATTRIBUTES |
  FileAccessMask.FILE_WRITE_ATTRIBUTES |
  FileAccessMask.SYNCHRONIZE;

async function setAttributes(file: OpenFile, attributes: number): Promise<void> {
  // FileBasicInformation with zero times leaves them unchanged; NORMAL alone means "no attributes".
  const info = encodeFileBasicInformation({
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    fileAttributes: attributes === 0 ? FileAttributes.FILE_ATTRIBUTE_NORMAL : attributes,
  });
  await file.setInfo(InfoType.SMB2_0_INFO_FILE, FileInformationClass.FileBasicInformation, info);
}

/** Clears FILE_ATTRIBUTE_READONLY so the file can be written or deleted. */
async function clearReadOnly(tree: Tree, path: string, directory: boolean): Promise<void> {
  const f = await tree.open(path, { access: 'attributes', kind: directory ? 'directory' : 'file' });
  try {
    await setAttributes(f, directory ? FileAttributes.FILE_ATTRIBUTE_DIRECTORY : 0);
  } finally {
    await f.close();
  }
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof SmbStatusError && err.status === status;
}

/** `mkdir -p`-style: creates the directory if missing and applies settable attributes. */
export async function ensureDirectory(tree: Tree, path: string, attributes?: number): Promise<void> {
  await makeDirectory(tree, path);
  const wanted = (attributes ?? 0) & SETTABLE_ATTRIBUTES;
  if (wanted === 0) return;
  const d = await tree.open(path, { access: 'attributes', kind: 'directory' });
  try {
    if ((d.create.fileAttributes & SETTABLE_ATTRIBUTES) !== wanted)
      await setAttributes(d, wanted | FileAttributes.FILE_ATTRIBUTE_DIRECTORY);
  } finally {
    await d.close();
  }
}

/** Writes filler over [from, to) with a few writes in flight. */
async function writeFiller(file: OpenFile, from: number, to: number): Promise<number> {
  let written = 0;
  let inFlight: Promise<number>[] = [];
  for (let at = from; at < to;) {
    // Chunks end on pattern boundaries so each one is a zero-copy view of the pattern.
    const n = Math.min(to - at, PATTERN_SIZE - (at % PATTERN_SIZE));
    inFlight.push(file.write(fillerAt(at, n), BigInt(at)));
    at += n;
    if (inFlight.length >= WRITES_IN_FLIGHT) {
      for (const c of await Promise.all(inFlight)) written += c;
      inFlight = [];
    }
  }
  for (const c of await Promise.all(inFlight)) written += c;
  return written;
}

export interface EnsureFileResult {
  readonly outcome: FileOutcome;
  readonly bytesWritten: number;
}

/**
 * Brings a file to `size` bytes and `attributes`. An existing file of the right size is left alone
 * (its content is not re-checked); a shorter one is extended, a longer one truncated.
 */
export async function ensureFile(
  tree: Tree,
  path: string,
  size: number,
  attributes: number | undefined,
  fill: FillMode,
  fillThreshold = DEFAULT_FILL_THRESHOLD,
): Promise<EnsureFileResult> {
  let file: OpenFile;
  const open = () =>
    tree.open(path, { access: OPEN_FOR_CONTENT, disposition: CreateDisposition.FILE_OPEN_IF, kind: 'file' });
  try {
    file = await open();
  } catch (err) {
    if (!isStatus(err, NtStatus.STATUS_ACCESS_DENIED)) throw err;
    // A read-only file from an earlier prepare: clear the bit, then open for writing.
    await clearReadOnly(tree, path, false);
    file = await open();
  }
  let bytesWritten = 0;
  try {
    const created = file.create.createAction === CreateAction.FILE_CREATED;
    const current = Number(file.size);
    const wanted = attributes === undefined ? undefined : attributes & SETTABLE_ATTRIBUTES;
    const attributesOk =
      wanted === undefined || (file.create.fileAttributes & SETTABLE_ATTRIBUTES) === wanted;
    if (!created && current === size && attributesOk) return { outcome: 'unchanged', bytesWritten: 0 };
    if (current < size) {
      if (fill === FillMode.always || size <= fillThreshold) {
        bytesWritten = await writeFiller(file, current, size);
      } else {
        if (attributes !== undefined && (attributes & FileAttributes.FILE_ATTRIBUTE_SPARSE_FILE) !== 0) {
          await file.ioctl(Fsctl.FSCTL_SET_SPARSE, Buffer.alloc(0), 0).catch(() => undefined);
        }
        await setEndOfFile(file, BigInt(size));
      }
    } else if (current > size) {
      await setEndOfFile(file, BigInt(size));
    }
    if (!attributesOk && wanted !== undefined) await setAttributes(file, wanted);
    return { outcome: created ? 'created' : 'resized', bytesWritten };
  } finally {
    await file.close();
  }
}

export interface RemoveCounts {
  files: number;
  directories: number;
}

/** Removes a directory tree (children in parallel, bounded by `limiter`); a missing tree is fine. */
export async function removeTree(
  tree: Tree,
  path: string,
  limiter: Semaphore,
  counts: RemoveCounts,
): Promise<void> {
  let entries;
  try {
    entries = await limiter.run(() => listDirectory(tree, path));
  } catch (err) {
    if (
      isStatus(err, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND) ||
      isStatus(err, NtStatus.STATUS_OBJECT_PATH_NOT_FOUND)
    )
      return;
    throw err;
  }
  await Promise.all(
    entries.map(async (e) => {
      const child = `${path}/${e.fileName}`;
      if ((e.fileAttributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY) !== 0) {
        await removeTree(tree, child, limiter, counts);
        return;
      }
      await limiter.run(async () => {
        if ((e.fileAttributes & FileAttributes.FILE_ATTRIBUTE_READONLY) !== 0)
          await clearReadOnly(tree, child, false);
        await removePath(tree, child, 'file');
      });
      counts.files++;
    }),
  );
  await limiter.run(async () => {
    try {
      await removePath(tree, path, 'directory');
    } catch (err) {
      if (!isStatus(err, NtStatus.STATUS_CANNOT_DELETE)) throw err;
      await clearReadOnly(tree, path, true);
      await removePath(tree, path, 'directory');
    }
  });
  counts.directories++;
}
