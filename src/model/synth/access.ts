/**
 * Which access a synthesised open must have been granted for the ops the chain put on it
 * (MS-SMB2 2.2.13.1 access masks; MS-SMB2 3.3.5.x checks). A template learned from one session may
 * be paired with actions from another, so missing rights are added rather than replayed as
 * STATUS_ACCESS_DENIED the original never saw.
 */
import { FileAccessMask } from '../../smb2/commands/create-constants.js';
import type { SessionAction } from '../path-role.js';

/** Rights one action needs; any bit of a group suffices (e.g. write or append for a flush). */
const NEEDS: Readonly<Record<SessionAction, number>> = {
  create: 0,
  close: 0,
  read: FileAccessMask.FILE_READ_DATA,
  write: FileAccessMask.FILE_WRITE_DATA,
  flush: FileAccessMask.FILE_WRITE_DATA | FileAccessMask.FILE_APPEND_DATA,
  lock: FileAccessMask.FILE_READ_DATA | FileAccessMask.FILE_WRITE_DATA,
  query_info: FileAccessMask.FILE_READ_ATTRIBUTES,
  query_directory: FileAccessMask.FILE_READ_DATA,
  'set_info.rename': FileAccessMask.DELETE,
  'set_info.disposition': FileAccessMask.DELETE,
  'set_info.end_of_file': FileAccessMask.FILE_WRITE_DATA,
  'set_info.allocation': FileAccessMask.FILE_WRITE_DATA,
  'set_info.basic': FileAccessMask.FILE_WRITE_ATTRIBUTES,
};

/** What GENERIC_READ / GENERIC_WRITE stand for here (MS-SMB2 2.2.13.1.1 notes). */
const GENERIC_READ_RIGHTS = FileAccessMask.FILE_READ_DATA | FileAccessMask.FILE_READ_ATTRIBUTES;
const GENERIC_WRITE_RIGHTS =
  FileAccessMask.FILE_WRITE_DATA | FileAccessMask.FILE_APPEND_DATA | FileAccessMask.FILE_WRITE_ATTRIBUTES;
const GRANTS_EVERYTHING = FileAccessMask.GENERIC_ALL | FileAccessMask.MAXIMUM_ALLOWED;

/** The generic rights expanded the way a file system maps them (MS-SMB2 2.2.13.1.1 notes). */
function effective(mask: number): number {
  if ((mask & GRANTS_EVERYTHING) !== 0) return 0xffffffff;
  let m = mask;
  if ((mask & FileAccessMask.GENERIC_READ) !== 0) m |= GENERIC_READ_RIGHTS;
  if ((mask & FileAccessMask.GENERIC_WRITE) !== 0) m |= GENERIC_WRITE_RIGHTS;
  return m;
}

/** True when `mask` already allows every action. */
export function accessCovers(mask: number, actions: readonly SessionAction[]): boolean {
  const have = effective(mask);
  return actions.every((a) => NEEDS[a] === 0 || (have & NEEDS[a]) !== 0);
}

/** `mask` plus the lowest right of each group it lacks. */
export function withAccessFor(mask: number, actions: readonly SessionAction[]): number {
  let out = mask;
  for (const a of actions) {
    const need = NEEDS[a];
    if (need !== 0 && (effective(out) & need) === 0) out |= need & -need;
  }
  return out >>> 0;
}
