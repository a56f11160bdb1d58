/**
 * Alternate data streams in IR paths (docs/ir.md, "Streams"). A path names a stream the way the
 * wire does, `file:stream` or `file:stream:$DATA` (MS-FSCC 2.1.5.1: `filename:streamname:streamtype`);
 * `file::$DATA` is the file's default (unnamed) data stream, i.e. the file itself. A share-root
 * stream is `:stream`. Only the last component can carry a stream.
 */
import type { IrPath } from './types.js';

export interface StreamPath {
  /** The file or directory the stream belongs to (`''` for the share root). */
  readonly base: IrPath;
  /** Stream name without colons or type; undefined for the default data stream (the base itself). */
  readonly stream: string | undefined;
}

/** Splits `dir/file:name:$DATA` into `dir/file` and `name`. */
export function splitStreamPath(path: IrPath): StreamPath {
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon < 0) return { base: path, stream: undefined };
  const base = path.slice(0, colon);
  const rest = path.slice(colon + 1);
  const typeColon = rest.indexOf(':');
  // The type ($DATA, or $INDEX_ALLOCATION for a directory's own data) is not part of the name.
  const name = typeColon < 0 ? rest : rest.slice(0, typeColon);
  return { base, stream: name === '' ? undefined : name };
}

/** Whether a path names a named stream (not a file, directory or default data stream). */
export function isStreamPath(path: IrPath): boolean {
  return path.includes(':') && splitStreamPath(path).stream !== undefined;
}

/** The path of stream `name` of `base`, as the wire spells it. */
export function streamPathOf(base: IrPath, name: string): IrPath {
  return `${base}:${name}`;
}

/** Why a string cannot be a stream name in an `ns` record (MS-FSCC 2.1.5.1), or undefined. */
export function streamNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (/[:/\\\0]/.test(name)) return 'must not contain ":", "/", "\\" or NUL';
  return undefined;
}
