/**
 * Picking the CREATE request of a synthesised session: a template learned for the path role,
 * preferring one whose access already allows the session's actions, adjusted so the open does
 * what the role says (creates a new file or directory, opens an existing one, or fails on a name
 * that does not exist). Constants are MS-SMB2 2.2.13 / 2.2.14.
 */
import { sampleWeighted } from '../categorical.js';
import type { Weighted } from '../categorical.js';
import type { CreateTemplate, UserModel } from '../model-types.js';
import type { PathRole, SessionAction } from '../path-role.js';
import type { Prng } from '../prng.js';
import { accessCovers, withAccessFor } from './access.js';

export const FILE_SUPERSEDE = 0;
export const FILE_OPEN = 1;
export const FILE_CREATE = 2;
export const FILE_OPEN_IF = 3;
export const FILE_OVERWRITE = 4;
export const FILE_OVERWRITE_IF = 5;
export const FILE_DIRECTORY_FILE = 0x1;
export const FILE_NON_DIRECTORY_FILE = 0x40;
export const FILE_DELETE_ON_CLOSE = 0x1000;

/** CreateAction values of the response (MS-SMB2 2.2.14). */
export const CreateAction = { SUPERSEDED: 0, OPENED: 1, CREATED: 2, OVERWRITTEN: 3 } as const;

/** Used only when a model has no template at all for a role (a hand-edited model). */
const DEFAULT_TEMPLATE: CreateTemplate = {
  desiredAccess: 0x0012019f,
  fileAttributes: 0,
  shareAccess: 7,
  createDisposition: FILE_OPEN_IF,
  createOptions: 0,
  oplockLevel: 0,
  impersonationLevel: 2,
};

export function chooseCreate(
  model: UserModel,
  role: PathRole,
  actions: readonly SessionAction[],
  rng: Prng,
): CreateTemplate {
  const all: readonly Weighted<CreateTemplate>[] = Object.hasOwn(model.templates.create, role)
    ? model.templates.create[role]!
    : [];
  const fitting = all.filter((w) => accessCovers(w.value.desiredAccess, actions));
  const base = sampleWeighted(fitting.length > 0 ? fitting : all, rng) ?? DEFAULT_TEMPLATE;
  return adjustForRole({ ...base, desiredAccess: withAccessFor(base.desiredAccess, actions) }, role);
}

function adjustForRole(t: CreateTemplate, role: PathRole): CreateTemplate {
  const d = t.createDisposition;
  switch (role) {
    case 'new_dir':
      return {
        ...t,
        createDisposition: d === FILE_CREATE ? d : FILE_OPEN_IF,
        createOptions: (t.createOptions | FILE_DIRECTORY_FILE) & ~FILE_NON_DIRECTORY_FILE,
      };
    case 'new':
      // Any disposition that creates a missing file; FILE_OPEN and FILE_OVERWRITE do not.
      return d === FILE_OPEN || d === FILE_OVERWRITE ? { ...t, createDisposition: FILE_OPEN_IF } : t;
    case 'missing':
      // Only FILE_OPEN / FILE_OVERWRITE fail on a missing name (STATUS_OBJECT_NAME_NOT_FOUND).
      return d === FILE_OPEN || d === FILE_OVERWRITE ? t : { ...t, createDisposition: FILE_OPEN };
    default:
      // An existing object: FILE_CREATE would collide.
      return d === FILE_CREATE ? { ...t, createDisposition: FILE_OPEN_IF } : t;
  }
}

/** What the server answers for an open of an existing object, and whether it truncates it. */
export function openExisting(disposition: number): { action: number; truncates: boolean } {
  if (disposition === FILE_SUPERSEDE) return { action: CreateAction.SUPERSEDED, truncates: true };
  if (disposition === FILE_OVERWRITE || disposition === FILE_OVERWRITE_IF) {
    return { action: CreateAction.OVERWRITTEN, truncates: true };
  }
  return { action: CreateAction.OPENED, truncates: false };
}
