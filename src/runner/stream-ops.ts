/**
 * Prepare's stream step: gives a named stream (MS-FSCC 2.1.5) of an existing file or directory its
 * recorded size. A share that refuses stream names (no streams support: Samba without
 * vfs_streams_xattr answers STATUS_OBJECT_NAME_INVALID) is reported, not an error: the run goes on
 * and the ops on streams are counted as refused (stream-refusal.ts).
 */
import { SmbStatusError } from '../client/errors.js';
import type { Tree } from '../client/tree.js';
import { CreateDisposition, FileAccessMask } from '../smb2/commands/create.js';
import { afpInfoBlob, isAfpInfoStream } from './afp-info.js';
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
    if (Number(file.size) > 0) return { outcome: 'unchanged', bytesWritten: 0 };
    const blob = afpInfoBlob();
    const written = await file.write(blob, 0n);
    return { outcome: 'created', bytesWritten: written };
  } finally {
    await file.close();
  }
}
