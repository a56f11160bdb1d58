/**
 * Creating the lab's domain with samba-tool while no samba is running: provisioning, then the
 * offline edits (password ages, the share group) made straight on sam.ldb, which is faster than
 * starting the DC first and doing them over LDAP.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdLabLayout } from './ad-layout.js';
import { AD_ADMIN_USER, AD_DC_HOST_NAME, AD_DC_NETBIOS_NAME, AD_DOMAIN, AD_REALM } from './ad-options.js';
import { runAdTool } from './ad-tools.js';

export interface ProvisionInput {
  readonly sambaTool: string;
  readonly layout: AdLabLayout;
  readonly adminPassword: string;
}

/**
 * `samba-tool domain provision` into the lab directory. It is given an empty config file of its
 * own: without one it would read /etc/samba/smb.conf and copy that machine's shares and options.
 * DNS backend NONE: the lab has no DNS server; clients find the KDC through krb5.conf.
 */
export async function provisionDomain(input: ProvisionInput): Promise<void> {
  const { layout } = input;
  const provisionConf = join(layout.etcDir, 'provision.conf');
  await writeFile(provisionConf, '');
  await runAdTool(
    input.sambaTool,
    [
      'domain',
      'provision',
      `--configfile=${provisionConf}`,
      `--targetdir=${layout.dir}`,
      `--realm=${AD_REALM}`,
      `--domain=${AD_DOMAIN}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      `--host-name=${AD_DC_HOST_NAME}`,
      `--option=netbios name=${AD_DC_NETBIOS_NAME}`,
      `--adminpass=${input.adminPassword}`,
    ],
    { logPath: layout.provisionLogPath, what: 'samba-tool domain provision', timeoutMs: 300_000 },
  );
}

export interface OfflineSetupInput {
  readonly sambaTool: string;
  readonly layout: AdLabLayout;
  readonly shareGroup: string;
  readonly disablePasswordComplexity: boolean;
}

/**
 * Edits sam.ldb directly (samba-tool -H tdb://...). Passwords never expire and can be reset at
 * once (max/min age 0), so a long-lived lab or repeated provisioning runs never trip over ageing;
 * complexity stays on unless asked. The share group is created with the administrator in it.
 */
export async function setUpDomainOffline(input: OfflineSetupInput): Promise<void> {
  const { layout } = input;
  const common = [`--configfile=${layout.confPath}`, `-H`, `tdb://${layout.samLdbPath}`];
  const log = { logPath: layout.provisionLogPath };
  await runAdTool(
    input.sambaTool,
    [
      'domain',
      'passwordsettings',
      'set',
      ...common,
      '--max-pwd-age=0',
      '--min-pwd-age=0',
      ...(input.disablePasswordComplexity ? ['--complexity=off'] : []),
    ],
    { ...log, what: 'samba-tool domain passwordsettings set' },
  );
  await runAdTool(input.sambaTool, ['group', 'add', input.shareGroup, ...common], {
    ...log,
    what: `samba-tool group add ${input.shareGroup}`,
  });
  await runAdTool(input.sambaTool, ['group', 'addmembers', input.shareGroup, AD_ADMIN_USER, ...common], {
    ...log,
    what: `samba-tool group addmembers ${input.shareGroup}`,
  });
}
