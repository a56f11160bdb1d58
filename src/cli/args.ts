/**
 * A tiny typed layer over node:util parseArgs: one flag table per command gives both the parser
 * and the help text, flag values come back typed, and every mistake is a USAGE error (exit 2).
 */
import { parseArgs } from 'node:util';
import { usageError } from './cli-command.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable: the value is a string[] in the order given. */
  readonly multiple?: boolean;
  /** Shown in help, e.g. `--port N`. */
  readonly valueName?: string;
  readonly description: string;
}
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string | undefined;
export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: FlagValue<S[K]> };

export interface ParsedArgs<S extends FlagSpecs> {
  readonly flags: ParsedFlags<S>;
  readonly positionals: string[];
}

export function parseFlags<S extends FlagSpecs>(
  argv: readonly string[],
  specs: S,
  opts: { maxPositionals?: number } = {},
): ParsedArgs<S> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs' messages are already good ("Unknown option '--x'"); only the error kind changes.
    throw usageError((err as Error).message);
  }
  const maxPositionals = opts.maxPositionals ?? Infinity;
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`);
  }
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = parsed.values[name];
    if (spec.type === 'boolean') flags[name] = value === true;
    else if (spec.multiple === true) flags[name] = Array.isArray(value) ? value : [];
    else flags[name] = value;
  }
  return { flags: flags as ParsedFlags<S>, positionals: parsed.positionals };
}

/** Parses an integer flag value within [min, max]; undefined stays undefined. */
export function intFlag(
  value: string | undefined,
  name: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Checks a flag value against a closed set (an `as const` object's values). */
export function choiceFlag<T extends string>(
  value: string | undefined,
  name: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw usageError(`--${name} must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
}

/** Splits `key=value` (the first `=`), as used by repeatable option flags. */
export function keyValueFlag(value: string, name: string): [key: string, value: string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw usageError(`--${name} expects KEY=VALUE, got ${JSON.stringify(value)}`);
  return [value.slice(0, eq).trim(), value.slice(eq + 1).trim()];
}

/** The "Options:" block of a help text, generated from the same table the parser uses. */
export function formatFlagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    const repeat = spec.multiple === true ? ' (repeatable)' : '';
    return [`  ${short}--${name}${value}`, `${spec.description}${repeat}`] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `${left.padEnd(width)}${right}`).join('\n');
}
