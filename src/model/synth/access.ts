/**
 * Which access a synthesised open must have been granted for the ops the chain put on it
 * (MS-SMB2 2.2.13.1 access masks; MS-SMB2 3.3.5.x checks). A template learned from one session may
 * be paired with actions from another, so missing rights are added rather than replayed as
 * STATUS_ACCESS_DENIED the original never saw.
 */
import type { SessionAction } from '../path-role.js';

const FILE_READ_DATA = 0x1;
const FILE_WRITE_DATA = 0x2;
const FILE_APPEND_DATA = 0x4;
const FILE_READ_ATTRIBUTES = 0x80;
const FILE_WRITE_ATTRIBUTES = 0x100;
const DELETE = 0x10000;
const MAXIMUM_ALLOWED = 0x02000000;
const GENERIC_ALL = 0x10000000;
const GENERIC_WRITE = 0x40000000;
const GENERIC_READ = 0x80000000;

/** Rights one action needs; any bit of a group suffices (e.g. write or append for a flush). */
const NEEDS: Readonly<Record<SessionAction, number>> = {
  create: 0,
  close: 0,
  read: FILE_READ_DATA,
  write: FILE_WRITE_DATA,
  flush: FILE_WRITE_DATA | FILE_APPEND_DATA,
  lock: FILE_READ_DATA | FILE_WRITE_DATA,
  query_info: FILE_READ_ATTRIBUTES,
  query_directory: FILE_READ_DATA,
  'set_info.rename': DELETE,
  'set_info.disposition': DELETE,
  'set_info.end_of_file': FILE_WRITE_DATA,
  'set_info.allocation': FILE_WRITE_DATA,
  'set_info.basic': FILE_WRITE_ATTRIBUTES,
};

/** The generic rights expanded the way a file system maps them (MS-SMB2 2.2.13.1.1 notes). */
function effective(mask: number): number {
  if ((mask & (GENERIC_ALL | MAXIMUM_ALLOWED)) !== 0) return 0xffffffff;
  let m = mask;
  if ((mask & GENERIC_READ) !== 0) m |= FILE_READ_DATA | FILE_READ_ATTRIBUTES;
  if ((mask & GENERIC_WRITE) !== 0) m |= FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_ATTRIBUTES;
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
