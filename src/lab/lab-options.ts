import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

/**
 * What a caller can ask of the local Samba lab, and the defaults that make `startSambaLab({})` useful
 * on its own. Values use Samba's own smb.conf spellings so they can be passed straight through.
 */

/** `server min protocol` / `server max protocol` values (smb.conf(5)). Samba 4.11+ has no SMB1 by default. */
export const SambaProtocol = {
  NT1: 'NT1',
  SMB2: 'SMB2',
  SMB2_02: 'SMB2_02',
  SMB2_10: 'SMB2_10',
  SMB3: 'SMB3',
  SMB3_00: 'SMB3_00',
  SMB3_02: 'SMB3_02',
  SMB3_11: 'SMB3_11',
} as const;
export type SambaProtocol = (typeof SambaProtocol)[keyof typeof SambaProtocol];

/** `server signing`: `required` makes the server set SMB2_NEGOTIATE_SIGNING_REQUIRED (MS-SMB2 2.2.4). */
export const SambaSigning = { auto: 'auto', required: 'required', disabled: 'disabled' } as const;
export type SambaSigning = (typeof SambaSigning)[keyof typeof SambaSigning];

/**
 * `server smb encrypt` (4.15+; `smb encrypt` before). `required` on the global section sets
 * SMB2_SESSION_FLAG_ENCRYPT_DATA (MS-SMB2 2.2.6), on a share SMB2_SHAREFLAG_ENCRYPT_DATA (2.2.10).
 * `default` leaves the parameter out so Samba encrypts only when the client asks.
 */
export const SambaEncrypt = {
  default: 'default',
  off: 'off',
  if_required: 'if_required',
  desired: 'desired',
  required: 'required',
} as const;
export type SambaEncrypt = (typeof SambaEncrypt)[keyof typeof SambaEncrypt];

export interface LabUserOptions {
  readonly user: string;
  readonly password: string;
}

export interface LabShareOptions {
  readonly name: string;
  /** Per-share `server smb encrypt`; omitted means "inherit the global setting". */
  readonly encrypt?: SambaEncrypt;
  /** Extra share parameters, rendered verbatim after the defaults (so they win). */
  readonly extra?: Readonly<Record<string, string>>;
  /**
   * Serve alternate data streams (`file:stream`, MS-FSCC 2.1.5) from user xattrs, as macOS and
   * Windows servers do; default true. False gives a share that refuses stream names.
   */
  readonly streams?: boolean;
}

export interface LabOptions {
  /** TCP port for `smb ports`; default: a free ephemeral port on 127.0.0.1 (never 445). */
  readonly port?: number;
  /** Share names (or share options); default `['bench']`. */
  readonly shares?: readonly (string | LabShareOptions)[];
  /** Accounts to create; default one `smbench` user with {@link DEFAULT_LAB_PASSWORD}. */
  readonly users?: readonly LabUserOptions[];
  readonly minProtocol?: SambaProtocol;
  readonly maxProtocol?: SambaProtocol;
  readonly signing?: SambaSigning;
  readonly encrypt?: SambaEncrypt;
  /** Extra [global] parameters, rendered last so they override the lab's defaults. */
  readonly extraGlobal?: Readonly<Record<string, string>>;
  /** smbd debug level (0-10); default 1. */
  readonly logLevel?: number;
  /** Keep the temp directory after stop() (for post-mortems). */
  readonly keep?: boolean;
  /** How long to wait for smbd to answer an SMB2 NEGOTIATE; default 20 s. */
  readonly startTimeoutMs?: number;
  /** Where to create the lab directory; default os.tmpdir(). */
  readonly parentDir?: string;
  /**
   * Let smbd outlive this process (for `smbench lab up`): no exit hook, the child is unref'd and
   * must be stopped later by pid with {@link stopLabByState}.
   */
  readonly detached?: boolean;
}

/** The default account. Documented in the README; it only ever guards a loopback-only throwaway server. */
export const DEFAULT_LAB_USER = 'smbench';
export const DEFAULT_LAB_PASSWORD = 'smbench-lab-Passw0rd';
export const DEFAULT_LAB_SHARE = 'bench';
/** NetBIOS name of the lab server; a standalone server's local SAM domain has this name. */
export const LAB_NETBIOS_NAME = 'SMBENCHLAB';
export const LAB_WORKGROUP = 'SMBENCH';
export const LAB_HOST = '127.0.0.1';
export const DEFAULT_START_TIMEOUT_MS = 20_000;

export interface ResolvedShare {
  readonly name: string;
  readonly encrypt: SambaEncrypt | undefined;
  readonly extra: Readonly<Record<string, string>>;
  readonly streams: boolean;
}

/** Share names become directory names and smb.conf section headers, so keep them boring. */
const SHARE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
/** Unix account names: a portable subset of what useradd accepts (no spaces, colons or slashes). */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const RESERVED_SHARES = new Set(['global', 'homes', 'printers', 'ipc$']);

export function resolveShares(shares: LabOptions['shares']): ResolvedShare[] {
  const list = shares === undefined || shares.length === 0 ? [DEFAULT_LAB_SHARE] : shares;
  const seen = new Set<string>();
  return list.map((entry) => {
    const share: LabShareOptions = typeof entry === 'string' ? { name: entry } : entry;
    if (!SHARE_NAME.test(share.name) || RESERVED_SHARES.has(share.name.toLowerCase())) {
      throw usage(`invalid lab share name ${JSON.stringify(share.name)}`);
    }
    const key = share.name.toLowerCase();
    if (seen.has(key)) throw usage(`duplicate lab share name ${JSON.stringify(share.name)}`);
    seen.add(key);
    return {
      name: share.name,
      encrypt: share.encrypt,
      extra: share.extra ?? {},
      streams: share.streams ?? true,
    };
  });
}

export function resolveUsers(users: LabOptions['users']): LabUserOptions[] {
  const list =
    users === undefined || users.length === 0
      ? [{ user: DEFAULT_LAB_USER, password: DEFAULT_LAB_PASSWORD }]
      : users;
  const seen = new Set<string>();
  for (const { user, password } of list) {
    if (!USER_NAME.test(user)) throw usage(`invalid lab user name ${JSON.stringify(user)}`);
    if (seen.has(user)) throw usage(`duplicate lab user ${JSON.stringify(user)}`);
    // pdbedit -t reads the password as a line from stdin.
    if (password.length === 0 || /[\r\n]/.test(password)) {
      throw usage(`lab password for ${user} must be non-empty and single-line`);
    }
    seen.add(user);
  }
  return list.map(({ user, password }) => ({ user, password }));
}

function usage(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, message);
}
