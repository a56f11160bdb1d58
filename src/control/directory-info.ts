/**
 * What provisioning needs to know about the domain, read from the directory itself rather than
 * asked of the user: the domain naming context from the root DSE (RFC 4512 5.1, MS-ADTS 3.1.1.3.2)
 * and the NetBIOS domain name from the crossRef object in CN=Partitions (MS-ADTS 6.1.1.2.1.1.5).
 */
import { escapeFilterValue, dnsDomainOfDn } from './ldap-escape.js';
import { entryString } from './ldap-session.js';
import type { LdapSession } from './ldap-session.js';
import { LdapOperationError, LdapFailure } from './ldap-errors.js';

export interface DirectoryInfo {
  /** e.g. `DC=smbench,DC=test` */
  readonly baseDn: string;
  /** e.g. `smbench.test`: the default UPN suffix. */
  readonly dnsDomain: string;
  /** e.g. `SMBENCH`: the domain written to the users file for NTLM logons. */
  readonly netbiosDomain: string;
}

export async function readDirectoryInfo(
  session: LdapSession,
  overrides: { baseDn?: string | undefined; netbiosDomain?: string | undefined } = {},
): Promise<DirectoryInfo> {
  const root = (
    await session.searchAll(
      '',
      '(objectClass=*)',
      ['defaultNamingContext', 'configurationNamingContext'],
      'base',
    )
  )[0];
  const baseDn = overrides.baseDn ?? entryString(root, 'defaultNamingContext');
  if (baseDn === undefined || baseDn === '') {
    throw new LdapOperationError(
      LdapFailure.LDAP,
      'the root DSE has no defaultNamingContext: is this an Active Directory server? (pass --base-dn)',
    );
  }
  let netbiosDomain = overrides.netbiosDomain;
  const config = entryString(root, 'configurationNamingContext');
  if (netbiosDomain === undefined && config !== undefined) {
    const crossRefs = await session.searchAll(
      `CN=Partitions,${config}`,
      `(&(objectClass=crossRef)(nCName=${escapeFilterValue(baseDn)}))`,
      ['nETBIOSName'],
      'one',
    );
    netbiosDomain = entryString(crossRefs[0], 'nETBIOSName');
  }
  const dnsDomain = dnsDomainOfDn(baseDn);
  // Without a NetBIOS name the first DNS label is the usual choice (and what Windows suggests).
  return { baseDn, dnsDomain, netbiosDomain: netbiosDomain ?? (dnsDomain.split('.')[0] ?? '').toUpperCase() };
}
