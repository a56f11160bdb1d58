/**
 * The lab's state file: what `smbench lab up` leaves behind so that a later `lab status` or
 * `lab down` (a different process) can find the detached smbd by pid and its directory.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export const LAB_STATE_VERSION = 1;
export const DEFAULT_LAB_STATE_PATH = join('.smbench', 'lab.json');

export interface LabShareState {
  readonly name: string;
  readonly path: string;
}

export interface LabUserState {
  readonly user: string;
  readonly password: string;
  /** The NTLM domain to authenticate with: a standalone server's own NetBIOS name. */
  readonly domain: string;
}

export interface LabState {
  readonly version: typeof LAB_STATE_VERSION;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly confPath: string;
  readonly logPath: string;
  readonly shares: readonly LabShareState[];
  readonly users: readonly LabUserState[];
  readonly smbdVersion: string;
  /** ISO-8601. */
  readonly startedAt: string;
  readonly keep: boolean;
}

export async function writeLabState(path: string, state: LabState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write-then-rename so a concurrent reader never sees half a file. 0600: it holds passwords.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** Reads a state file; undefined if there is none, an ERR_LAB error if it is unreadable or invalid. */
export async function readLabState(path: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SmbBenchError(ErrorCode.LAB, `cannot read lab state ${path}`, { cause: err });
  }
  try {
    return parseLabState(JSON.parse(text));
  } catch (cause) {
    throw new SmbBenchError(ErrorCode.LAB, `invalid lab state file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

export async function removeLabState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Validates an untrusted JSON value as a LabState; throws TypeError naming the bad field. */
export function parseLabState(value: unknown): LabState {
  const o = record(value, 'state');
  if (o['version'] !== LAB_STATE_VERSION) throw new TypeError(`unsupported version ${String(o['version'])}`);
  return {
    version: LAB_STATE_VERSION,
    host: str(o, 'host'),
    port: int(o, 'port'),
    pid: int(o, 'pid'),
    dir: str(o, 'dir'),
    confPath: str(o, 'confPath'),
    logPath: str(o, 'logPath'),
    shares: list(o, 'shares').map((s, i) => {
      const share = record(s, `shares[${i}]`);
      return { name: str(share, 'name'), path: str(share, 'path') };
    }),
    users: list(o, 'users').map((u, i) => {
      const user = record(u, `users[${i}]`);
      return { user: str(user, 'user'), password: str(user, 'password'), domain: str(user, 'domain') };
    }),
    smbdVersion: str(o, 'smbdVersion'),
    startedAt: str(o, 'startedAt'),
    keep: o['keep'] === true,
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new TypeError(`${key} is not a string`);
  return v;
}

function int(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new TypeError(`${key} is not a positive integer`);
  return v;
}

function list(o: Record<string, unknown>, key: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new TypeError(`${key} is not an array`);
  return v;
}
