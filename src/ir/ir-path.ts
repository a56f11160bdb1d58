/**
 * Share-relative IR paths (docs/ir.md, "Paths"). The wire uses `\`-separated names relative to the
 * share root (MS-SMB2 2.2.13: the name "MUST NOT begin with a separator"); the IR uses `/` so paths
 * read the same on every platform and join directly under the runner's `<run-root>/<user>/`.
 */
import type { IrPath } from './types.js';

export const IR_ROOT_PATH: IrPath = '';

/**
 * The longest name an SMB2 request can carry: NameLength is a 16-bit byte count of UTF-16
 * (MS-SMB2 2.2.13), so 32,767 code units. No captured name is longer; a longer IR path is damage.
 */
export const IR_PATH_MAX_LENGTH = 32_767;

/**
 * Why a path is not a valid IR path, or undefined when it is. Rejects `.` and `..` so a replay can
 * never escape its per-user directory, and NUL because no file system accepts it.
 */
export function irPathProblem(path: string): string | undefined {
  if (path === '') return undefined;
  if (path.length > IR_PATH_MAX_LENGTH) {
    return `is ${path.length} characters, longer than any SMB2 name (${IR_PATH_MAX_LENGTH})`;
  }
  if (path.startsWith('/')) return 'must not start with "/"';
  if (path.endsWith('/')) return 'must not end with "/"';
  if (path.includes('\\')) return 'must use "/" separators, not "\\"';
  if (path.includes('\0')) return 'must not contain NUL';
  for (const part of path.split('/')) {
    if (part === '') return 'must not contain empty components ("//")';
    if (part === '.' || part === '..') return 'must not contain "." or ".." components';
  }
  return undefined;
}

export function isIrPath(path: string): boolean {
  return irPathProblem(path) === undefined;
}

/**
 * Converts a wire file name (`dir\sub\file.txt`, possibly with a leading `\` from some clients or an
 * empty name for the share root) to an IR path. Returns undefined for names that cannot be replayed
 * safely (`..` components); `.` components and repeated separators are dropped.
 */
export function irPathFromWire(name: string): IrPath | undefined {
  const parts: string[] = [];
  for (const part of name.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..' || part.includes('\0')) return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/** Parent directory of a path; the root's parent is undefined. */
export function irParentPath(path: IrPath): IrPath | undefined {
  if (path === '') return undefined;
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Strict ancestors from the nearest up to (excluding) the root: `a/b/c` -> `a/b`, `a`. */
export function irAncestors(path: IrPath): IrPath[] {
  const out: IrPath[] = [];
  for (let p = irParentPath(path); p !== undefined && p !== ''; p = irParentPath(p)) out.push(p);
  return out;
}

export function irJoinPath(dir: IrPath, name: string): IrPath {
  return dir === '' ? name : `${dir}/${name}`;
}
