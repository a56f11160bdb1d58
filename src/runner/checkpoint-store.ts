/**
 * Reading and writing checkpoint files. A write goes to a temporary file in the same directory,
 * is flushed to disk, then renamed over the checkpoint: rename(2) replaces the name atomically
 * (POSIX), so a crash or a kill -9 at any moment leaves either the previous checkpoint or the new
 * one, never a torn file.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { assertCheckpoint, type Checkpoint } from './checkpoint-format.js';

/** The temporary name a write goes to before the rename (same directory, so same file system). */
export function temporaryPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const tmp = temporaryPath(file);
  const text = `${JSON.stringify(checkpoint)}\n`;
  try {
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      // Without the flush, a power loss after the rename could leave an empty file under the name.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new SmbBenchError(ErrorCode.USAGE, `cannot write checkpoint ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SmbBenchError(ErrorCode.USAGE, `cannot read checkpoint ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `checkpoint ${file} is not valid JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  assertCheckpoint(value, file);
  return value;
}
