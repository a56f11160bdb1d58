/**
 * Where a synthesised session goes: the path its role calls for in the user's current tree, or,
 * when the tree cannot honour the role (`same` after the file was deleted, `sibling` in a
 * directory with one file), another existing file (`other`) or a new one, counted as a fallback.
 */
import { irJoinPath, irParentPath } from '../../ir/index.js';
import type { UserModel } from '../model-types.js';
import type { PathRole } from '../path-role.js';
import type { Prng } from '../prng.js';
import type { UserFiles } from './user-files.js';

/** Where the user "is", carried from session to session (for same / sibling / child / new). */
export interface Locality {
  prevPath: string | undefined;
  prevWasDir: boolean;
  /** The directory new names go into. */
  location: string;
  nextHandle: number;
  /** Sessions whose role could not be honoured and used another. */
  fallbacks: number;
}

export function resolvePath(
  model: UserModel,
  rng: Prng,
  files: UserFiles,
  here: Locality,
  wanted: PathRole,
): { role: PathRole; path: string } {
  const pick = (candidates: string[]): string | undefined =>
    candidates.length > 0 ? rng.pick(candidates) : undefined;
  let path: string | undefined;
  switch (wanted) {
    case 'dir':
      return { role: wanted, path: rng.next() < model.namespace.rootDirShare ? '' : rng.pick(files.dirs) };
    case 'new_dir':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('newdir-', '')) };
    case 'new':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('new-')) };
    case 'missing':
      return { role: wanted, path: irJoinPath(here.location, files.freshName('missing-')) };
    case 'same':
      path = here.prevPath !== undefined && files.files.has(here.prevPath) ? here.prevPath : undefined;
      break;
    case 'sibling':
      if (here.prevPath !== undefined && !here.prevWasDir) {
        const dir = irParentPath(here.prevPath) ?? '';
        path = pick(files.filesIn(dir).filter((p) => p !== here.prevPath));
      }
      break;
    case 'child':
      if (here.prevPath !== undefined && here.prevWasDir) path = pick(files.filesIn(here.prevPath));
      break;
    case 'other':
      path = pick([...files.files.keys()]);
      break;
  }
  if (path !== undefined) return { role: wanted, path };
  here.fallbacks++;
  const other = pick([...files.files.keys()]);
  if (other !== undefined) return { role: 'other', path: other };
  return { role: 'new', path: irJoinPath(here.location, files.freshName('new-')) };
}
