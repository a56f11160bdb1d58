/**
 * The container objects around the users: the OU they live in and the group that grants them the
 * share. Each "ensure" tells whether it created the object, which is what the manifest records.
 */
import { groupAttributes, memberChange, organizationalUnitAttributes } from './ad-attributes.js';
import { LdapFailure, LdapResultCode } from './ldap-errors.js';
import type { LdapOperationError } from './ldap-errors.js';
import { escapeDnValue, escapeFilterValue, firstRdnValue } from './ldap-escape.js';
import type { LdapSession } from './ldap-session.js';

const CREATED_BY = 'created by smbench users provision';

/** Creates the OU if missing (its parent must exist). */
export async function ensureOrganizationalUnit(
  session: LdapSession,
  ouDn: string,
): Promise<{ created: boolean }> {
  if ((await session.read(ouDn, ['objectClass'])) !== undefined) return { created: false };
  try {
    await session.add(ouDn, organizationalUnitAttributes(firstRdnValue(ouDn), CREATED_BY));
    return { created: true };
  } catch (err) {
    // Another provisioning run created it between our read and add: not ours then.
    if ((err as LdapOperationError).failure === LdapFailure.ALREADY_EXISTS) return { created: false };
    throw err;
  }
}

/** A group's DN by DN or by sAMAccountName anywhere in the domain; undefined if there is none. */
export async function findGroup(
  session: LdapSession,
  baseDn: string,
  nameOrDn: string,
): Promise<string | undefined> {
  if (nameOrDn.includes('='))
    return (await session.read(nameOrDn, ['objectClass'])) === undefined ? undefined : nameOrDn;
  const found = await session.searchAll(
    baseDn,
    `(&(objectClass=group)(sAMAccountName=${escapeFilterValue(nameOrDn)}))`,
    ['sAMAccountName'],
  );
  return found[0]?.dn;
}

/** Finds the group, or creates a global security group of that name in the OU. */
export async function ensureGroup(
  session: LdapSession,
  baseDn: string,
  ouDn: string,
  nameOrDn: string,
): Promise<{ dn: string; name: string; created: boolean }> {
  const existing = await findGroup(session, baseDn, nameOrDn);
  if (existing !== undefined)
    return {
      dn: existing,
      name: nameOrDn.includes('=') ? firstRdnValue(existing) : nameOrDn,
      created: false,
    };
  const name = nameOrDn.includes('=') ? firstRdnValue(nameOrDn) : nameOrDn;
  const dn = nameOrDn.includes('=') ? nameOrDn : `CN=${escapeDnValue(name)},${ouDn}`;
  await session.add(dn, groupAttributes(name, CREATED_BY));
  return { dn, name, created: true };
}

/** Members per modify request: big enough to save round trips, small enough to stay well under
 * AD's MaxValRange/request-size limits. */
export const MEMBER_BATCH = 200;

/**
 * Result codes meaning "already a member": RFC 4511 says attributeOrValueExists, but AD (and Samba)
 * answer entryAlreadyExists (Win32 ERROR_MEMBER_IN_GROUP).
 */
const ALREADY_MEMBER: ReadonlySet<number> = new Set([
  LdapResultCode.attributeOrValueExists,
  LdapResultCode.entryAlreadyExists,
]);
/**
 * "Not a member": RFC 4511 noSuchAttribute, or AD's unwillingToPerform (ERROR_MEMBER_NOT_IN_GROUP).
 */
const NOT_A_MEMBER: ReadonlySet<number> = new Set([
  LdapResultCode.noSuchAttribute,
  LdapResultCode.unwillingToPerform,
]);

/**
 * Adds members in batches. A batch that fails because one member is already in is retried one
 * member at a time, skipping those. Returns the DNs actually added.
 */
export async function addGroupMembers(
  session: LdapSession,
  groupDn: string,
  memberDns: readonly string[],
): Promise<string[]> {
  return changeMembers(session, groupDn, memberDns, 'add', ALREADY_MEMBER);
}

/** Removes members in batches, skipping those already gone. Returns the DNs actually removed. */
export async function removeGroupMembers(
  session: LdapSession,
  groupDn: string,
  memberDns: readonly string[],
): Promise<string[]> {
  return changeMembers(session, groupDn, memberDns, 'delete', NOT_A_MEMBER);
}

async function changeMembers(
  session: LdapSession,
  groupDn: string,
  memberDns: readonly string[],
  operation: 'add' | 'delete',
  benign: ReadonlySet<number>,
): Promise<string[]> {
  const done: string[] = [];
  for (let i = 0; i < memberDns.length; i += MEMBER_BATCH) {
    const batch = memberDns.slice(i, i + MEMBER_BATCH);
    try {
      await session.modify(
        groupDn,
        memberChange(operation, batch),
        `${operation} ${batch.length} member(s) of`,
      );
      done.push(...batch);
    } catch (err) {
      if (!isBenign(err, benign)) throw err;
      for (const member of batch) {
        try {
          await session.modify(
            groupDn,
            memberChange(operation, [member]),
            `${operation} member ${member} of`,
          );
          done.push(member);
        } catch (single) {
          if (!isBenign(single, benign)) throw single;
        }
      }
    }
  }
  return done;
}

function isBenign(err: unknown, benign: ReadonlySet<number>): boolean {
  const resultCode = (err as LdapOperationError).resultCode;
  return resultCode !== undefined && benign.has(resultCode);
}
