/**
 * Assembles the `.smbw` (docs/ir.md, "File format") from the prologue and the op sink without
 * re-serialising the ops: gzip(header, users, ns) + the sink's gzip member + gzip(end). The content
 * hash covers the decompressed lines in file order, so it is computed over the prologue text, then
 * the sink's text file. Written under a temporary name and renamed, so the file is whole or absent.
 *
 * This is the compiler's fast path; `checks: 'full'` instead feeds the same lines through IrWriter,
 * which validates every record as it writes.
 */
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { ContentHasher } from '../../ir/content-hash.js';
import { workloadIdFromSha256 } from '../../ir/ids.js';
import type { IrWriteResult } from '../../ir/ir-writer.js';
import type { IrHeader, IrNamespaceEntry, IrUser } from '../../ir/types.js';
import { IR_GZIP_LEVEL } from '../../ir/version.js';
import type { OpSink } from './op-sink.js';

const gzipAsync = promisify(gzipCallback);
const PROLOGUE_CHUNK = 1 << 20;

export interface Prologue {
  readonly header: IrHeader;
  readonly users: readonly IrUser[];
  readonly namespace: readonly IrNamespaceEntry[];
}

/** The prologue as JSON Lines, in chunks of about 1 MiB (a namespace can be large). */
export function prologueChunks(p: Prologue): string[] {
  const chunks: string[] = [];
  let text = `${JSON.stringify({ type: 'header', ...p.header })}\n`;
  const add = (line: string): void => {
    text += `${line}\n`;
    if (text.length >= PROLOGUE_CHUNK) {
      chunks.push(text);
      text = '';
    }
  };
  for (const u of p.users) add(JSON.stringify({ type: 'user', ...u }));
  for (const e of p.namespace) add(JSON.stringify({ type: 'ns', ...e }));
  if (text !== '') chunks.push(text);
  return chunks;
}

export async function writeWorkloadFile(
  path: string,
  prologue: Prologue,
  sink: OpSink,
): Promise<IrWriteResult> {
  const hasher = new ContentHasher();
  const chunks = prologueChunks(prologue);
  for (const c of chunks) hasher.addText(c);
  for await (const bytes of createReadStream(sink.textPath, { highWaterMark: 1 << 20 }))
    hasher.addBytes(bytes as Buffer);
  const sha256 = hasher.hex();
  const end = `${JSON.stringify({ type: 'end', ops: sink.count, sha256 })}\n`;

  const tmp = `${path}.tmp-${process.pid}`;
  const out = await open(tmp, 'w');
  try {
    await out.write(await gzipAsync(chunks.join(''), { level: IR_GZIP_LEVEL }));
    for await (const bytes of createReadStream(sink.gzipPath, { highWaterMark: 1 << 20 }))
      await out.write(bytes as Buffer);
    await out.write(await gzipAsync(end, { level: IR_GZIP_LEVEL }));
    await out.close();
    await rename(tmp, path);
  } catch (err) {
    await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  return { sha256, ops: sink.count, workloadId: workloadIdFromSha256(sha256) };
}
