/**
 * The AD end-to-end tests' way to get a domain controller: startAdLab, skipped loudly when the
 * machine cannot run one, and never skipped on CI (CI=true or SMBENCH_REQUIRE_SAMBA=1), where a
 * missing samba-ad-dc must fail the run instead of silently passing it.
 */
import { SmbClient } from '../../../src/client/smb-client.js';
import type { LdapConnectOptions } from '../../../src/control/ldap-session.js';
import type { AdLab } from '../../../src/lab/ad-lab.js';
import { adLabUnavailableReason } from '../../../src/lab/ad-tools.js';

let warned = false;

export function adLabSkipReason(): string | undefined {
  const reason = adLabUnavailableReason();
  if (reason === undefined) return undefined;
  if (process.env['SMBENCH_REQUIRE_SAMBA'] === '1' || (process.env['CI'] ?? '') !== '') {
    throw new Error(`AD lab unavailable: ${reason}. CI requires it for the end-to-end tests.`);
  }
  if (!warned) {
    warned = true;
    process.stderr.write(`\n!!! SKIPPING AD END-TO-END TESTS: ${reason} !!!\n\n`);
  }
  return reason;
}

/** LDAPS as the lab administrator, trusting the lab's CA. */
export function adminConnection(lab: AdLab): LdapConnectOptions {
  return {
    url: lab.ldapsUrl,
    bindDn: `${lab.adminUser}@${lab.realm}`,
    bindPassword: lab.adminPassword,
    caFiles: [lab.caPath],
    tlsServerName: lab.tlsServerName,
  };
}

/**
 * Logs on with smbench's own SMB client (NTLMv2, SMB 3.1.1) and connects the share: 'ok', or the
 * NT status name (or message) of the failure.
 */
export async function tryShare(
  lab: Pick<AdLab, 'host' | 'smbPort' | 'share'>,
  cred: { user: string; password: string; domain: string },
  share = lab.share,
): Promise<string> {
  const client = await SmbClient.connect({ host: lab.host, port: lab.smbPort });
  try {
    const session = await client.login(cred);
    const tree = await session.connectTree(share);
    await tree.disconnect();
    await session.logoff();
    return 'ok';
  } catch (err) {
    const e = err as { statusName?: string; message?: string };
    return e.statusName ?? /\bSTATUS_[A-Z_]+/.exec(e.message ?? '')?.[0] ?? e.message ?? String(err);
  } finally {
    client.close();
  }
}
