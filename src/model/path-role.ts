/**
 * Path roles: how the object a file session opens relates to what the same user did just before.
 * They let a model say "reopens the file it just closed", "opens a file in the directory it just
 * listed" or "creates a new file next to it" without keeping any path, and let synthesis pick
 * paths with the same locality in a generated namespace.
 */
export const PATH_ROLES = [
  /** An existing directory (the root included). */
  'dir',
  /** A directory the create made (CreateAction FILE_CREATED, MS-SMB2 2.2.14). */
  'new_dir',
  /** A file the create made. */
  'new',
  /** The same path as the previous session. */
  'same',
  /** Another file in the previous session's directory. */
  'sibling',
  /** A file inside the directory the previous session opened. */
  'child',
  /** Any other existing file. */
  'other',
  /** A create that failed (no handle): replayed on a name that does not exist. */
  'missing',
] as const;
export type PathRole = (typeof PATH_ROLES)[number];

/** What can happen on an open handle; set_info is split by its information class. */
export const SESSION_ACTIONS = [
  'create',
  'read',
  'write',
  'flush',
  'lock',
  'query_info',
  'query_directory',
  'set_info.rename',
  'set_info.disposition',
  'set_info.end_of_file',
  'set_info.allocation',
  'set_info.basic',
  'close',
] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** `role:action`, or the start `^` and end `$` of a user's trace. */
export type ChainState = string;
export const CHAIN_START: ChainState = '^';
export const CHAIN_END: ChainState = '$';

export function chainState(role: PathRole, action: SessionAction): ChainState {
  return `${role}:${action}`;
}

export function parseChainState(
  state: ChainState,
): { readonly role: PathRole; readonly action: SessionAction } | undefined {
  const colon = state.indexOf(':');
  if (colon < 0) return undefined;
  const role = state.slice(0, colon) as PathRole;
  const action = state.slice(colon + 1) as SessionAction;
  if (!PATH_ROLES.includes(role) || !SESSION_ACTIONS.includes(action)) return undefined;
  return { role, action };
}
