/**
 * Picking the CREATE request of a synthesised session: a template learned for the path role,
 * preferring one whose access already allows the session's actions, adjusted so the open does
 * what the role says (creates a new file or directory, opens an existing one, or fails on a name
 * that does not exist). Constants are MS-SMB2 2.2.13 / 2.2.14.
 */
import {
  CreateAction,
  CreateDisposition,
  CreateOptions,
  FileAccessMask,
  ImpersonationLevel,
  OplockLevel,
  ShareAccess,
} from '../../smb2/commands/create-constants.js';
import { sampleWeighted } from '../categorical.js';
import type { Weighted } from '../categorical.js';
import type { CreateTemplate, UserModel } from '../model-types.js';
import type { PathRole, SessionAction } from '../path-role.js';
import type { Prng } from '../prng.js';
import { accessCovers, withAccessFor } from './access.js';

/**
 * Used only when a model has no template at all for a role (a hand-edited model): read, write and
 * their attributes and EAs, sharing everything.
 */
const DEFAULT_TEMPLATE: CreateTemplate = {
  desiredAccess:
    FileAccessMask.FILE_READ_DATA |
    FileAccessMask.FILE_WRITE_DATA |
    FileAccessMask.FILE_APPEND_DATA |
    FileAccessMask.FILE_READ_EA |
    FileAccessMask.FILE_WRITE_EA |
    FileAccessMask.FILE_READ_ATTRIBUTES |
    FileAccessMask.FILE_WRITE_ATTRIBUTES |
    FileAccessMask.READ_CONTROL |
    FileAccessMask.SYNCHRONIZE,
  fileAttributes: 0,
  shareAccess: ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE | ShareAccess.FILE_SHARE_DELETE,
  createDisposition: CreateDisposition.FILE_OPEN_IF,
  createOptions: 0,
  oplockLevel: OplockLevel.SMB2_OPLOCK_LEVEL_NONE,
  impersonationLevel: ImpersonationLevel.Impersonation,
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
        createDisposition: d === CreateDisposition.FILE_CREATE ? d : CreateDisposition.FILE_OPEN_IF,
        createOptions:
          (t.createOptions | CreateOptions.FILE_DIRECTORY_FILE) & ~CreateOptions.FILE_NON_DIRECTORY_FILE,
      };
    case 'new':
      // Any disposition that creates a missing file; FILE_OPEN and FILE_OVERWRITE do not.
      return d === CreateDisposition.FILE_OPEN || d === CreateDisposition.FILE_OVERWRITE
        ? { ...t, createDisposition: CreateDisposition.FILE_OPEN_IF }
        : t;
    case 'missing':
      // Only FILE_OPEN / FILE_OVERWRITE fail on a missing name (STATUS_OBJECT_NAME_NOT_FOUND).
      return d === CreateDisposition.FILE_OPEN || d === CreateDisposition.FILE_OVERWRITE
        ? t
        : { ...t, createDisposition: CreateDisposition.FILE_OPEN };
    default:
      // An existing object: FILE_CREATE would collide.
      return d === CreateDisposition.FILE_CREATE
        ? { ...t, createDisposition: CreateDisposition.FILE_OPEN_IF }
        : t;
  }
}

/** What the server answers for an open of an existing object, and whether it truncates it. */
export function openExisting(disposition: number): { action: number; truncates: boolean } {
  if (disposition === CreateDisposition.FILE_SUPERSEDE)
    return { action: CreateAction.FILE_SUPERSEDED, truncates: true };
  if (
    disposition === CreateDisposition.FILE_OVERWRITE ||
    disposition === CreateDisposition.FILE_OVERWRITE_IF
  ) {
    return { action: CreateAction.FILE_OVERWRITTEN, truncates: true };
  }
  return { action: CreateAction.FILE_OPENED, truncates: false };
}
