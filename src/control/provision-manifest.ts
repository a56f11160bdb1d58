/**
 * The record of what a provisioning run changed in the directory, so `smbench users deprovision`
 * can undo exactly that and nothing else: objects it created (users, the OU, the group) are
 * deleted; group memberships it added to pre-existing users are removed; objects that existed
 * before are left alone. Re-runs merge into the same manifest.
 */
import { readFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { normalizeDn } from './ldap-escape.js';
import { writePrivateFile } from './users-file.js';

export const MANIFEST_VERSION = 1;

export interface ManifestObject {
  readonly dn: string;
  /** True if this tool created it (then deprovision deletes it). */
  readonly created: boolean;
}

export interface ManifestGroup extends ManifestObject {
  readonly name: string;
}

export interface ManifestUser extends ManifestObject {
  readonly samAccountName: string;
  /** True if this tool added the user to the manifest's group (then deprovision removes it). */
  readonly addedToGroup: boolean;
}

export interface ProvisionManifest {
  readonly version: typeof MANIFEST_VERSION;
  readonly ldapUrl: string;
  readonly baseDn: string;
  /** NetBIOS domain written to the users file. */
  readonly domain: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly ou: ManifestObject;
  readonly group?: ManifestGroup | undefined;
  readonly users: readonly ManifestUser[];
}

/**
 * Folds a new run into the previous manifest: "created" is sticky (a user created by run 1 and
 * skipped by run 2 is still ours), and users are keyed by DN.
 */
export function mergeManifests(
  previous: ProvisionManifest | undefined,
  next: ProvisionManifest,
): ProvisionManifest {
  if (previous === undefined) return next;
  const users = new Map<string, ManifestUser>();
  for (const u of previous.users) users.set(normalizeDn(u.dn), u);
  for (const u of next.users) {
    const key = normalizeDn(u.dn);
    const old = users.get(key);
    users.set(key, {
      ...u,
      created: u.created || (old?.created ?? false),
      addedToGroup: u.addedToGroup || (old?.addedToGroup ?? false),
    });
  }
  const sameOu = normalizeDn(previous.ou.dn) === normalizeDn(next.ou.dn);
  const sameGroup =
    previous.group !== undefined &&
    next.group !== undefined &&
    normalizeDn(previous.group.dn) === normalizeDn(next.group.dn);
  return {
    ...next,
    createdAt: previous.createdAt,
    ou: { dn: next.ou.dn, created: next.ou.created || (sameOu && previous.ou.created) },
    group:
      next.group === undefined
        ? previous.group
        : { ...next.group, created: next.group.created || (sameGroup && previous.group!.created) },
    users: [...users.values()],
  };
}

export async function writeManifest(path: string, manifest: ProvisionManifest): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Undefined when the file does not exist; ERR_USAGE when it is not a manifest. */
export async function readManifestIfPresent(path: string): Promise<ProvisionManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SmbBenchError(ErrorCode.USAGE, `cannot read manifest ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return parseManifest(JSON.parse(text));
  } catch (cause) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `${path} is not a smbench provisioning manifest: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

export async function readManifest(path: string): Promise<ProvisionManifest> {
  const manifest = await readManifestIfPresent(path);
  if (manifest === undefined) throw new SmbBenchError(ErrorCode.USAGE, `manifest ${path} does not exist`);
  return manifest;
}

/** Validates untrusted JSON; throws TypeError naming the bad field. */
export function parseManifest(value: unknown): ProvisionManifest {
  const o = obj(value, 'manifest');
  if (o['version'] !== MANIFEST_VERSION) throw new TypeError(`unsupported version ${String(o['version'])}`);
  const ou = obj(o['ou'], 'ou');
  const group = o['group'] === undefined ? undefined : obj(o['group'], 'group');
  if (!Array.isArray(o['users'])) throw new TypeError('users is not an array');
  return {
    version: MANIFEST_VERSION,
    ldapUrl: str(o, 'ldapUrl'),
    baseDn: str(o, 'baseDn'),
    domain: str(o, 'domain'),
    createdAt: str(o, 'createdAt'),
    updatedAt: str(o, 'updatedAt'),
    ou: { dn: str(ou, 'dn'), created: bool(ou, 'created') },
    group:
      group === undefined
        ? undefined
        : { dn: str(group, 'dn'), name: str(group, 'name'), created: bool(group, 'created') },
    users: o['users'].map((u: unknown, i) => {
      const user = obj(u, `users[${i}]`);
      return {
        dn: str(user, 'dn'),
        samAccountName: str(user, 'samAccountName'),
        created: bool(user, 'created'),
        addedToGroup: bool(user, 'addedToGroup'),
      };
    }),
  };
}

function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new TypeError(`${key} is not a string`);
  return v;
}

function bool(o: Record<string, unknown>, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new TypeError(`${key} is not a boolean`);
  return v;
}
