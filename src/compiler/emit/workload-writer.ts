/**
 * The checked emit path (`checks: 'full' | 'structure'`): the same prologue and op lines, written
 * through IrWriter, which validates every record (docs/ir.md, "Validation") before writing it.
 * Slower than workload-file.ts; for debugging the compiler and for callers that want the guarantee.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { IrWriter, type IrWriteResult } from '../../ir/ir-writer.js';
import type { IrOp } from '../../ir/types.js';
import type { OpSink } from './op-sink.js';
import type { Prologue } from './workload-file.js';

export async function writeCheckedWorkload(
  path: string,
  prologue: Prologue,
  sink: OpSink,
  checks: 'full' | 'structure',
): Promise<IrWriteResult> {
  const writer = await IrWriter.create(path, prologue.header, { checks });
  try {
    for (const user of prologue.users) await writer.writeUser(user);
    for (const entry of prologue.namespace) await writer.writeNamespaceEntry(entry);
    const lines = createInterface({ input: createReadStream(sink.textPath), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const { type: _type, ...op } = JSON.parse(line) as { type: string } & IrOp;
      await writer.writeOp(op as IrOp);
    }
    return await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
