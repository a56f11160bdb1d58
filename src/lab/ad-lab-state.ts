/**
 * The AD lab's state file: what `smbench lab up --ad` leaves behind so that `lab status --ad`,
 * `lab down --ad` and `smbench users provision --lab` (other processes) can find the DC. Kept apart
 * from the file-server lab's state so both labs can run at once.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export const AD_LAB_STATE_VERSION = 1;
export const DEFAULT_AD_LAB_STATE_PATH = join('.smbench', 'ad-lab.json');

export interface AdLabState {
  readonly version: typeof AD_LAB_STATE_VERSION;
  /** 'SMBENCH.TEST' */
  readonly realm: string;
  /** NetBIOS domain, 'SMBENCH' */
  readonly domain: string;
  /** The DC's FQDN, 'smbenchdc.smbench.test': SPNs are cifs/<this>, and the TLS certificate's CN. */
  readonly dcHostName: string;
  /** The loopback address every service listens on (its own 127.x.y.z, see ad-options.ts). */
  readonly host: string;
  readonly smbPort: number;
  readonly kdcPort: number;
  readonly kpasswdPort: number;
  readonly ldapPort: number;
  readonly ldapsPort: number;
  /** 'DC=smbench,DC=test' */
  readonly baseDn: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Use with KRB5_CONFIG=... for kinit/smbclient -k; lists the KDC as host:kdcPort. */
  readonly krb5ConfPath: string;
  /** Samba's self-signed CA: pass as the CA file to trust the LDAPS certificate. */
  readonly caPath: string;
  /** The name to verify the LDAPS certificate against (it has no IP subjectAltName). */
  readonly tlsServerName: string;
  readonly share: string;
  readonly sharePath: string;
  /** Members may connect to the share. */
  readonly shareGroup: string;
  readonly dir: string;
  readonly confPath: string;
  readonly logPath: string;
  readonly pid: number;
  readonly sambaVersion: string;
  /** ISO-8601. */
  readonly startedAt: string;
  readonly keep: boolean;
}

export async function writeAdLabState(path: string, state: AdLabState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write-then-rename so a concurrent reader never sees half a file; 0600: it holds a password.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** Undefined when there is no state file; ERR_LAB when it is unreadable or invalid. */
export async function readAdLabState(path: string): Promise<AdLabState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SmbBenchError(ErrorCode.LAB, `cannot read AD lab state ${path}`, { cause: err });
  }
  try {
    return parseAdLabState(JSON.parse(text));
  } catch (cause) {
    throw new SmbBenchError(ErrorCode.LAB, `invalid AD lab state file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

export async function removeAdLabState(path: string): Promise<void> {
  await rm(path, { force: true });
}

const STRING_FIELDS = [
  'realm',
  'domain',
  'dcHostName',
  'host',
  'baseDn',
  'adminUser',
  'adminPassword',
  'krb5ConfPath',
  'caPath',
  'tlsServerName',
  'share',
  'sharePath',
  'shareGroup',
  'dir',
  'confPath',
  'logPath',
  'sambaVersion',
  'startedAt',
] as const;
const PORT_FIELDS = ['smbPort', 'kdcPort', 'kpasswdPort', 'ldapPort', 'ldapsPort', 'pid'] as const;

/** Validates untrusted JSON as an AdLabState; throws TypeError naming the bad field. */
export function parseAdLabState(value: unknown): AdLabState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('state is not an object');
  }
  const o = value as Record<string, unknown>;
  if (o['version'] !== AD_LAB_STATE_VERSION)
    throw new TypeError(`unsupported version ${String(o['version'])}`);
  const out: Record<string, unknown> = { version: AD_LAB_STATE_VERSION, keep: o['keep'] === true };
  for (const key of STRING_FIELDS) {
    if (typeof o[key] !== 'string') throw new TypeError(`${key} is not a string`);
    out[key] = o[key];
  }
  for (const key of PORT_FIELDS) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new TypeError(`${key} is not a positive integer`);
    out[key] = v;
  }
  return out as unknown as AdLabState;
}
