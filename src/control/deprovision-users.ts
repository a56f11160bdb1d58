/**
 * `smbench users deprovision`: undoes exactly what the manifest says provisioning did. The
 * memberships it added are removed (or the group deleted, if it created it), then the users it
 * created are deleted; users that existed before stay. The OU is deleted only if it created it and
 * only once it is empty (anything someone else put there is never touched). Objects
 * already gone count as removed, so a half-finished deprovision can simply be run again.
 */
import { forEachBounded } from './bounded-parallel.js';
import { removeGroupMembers } from './directory-objects.js';
import { LdapFailure, LdapOperationError } from './ldap-errors.js';
import type { LdapOperationError as LdapError } from './ldap-errors.js';
import { LdapSession } from './ldap-session.js';
import type { LdapConnectOptions } from './ldap-session.js';
import { writeManifest } from './provision-manifest.js';
import { DEFAULT_CONCURRENCY, DEFAULT_CONNECTIONS } from './provision-users.js';
import type { ProvisionManifest } from './provision-manifest.js';

export interface DeprovisionOptions {
  readonly connection: LdapConnectOptions;
  readonly manifest: ProvisionManifest;
  /** Where the manifest lives: rewritten with what is left if deprovisioning stops half-way. */
  readonly manifestFile?: string;
  readonly concurrency?: number;
  readonly connections?: number;
  readonly onProgress?: (progress: { total: number; done: number }) => void;
}

export interface DeprovisionResult {
  readonly usersDeleted: number;
  /** Created users that were already gone. */
  readonly usersMissing: number;
  /** Memberships this tool had added, removed from a group it did not create. */
  readonly membershipsRemoved: number;
  readonly groupDeleted: boolean;
  readonly ouDeleted: boolean;
  /** Why the OU was kept, when it was created by us but not deleted. */
  readonly ouKeptReason: string | undefined;
  readonly elapsedMs: number;
}

export async function deprovisionUsers(opts: DeprovisionOptions): Promise<DeprovisionResult> {
  const started = Date.now();
  const { manifest } = opts;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const count = Math.max(1, Math.min(opts.connections ?? DEFAULT_CONNECTIONS, concurrency));
  const sessions = [await LdapSession.open(opts.connection)];
  try {
    for (let i = 1; i < count; i++) sessions.push(await LdapSession.open(opts.connection));
    const main = sessions[0]!;
    const created = manifest.users.filter((u) => u.created);
    const remaining = new Set(created.map((u) => u.dn));
    let usersDeleted = 0;
    let usersMissing = 0;
    let membershipsRemoved = 0;
    let groupDeleted = false;
    let ouDeleted = false;
    let ouKeptReason: string | undefined;
    try {
      // The group before the users: every user deleted while still a member makes the DC rewrite
      // the group's member list (a linked attribute, MS-ADTS 3.1.1.1.6), which is quadratic for a
      // big group; one batched removal (or deleting our own group) is not.
      const group = manifest.group;
      if (group?.created === true) groupDeleted = await deleteIfPresent(main, group.dn);
      else if (group !== undefined) {
        const added = manifest.users.filter((u) => u.addedToGroup).map((u) => u.dn);
        if (added.length > 0) membershipsRemoved = (await removeGroupMembers(main, group.dn, added)).length;
      }
      await forEachBounded(created, concurrency, async (user, _i, worker) => {
        const deleted = await deleteIfPresent(sessions[worker % sessions.length]!, user.dn);
        if (deleted) usersDeleted++;
        else usersMissing++;
        remaining.delete(user.dn);
        opts.onProgress?.({ total: created.length, done: usersDeleted + usersMissing });
      });
      if (manifest.ou.created) {
        const children = await main
          .searchAll(manifest.ou.dn, '(objectClass=*)', ['1.1'], 'one')
          .catch((err: unknown) => {
            if ((err as LdapError).failure === LdapFailure.NO_SUCH_OBJECT) return undefined;
            throw err;
          });
        if (children === undefined) ouKeptReason = 'already gone';
        else if (children.length > 0) {
          ouKeptReason = `it still holds ${children.length} object(s) smbench did not create`;
        } else ouDeleted = await deleteIfPresent(main, manifest.ou.dn);
      }
    } finally {
      if (opts.manifestFile !== undefined && remaining.size > 0) {
        // Stopped half-way: keep a manifest of what is still to be removed.
        await writeManifest(opts.manifestFile, {
          ...manifest,
          updatedAt: new Date().toISOString(),
          users: manifest.users.filter((u) => !u.created || remaining.has(u.dn)),
        });
      }
    }
    return {
      usersDeleted,
      usersMissing,
      membershipsRemoved,
      groupDeleted,
      ouDeleted,
      ouKeptReason,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

async function deleteIfPresent(session: LdapSession, dn: string): Promise<boolean> {
  try {
    await session.del(dn);
    return true;
  } catch (err) {
    if ((err as LdapError).failure === LdapFailure.NO_SUCH_OBJECT) return false;
    if ((err as LdapError).failure === LdapFailure.LDAP && (err as LdapError).resultCode === 66) {
      throw new LdapOperationError(
        LdapFailure.LDAP,
        `${dn} is not empty (something was created inside it); remove that first`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}
