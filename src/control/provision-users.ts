/**
 * `smbench users provision`: creates (or finds) an OU, N enabled users with passwords, optionally a
 * group that grants them the target share, and writes the users file the runner reads plus a
 * manifest of exactly what was created. Idempotent: existing users are skipped (keeping the
 * password from the previous users file) or have their password reset, as asked.
 *
 *   connect + bind (fail fast on credentials/TLS) -> read domain info -> ensure OU [+ group]
 *   -> one paged search for existing users -> adds/resets with bounded concurrency
 *   -> batched group membership -> users file + merged manifest (also written if a step fails)
 */
import { passwordResetChange, userAttributes } from './ad-attributes.js';
import { forEachBounded, percentile } from './bounded-parallel.js';
import { readDirectoryInfo } from './directory-info.js';
import type { DirectoryInfo } from './directory-info.js';
import { addGroupMembers, ensureGroup, ensureOrganizationalUnit } from './directory-objects.js';
import { LdapFailure, LdapOperationError } from './ldap-errors.js';
import type { LdapOperationError as LdapError } from './ldap-errors.js';
import { escapeDnValue, escapeFilterValue, normalizeDn, resolveOuDn } from './ldap-escape.js';
import { LdapSession, entryString, entryStrings } from './ldap-session.js';
import type { LdapConnectOptions } from './ldap-session.js';
import { generatePassword } from './password-generator.js';
import { mergeManifests, readManifestIfPresent, writeManifest } from './provision-manifest.js';
import type { ManifestUser, ProvisionManifest } from './provision-manifest.js';
import { planUserNames } from './user-plan.js';
import { readUsersCsvIfPresent, writeUsersCsv } from './users-file.js';
import type { UserCredential } from './users-file.js';

/** What to do with a planned user that already exists. */
export const ExistingUserPolicy = {
  /** Leave it; keep its password from the previous users file (or leave it out of the file). */
  skip: 'skip',
  /** Reset its password (an administrative reset, MS-ADTS 3.1.1.3.1.5.1). */
  reset: 'reset',
  /** Stop with an error. */
  fail: 'fail',
} as const;
export type ExistingUserPolicy = (typeof ExistingUserPolicy)[keyof typeof ExistingUserPolicy];

/**
 * Defaults measured against Samba 4.17: its DC applies directory writes one at a time (one
 * transaction lock for the database), so several operations pipelined on one connection keep it
 * busy, while more connections only add lock contention (16 connections were ~2x slower than 1).
 * A Windows DC processes writes in parallel; raise both there.
 */
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_CONNECTIONS = 1;

export interface ProvisionOptions {
  readonly connection: LdapConnectOptions;
  /** An OU name (created under the domain root) or a full DN. */
  readonly ou: string;
  readonly count: number;
  readonly prefix: string;
  readonly start?: number;
  readonly digits?: number;
  /** One password for every user; default: a random one each. */
  readonly password?: string;
  readonly passwordLength?: number;
  /** A group name or DN to add every user to (created in the OU if missing). */
  readonly group?: string;
  readonly existing?: ExistingUserPolicy;
  /** Operations in flight; default {@link DEFAULT_CONCURRENCY}. */
  readonly concurrency?: number;
  /** LDAP connections the operations share; default {@link DEFAULT_CONNECTIONS}. */
  readonly connections?: number;
  /** Overrides for what is otherwise read from the directory. */
  readonly baseDn?: string;
  readonly netbiosDomain?: string;
  readonly upnSuffix?: string;
  /** Default true: benchmark accounts must not expire in the middle of a run. */
  readonly passwordNeverExpires?: boolean;
  readonly usersFile: string;
  readonly manifestFile: string;
  readonly onProgress?: (progress: ProvisionProgress) => void;
}

export interface ProvisionProgress {
  readonly total: number;
  readonly done: number;
  readonly created: number;
  readonly reset: number;
  readonly skipped: number;
}

export interface ProvisionResult extends ProvisionProgress {
  readonly directory: DirectoryInfo;
  readonly ouDn: string;
  readonly ouCreated: boolean;
  readonly groupDn: string | undefined;
  readonly groupCreated: boolean;
  /** Memberships added by this run. */
  readonly addedToGroup: number;
  /** Existing users skipped whose password is unknown: left out of the users file. */
  readonly withoutPassword: readonly string[];
  /** Users in the users file. */
  readonly written: number;
  readonly elapsedMs: number;
  /** Latency of the add/reset operations, in ms. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly usersFile: string;
  readonly manifestFile: string;
}

interface ExistingUser {
  readonly dn: string;
  readonly samAccountName: string;
  readonly memberOf: readonly string[];
}

type Outcome = 'created' | 'reset' | 'skipped';

export async function provisionUsers(opts: ProvisionOptions): Promise<ProvisionResult> {
  const started = Date.now();
  const names = planUserNames({
    prefix: opts.prefix,
    count: opts.count,
    start: opts.start,
    digits: opts.digits,
  });
  const policy = opts.existing ?? ExistingUserPolicy.skip;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const sessions = await openSessions(
    opts.connection,
    Math.max(1, Math.min(opts.connections ?? DEFAULT_CONNECTIONS, concurrency)),
  );
  try {
    const main = sessions[0]!;
    if (!main.encrypted) {
      throw new LdapOperationError(
        LdapFailure.CONFIDENTIALITY_REQUIRED,
        `${opts.connection.url}: AD only accepts passwords (unicodePwd) over an encrypted connection; use ldaps:// or --starttls`,
      );
    }
    const directory = await readDirectoryInfo(main, {
      baseDn: opts.baseDn,
      netbiosDomain: opts.netbiosDomain,
    });
    const upnSuffix = opts.upnSuffix ?? directory.dnsDomain;
    const ouDn = resolveOuDn(opts.ou, directory.baseDn);
    const previousCredentials = await readUsersCsvIfPresent(opts.usersFile);
    const previousManifest = await readManifestIfPresent(opts.manifestFile);
    const ou = await ensureOrganizationalUnit(main, ouDn);
    let group: { dn: string; name: string; created: boolean } | undefined;
    let existing = new Map<string, ExistingUser>();

    const credentials = new Map<string, UserCredential>();
    const manifestUsers = new Map<string, ManifestUser>();
    const withoutPassword: string[] = [];
    const latencies: number[] = [];
    const counts = { created: 0, reset: 0, skipped: 0, done: 0 };
    const report = (outcome: Outcome): void => {
      counts[outcome]++;
      counts.done++;
      opts.onProgress?.({ total: names.length, ...counts });
    };

    const record = async (): Promise<ProvisionManifest> => {
      const now = new Date().toISOString();
      const manifest = mergeManifests(previousManifest, {
        version: 1,
        ldapUrl: opts.connection.url,
        baseDn: directory.baseDn,
        domain: directory.netbiosDomain,
        createdAt: now,
        updatedAt: now,
        ou: { dn: ouDn, created: ou.created },
        group: group === undefined ? undefined : { dn: group.dn, name: group.name, created: group.created },
        users: [...manifestUsers.values()],
      });
      await writeManifest(opts.manifestFile, manifest);
      // Users this run did not get to keep what the previous file said about them.
      await writeUsersCsv(
        opts.usersFile,
        names.flatMap(
          (n) => credentials.get(n.toLowerCase()) ?? previousCredentials.get(n.toLowerCase()) ?? [],
        ),
      );
      return manifest;
    };

    let addedToGroup = 0;
    try {
      if (opts.group !== undefined) group = await ensureGroup(main, directory.baseDn, ouDn, opts.group);
      existing = await findExistingUsers(main, directory.baseDn, opts.prefix);
      await forEachBounded(names, concurrency, async (sam, _index, worker) => {
        const session = sessions[worker % sessions.length]!;
        const found = existing.get(sam.toLowerCase());
        const password = opts.password ?? generatePassword(opts.passwordLength);
        const keep = (dn: string, created: boolean): void => {
          manifestUsers.set(normalizeDn(dn), { dn, samAccountName: sam, created, addedToGroup: false });
        };
        if (found === undefined) {
          const dn = `CN=${escapeDnValue(sam)},${ouDn}`;
          const t0 = performance.now();
          try {
            await session.add(
              dn,
              userAttributes({
                samAccountName: sam,
                userPrincipalName: `${sam}@${upnSuffix}`,
                password,
                passwordNeverExpires: opts.passwordNeverExpires ?? true,
                description: 'smbench load-test account',
              }),
            );
          } catch (err) {
            if ((err as LdapError).failure !== LdapFailure.ALREADY_EXISTS) throw err;
            // Created by someone else since our search: handle it like any existing user.
            const raced = (await findExistingUsers(session, directory.baseDn, sam)).get(sam.toLowerCase());
            if (raced === undefined) throw err;
            existing.set(sam.toLowerCase(), raced);
            return handleExisting(raced);
          }
          latencies.push(performance.now() - t0);
          keep(dn, true);
          credentials.set(sam.toLowerCase(), { user: sam, password, domain: directory.netbiosDomain });
          return report('created');
        }
        return handleExisting(found);

        async function handleExisting(user: ExistingUser): Promise<void> {
          keep(user.dn, false);
          if (policy === ExistingUserPolicy.fail) {
            throw new LdapOperationError(
              LdapFailure.ALREADY_EXISTS,
              `user ${sam} already exists (${user.dn}); use --existing skip or --existing reset`,
            );
          }
          if (policy === ExistingUserPolicy.reset) {
            const t0 = performance.now();
            await session.modify(user.dn, passwordResetChange(password), 'reset the password of');
            latencies.push(performance.now() - t0);
            credentials.set(sam.toLowerCase(), { user: sam, password, domain: directory.netbiosDomain });
            return report('reset');
          }
          const known = previousCredentials.get(sam.toLowerCase());
          if (known !== undefined)
            credentials.set(sam.toLowerCase(), { ...known, domain: directory.netbiosDomain });
          else if (opts.password === undefined) withoutPassword.push(sam);
          else
            credentials.set(sam.toLowerCase(), {
              user: sam,
              password: opts.password,
              domain: directory.netbiosDomain,
            });
          return report('skipped');
        }
      });

      if (group !== undefined) {
        const groupDn = group.dn;
        const groupKey = normalizeDn(groupDn);
        const toAdd = [...manifestUsers.values()]
          .filter(
            (u) =>
              !(existing.get(u.samAccountName.toLowerCase())?.memberOf ?? []).some(
                (g) => normalizeDn(g) === groupKey,
              ),
          )
          .map((u) => u.dn);
        const added = new Set((await addGroupMembers(main, groupDn, toAdd)).map(normalizeDn));
        addedToGroup = added.size;
        for (const [key, user] of manifestUsers) {
          if (added.has(key)) manifestUsers.set(key, { ...user, addedToGroup: true });
        }
      }
    } finally {
      // Even when a step failed, record what was created so deprovision can remove it.
      await record();
    }

    return {
      total: names.length,
      ...counts,
      directory,
      ouDn,
      ouCreated: ou.created,
      groupDn: group?.dn,
      groupCreated: group?.created ?? false,
      addedToGroup,
      withoutPassword,
      written: credentials.size,
      elapsedMs: Date.now() - started,
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: percentile(latencies, 100),
      },
      usersFile: opts.usersFile,
      manifestFile: opts.manifestFile,
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

/** Opens the first session alone (so bad credentials fail once, clearly), then the rest. */
async function openSessions(connection: LdapConnectOptions, count: number): Promise<LdapSession[]> {
  const first = await LdapSession.open(connection);
  const rest = await Promise.allSettled(
    Array.from({ length: count - 1 }, () => LdapSession.open(connection)),
  );
  const sessions = [first];
  let failure: unknown;
  for (const r of rest) {
    if (r.status === 'fulfilled') sessions.push(r.value);
    else failure ??= r.reason;
  }
  if (failure !== undefined) {
    await Promise.all(sessions.map((s) => s.close()));
    throw failure;
  }
  return sessions;
}

/** Users whose sAMAccountName starts with prefix, anywhere in the domain: one paged search. */
async function findExistingUsers(
  session: LdapSession,
  baseDn: string,
  prefix: string,
): Promise<Map<string, ExistingUser>> {
  const entries = await session.searchAll(
    baseDn,
    `(&(objectClass=user)(sAMAccountName=${escapeFilterValue(prefix)}*))`,
    ['sAMAccountName', 'memberOf'],
  );
  const out = new Map<string, ExistingUser>();
  for (const entry of entries) {
    const sam = entryString(entry, 'sAMAccountName');
    if (sam === undefined) continue;
    out.set(sam.toLowerCase(), {
      dn: entry.dn,
      samAccountName: sam,
      memberOf: entryStrings(entry, 'memberOf'),
    });
  }
  return out;
}
