/**
 * Prepare's stream step: gives a named stream (MS-FSCC 2.1.5) of an existing file or directory its
 * recorded size. A share that refuses stream names (no streams support: Samba without
 * vfs_streams_xattr answers STATUS_OBJECT_NAME_INVALID) is reported, not an error: the run goes on
 * and the ops on streams are counted as refused (stream-refusal.ts).
 */
import { SmbStatusError } from '../client/errors.js';
import type { Tree } from '../client/tree.js';
import type { OpenFile } from '../client/open-file.js';
import { CreateAction, CreateDisposition, FileAccessMask } from '../smb2/commands/create.js';
import { AFP_INFO_SIZE, afpInfoBlob, isAfpInfoStream, isValidAfpInfo } from './afp-info.js';
import { ensureFile, type EnsureFileResult, type FillMode } from './namespace-ops.js';
import { isStreamRefusal } from './stream-refusal.js';

export type StreamResult = EnsureFileResult | { readonly outcome: 'refused'; readonly bytesWritten: 0 };

/** `basePath` is share-relative with `/`; the stream is opened as `basePath:name`. */
export async function ensureStream(
  tree: Tree,
  basePath: string,
  name: string,
  size: number,
  fill: FillMode,
  fillThreshold: number,
): Promise<StreamResult> {
  const path = `${basePath}:${name}`;
  try {
    if (isAfpInfoStream(name)) return await writeAfpInfo(tree, path);
    return await ensureFile(tree, path, size, undefined, fill, fillThreshold);
  } catch (err) {
    if (err instanceof SmbStatusError && isStreamRefusal(err.status))
      return { outcome: 'refused', bytesWritten: 0 };
    throw err;
  }
}

async function writeAfpInfo(tree: Tree, path: string): Promise<EnsureFileResult> {
  const file = await tree.open(path, {
    access: FileAccessMask.FILE_READ_DATA | FileAccessMask.FILE_WRITE_DATA | FileAccessMask.SYNCHRONIZE,
    disposition: CreateDisposition.FILE_OPEN_IF,
    kind: 'any',
  });
  try {
    // vfs_fruit reports a new AfpInfo as 60 bytes before anything is written: look at the content.
    const current = file.create.createAction === CreateAction.FILE_CREATED ? undefined : await readAll(file);
    if (current !== undefined && isValidAfpInfo(current)) return { outcome: 'unchanged', bytesWritten: 0 };
    const written = await file.write(afpInfoBlob(), 0n);
    return { outcome: current === undefined ? 'created' : 'resized', bytesWritten: written };
  } finally {
    await file.close();
  }
}

async function readAll(file: OpenFile): Promise<Buffer> {
  try {
    return await file.read(0n, AFP_INFO_SIZE);
  } catch {
    // An empty stream may answer STATUS_END_OF_FILE: nothing valid in it.
    return Buffer.alloc(0);
  }
}
