/**
 * What a caller can ask of the Active Directory lab (a Samba AD domain controller on loopback), and
 * the fixed names that make every lab the same domain: tests, the Kerberos initiator's e2e tests
 * and `smbench lab up --ad` all talk to SMBENCH.TEST.
 */

/** The Kerberos realm (upper case, as RFC 4120 6.1 realms conventionally are) and the AD DNS domain. */
export const AD_REALM = 'SMBENCH.TEST';
/** The NetBIOS domain name: the `domain` of NTLM credentials (MS-NLMP 2.2.1.3 DomainName). */
export const AD_DOMAIN = 'SMBENCH';
/** The DC's NetBIOS name and the first label of its FQDN; SPNs are `cifs/smbenchdc.smbench.test`. */
export const AD_DC_NETBIOS_NAME = 'SMBENCHDC';
export const AD_DC_HOST_NAME = 'smbenchdc';
export const AD_DC_FQDN = `${AD_DC_HOST_NAME}.${AD_REALM.toLowerCase()}`;
/** The built-in administrator (RID 500). */
export const AD_ADMIN_USER = 'Administrator';
/**
 * Passes the default AD password policy (complexity: three of upper/lower/digit/symbol, length 7+;
 * MS-SAMR 3.1.1.7.2 / the "Password must meet complexity requirements" rule), so the lab does not
 * have to weaken it: provisioning tests must still see real policy rejections.
 */
export const AD_DEFAULT_ADMIN_PASSWORD = 'Smbench-Admin-1';
/** The share every lab serves; only members of {@link AD_DEFAULT_SHARE_GROUP} may connect. */
export const AD_DEFAULT_SHARE = 'bench';
/** The domain group the share admits: "granting the share" to a user is adding them to it. */
export const AD_DEFAULT_SHARE_GROUP = 'BenchUsers';
export const AD_DEFAULT_START_TIMEOUT_MS = 60_000;

/**
 * LDAP's ports are not configurable in Samba 4.17 (there is no `ldap port` parameter; smb.conf(5)),
 * so a DC cannot share 127.0.0.1 with a system LDAP server or with another lab. Each lab therefore
 * binds to an address of its own in 127.0.0.0/8 (all of which is loopback on Linux), where the fixed
 * ports are always free. These are the TCP ports Samba binds there whatever smb.conf says.
 */
export const AD_FIXED_TCP_PORTS = {
  /** MS-ADTS 3.1.1.3.1 / RFC 4511: LDAP. */
  ldap: 389,
  /** LDAP over TLS (RFC 8314 style implicit TLS; MS-ADTS 3.1.1.3.1). */
  ldaps: 636,
  /** Global catalog, plain and TLS (MS-ADTS 3.1.1.1.8). */
  globalCatalog: 3268,
  globalCatalogTls: 3269,
  /** DCE/RPC endpoint mapper (the `rpc` service). */
  epmap: 135,
} as const;

export interface AdLabOptions {
  /**
   * The loopback address to bind; default: a random free one in 127.0.0.0/8 (never 127.0.0.1, where
   * port 389 may be taken). Must be a loopback address.
   */
  readonly host?: string;
  /** Ports on that address; default: free ephemeral ports. */
  readonly smbPort?: number;
  readonly kdcPort?: number;
  readonly kpasswdPort?: number;
  /** Default {@link AD_DEFAULT_ADMIN_PASSWORD}; must satisfy the domain's complexity policy. */
  readonly adminPassword?: string;
  /** Default {@link AD_DEFAULT_SHARE}. */
  readonly share?: string;
  /** Default {@link AD_DEFAULT_SHARE_GROUP}. */
  readonly shareGroup?: string;
  /** Relax the complexity rule (lab only); default false, the Windows default policy. */
  readonly disablePasswordComplexity?: boolean;
  /** Parent of the lab directory; default os.tmpdir(). */
  readonly parentDir?: string;
  /** Keep the directory (database, logs) after stop(). */
  readonly keep?: boolean;
  /** Let samba outlive this process (`smbench lab up --ad`); default false (killed on exit). */
  readonly detached?: boolean;
  /** samba's debug level 0-10; default 1. */
  readonly logLevel?: number;
  readonly startTimeoutMs?: number;
  /** Extra [global] smb.conf lines, rendered last so they win. */
  readonly extraGlobal?: Readonly<Record<string, string>>;
}
