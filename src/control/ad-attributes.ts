/**
 * The attributes of the AD objects provisioning creates, built from plain inputs (pure, so the
 * exact LDAP add requests are unit-tested). Constant names are the ones Microsoft documents.
 */
import { Attribute, Change } from 'ldapts';

/** userAccountControl bits, MS-ADTS 2.2.16 (names as in the Windows SDK's lmaccess.h). */
export const UserAccountControl = {
  UF_ACCOUNTDISABLE: 0x0000_0002,
  UF_PASSWD_NOTREQD: 0x0000_0020,
  UF_NORMAL_ACCOUNT: 0x0000_0200,
  UF_DONT_EXPIRE_PASSWD: 0x0001_0000,
} as const;

/** groupType bits, MS-ADTS 2.2.12. */
export const GroupType = {
  GROUP_TYPE_ACCOUNT_GROUP: 0x0000_0002,
  GROUP_TYPE_RESOURCE_GROUP: 0x0000_0004,
  GROUP_TYPE_UNIVERSAL_GROUP: 0x0000_0008,
  GROUP_TYPE_SECURITY_ENABLED: 0x8000_0000,
} as const;

/** sAMAccountName is at most 20 characters for users (MS-SAMR 3.1.1.6, MS-ADTS 3.1.1.5.2.2). */
export const SAM_ACCOUNT_NAME_MAX = 20;
/** Characters AD refuses in sAMAccountName (MS-SAMR 3.1.1.6 / "Naming conventions in AD"). */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;

/** Why a user name cannot be a sAMAccountName, or undefined if it can. */
export function samAccountNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > SAM_ACCOUNT_NAME_MAX) return `is longer than ${SAM_ACCOUNT_NAME_MAX} characters`;
  if (SAM_FORBIDDEN.test(name)) return 'contains a character AD forbids (" / \\ [ ] : ; | = , + * ? < > @)';
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20)) return 'contains a control character';
  if (name.endsWith('.')) return 'ends with a period';
  return undefined;
}

/**
 * unicodePwd is written as the password in double quotes, UTF-16LE encoded (MS-ADTS
 * 3.1.1.3.1.5.1). AD accepts it only over an encrypted connection (LDAPS or StartTLS).
 */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

export interface UserEntryInput {
  readonly samAccountName: string;
  readonly userPrincipalName: string;
  readonly password: string;
  /** Add UF_DONT_EXPIRE_PASSWD: benchmark accounts must not expire in the middle of a run. */
  readonly passwordNeverExpires: boolean;
  readonly description?: string;
}

/**
 * One add request that creates an enabled account with its password: AD checks the password
 * policy on the add and refuses the whole object if it fails, so no disabled half-users remain.
 */
export function userAttributes(input: UserEntryInput): Attribute[] {
  const uac =
    UserAccountControl.UF_NORMAL_ACCOUNT |
    (input.passwordNeverExpires ? UserAccountControl.UF_DONT_EXPIRE_PASSWD : 0);
  const attrs = [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'cn', values: [input.samAccountName] }),
    new Attribute({ type: 'sAMAccountName', values: [input.samAccountName] }),
    new Attribute({ type: 'userPrincipalName', values: [input.userPrincipalName] }),
    new Attribute({ type: 'displayName', values: [input.samAccountName] }),
    new Attribute({ type: 'userAccountControl', values: [String(uac)] }),
    new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(input.password)] }),
  ];
  if (input.description !== undefined)
    attrs.push(new Attribute({ type: 'description', values: [input.description] }));
  return attrs;
}

/** An administrative password reset (a replace of unicodePwd), MS-ADTS 3.1.1.3.1.5.1. */
export function passwordResetChange(password: string): Change {
  return new Change({
    operation: 'replace',
    modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] }),
  });
}

export function organizationalUnitAttributes(name: string, description: string): Attribute[] {
  return [
    new Attribute({ type: 'objectClass', values: ['top', 'organizationalUnit'] }),
    new Attribute({ type: 'ou', values: [name] }),
    new Attribute({ type: 'description', values: [description] }),
  ];
}

/** A global security group (the kind share ACLs and `valid users = +DOMAIN\group` use). */
export function groupAttributes(name: string, description: string): Attribute[] {
  // groupType is a signed 32-bit integer on the wire (MS-ADTS 2.2.12): 0x80000002 -> -2147483646.
  const groupType = GroupType.GROUP_TYPE_SECURITY_ENABLED | GroupType.GROUP_TYPE_ACCOUNT_GROUP | 0;
  return [
    new Attribute({ type: 'objectClass', values: ['top', 'group'] }),
    new Attribute({ type: 'cn', values: [name] }),
    new Attribute({ type: 'sAMAccountName', values: [name] }),
    new Attribute({ type: 'groupType', values: [String(groupType)] }),
    new Attribute({ type: 'description', values: [description] }),
  ];
}

/** Adds (or removes) many members in one modify: far fewer round trips than one per user. */
export function memberChange(operation: 'add' | 'delete', memberDns: readonly string[]): Change {
  return new Change({ operation, modification: new Attribute({ type: 'member', values: [...memberDns] }) });
}
