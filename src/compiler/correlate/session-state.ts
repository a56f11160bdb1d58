/**
 * Sessions and trees as the capture reveals them. A SessionId is global to the server (a bound
 * channel on another connection reuses it, MS-SMB2 3.3.5.5.2), so sessions live in one table keyed
 * by SessionId; trees and opens belong to their session (MS-SMB2 3.3.1.8, 3.3.1.10).
 */
import type { ConnectionState } from './connection-state.js';
import type { HandleRef } from './handle-ref.js';
import { RecentFileIds } from './recent-file-ids.js';
import type { UserState } from './user-state.js';
import { WideIdMap } from './wide-id-map.js';

/** How the session authenticated, from the first token of its SESSION_SETUP. */
export const AuthMechanism = {
  NTLM: 'ntlm',
  KERBEROS: 'kerberos',
  ANONYMOUS: 'anonymous',
  UNKNOWN: 'unknown',
} as const;
export type AuthMechanism = (typeof AuthMechanism)[keyof typeof AuthMechanism];

/** What kind of share a tree is connected to (MS-SMB2 2.2.10 ShareType). */
export const TreeKind = { DISK: 'disk', PIPE: 'pipe', PRINT: 'print' } as const;
export type TreeKind = (typeof TreeKind)[keyof typeof TreeKind];

export interface TreeState {
  /** Share name, the last component of `\\server\share`. */
  readonly share: string;
  kind: TreeKind;
  /**
   * Prefix for paths on this tree inside the user's IR tree: '' for the user's first disk share,
   * `<share>` for any further one (so two shares never collide in one replay directory). Settled
   * on first use, when the session's user is known.
   */
  prefix: string | undefined;
  /** Made up for a TreeId whose TREE_CONNECT preceded the capture (correlate/synthesis.ts). */
  readonly synthetic?: boolean;
  /** A synthetic tree's first CREATE was looked at for a pipe name. */
  probed?: boolean;
}

export class SessionState {
  user: UserState | undefined = undefined;
  mechanism: AuthMechanism = AuthMechanism.UNKNOWN;
  /** `DOMAIN\user` found in the NTLM AUTHENTICATE message, until the final response accepts it. */
  pendingName: string | undefined = undefined;
  /** SESSION_SETUP completed with STATUS_SUCCESS at least once in the capture. */
  established = false;
  readonly trees = new Map<number, TreeState>();
  /** Opens by FileId.Volatile; the persistent half is compared on lookup. */
  readonly handles = new WideIdMap<HandleRef>();
  /** FileIds closed lately: later requests on them are not on files opened before the capture. */
  readonly closed = new RecentFileIds();
  /** Connections still open that carried this session's requests (MS-SMB2 3.3.1.8 channels). */
  readonly connections = new Set<ConnectionState>();

  constructor(
    readonly idLo: number,
    readonly idHi: number,
  ) {}
}

/** Looks up the open for a FileId given as its four 32-bit halves. */
export function findHandle(
  session: SessionState,
  pLo: number,
  pHi: number,
  vLo: number,
  vHi: number,
): HandleRef | undefined {
  const h = session.handles.get(vLo, vHi);
  if (h === undefined || h.persistentLo !== pLo || h.persistentHi !== pHi) return undefined;
  return h;
}
