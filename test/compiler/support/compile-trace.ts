/** Compiles a capture (a built trace or a file) to a temporary workload and reads it back. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCaptures, type CompileOptions, type CompileResult } from '../../../src/compiler/index.js';
import { readIrFully, validateIr } from '../../../src/ir/index.js';
import type { IrDocument, IrProblem } from '../../../src/ir/index.js';
import type { TraceBuilder } from './trace-builder.js';

export interface CompiledTrace {
  readonly result: CompileResult;
  readonly doc: IrDocument;
  readonly problems: readonly IrProblem[];
}

export async function compileFiles(
  inputs: readonly string[],
  options: Partial<CompileOptions> = {},
): Promise<CompiledTrace> {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-compiled-'));
  try {
    const output = join(dir, 'out.smbw');
    const result = await compileCaptures(inputs, { output, ...options });
    const validation = await validateIr(output);
    const doc = await readIrFully(output);
    return { result, doc, problems: validation.errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function compileTrace(
  builder: TraceBuilder,
  options: Partial<CompileOptions> = {},
): Promise<CompiledTrace> {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-trace-'));
  try {
    const path = join(dir, 'trace.pcap');
    writeFileSync(path, builder.pcap());
    return await compileFiles([path], options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
