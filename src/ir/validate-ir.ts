/**
 * Full validation of a `.smbw` file, reporting every problem with its line number: schema of every
 * record, record order, user references, the initial namespace, handle lifecycles, deps, compound
 * chains, payload mode, counts and the content hash. Used by `smbench validate` and before a run.
 */
import { basename } from 'node:path';
import { IrFileError, irErrorAt } from './ir-error.js';
import { streamIrRecords } from './record-stream.js';

export interface IrProblem {
  /** 1-based line of the decompressed file; one past the last line for "missing end record". */
  readonly line: number;
  readonly message: string;
}

export interface IrValidation {
  readonly ok: boolean;
  readonly errors: readonly IrProblem[];
  /** True when more than `maxErrors` problems were found and the rest were not kept. */
  readonly truncated: boolean;
}

export interface ValidateIrOptions {
  /** Stop collecting after this many problems (validation still runs to the end). Default 1000. */
  readonly maxErrors?: number;
}

export async function validateIr(path: string, options: ValidateIrOptions = {}): Promise<IrValidation> {
  const maxErrors = options.maxErrors ?? 1000;
  const errors: IrProblem[] = [];
  let truncated = false;
  const report = (line: number, message: string): void => {
    if (errors.length < maxErrors) errors.push({ line, message });
    else truncated = true;
  };
  try {
    for await (const _record of streamIrRecords(path, report, { semantics: true })) {
      // The checker inside the stream does the work; records themselves are not needed here.
    }
  } catch (err) {
    // Unreadable bytes end validation: the line source names the line it had reached.
    if (!(err instanceof IrFileError)) throw err;
    errors.push({ line: err.line, message: err.detail });
  }
  return { ok: errors.length === 0, errors, truncated };
}

/** `workload.smbw:1234: op.offset must be a non-negative integer`, one per line. */
export function formatIrProblems(path: string, validation: IrValidation): string {
  const name = basename(path);
  const lines = validation.errors.map((e) => `${name}:${e.line}: ${e.message}`);
  if (validation.truncated) lines.push(`${name}: further problems not shown`);
  return lines.join('\n');
}

/**
 * Throws the first problem of a workload as one IrFileError (with how many more there are), so a
 * damaged or tampered file is refused before anything connects or is written to a share: schema,
 * paths (no `..`, no absolute or over-long names), handle references, counts and the content
 * hash are all checked first (issue #11.6).
 */
export async function assertValidIr(path: string): Promise<void> {
  const validation = await validateIr(path, { maxErrors: 2 });
  const first = validation.errors[0];
  if (first === undefined) return;
  const more = validation.errors.length > 1 ? ' (and more problems: see `smbench inspect`)' : '';
  throw irErrorAt(path, first.line, `${first.message}${more}`);
}
