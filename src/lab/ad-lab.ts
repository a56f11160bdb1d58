/**
 * A throwaway Active Directory domain (SMBENCH.TEST) served by a Samba AD DC on a loopback address
 * of its own: LDAP/LDAPS on 389/636, Kerberos and SMB3 on free ports, a krb5.conf that points at
 * them, and a share `bench` that members of the group BenchUsers may use.
 *
 *   const lab = await startAdLab();
 *   try { ...KRB5_CONFIG=lab.krb5ConfPath, ldaps://lab.host with lab.caPath... } finally { await lab.stop(); }
 *
 * Provisioning takes ~10 s and starting ~5 s, so tests share one lab per file.
 */
import { rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { chooseLabHost, findFreeTcpUdpPort } from './ad-address.js';
import { renderAdKrb5Conf } from './ad-krb5-conf.js';
import { adSharePath, createAdLabTree } from './ad-layout.js';
import type { AdLabLayout } from './ad-layout.js';
import { AD_LAB_STATE_VERSION } from './ad-lab-state.js';
import type { AdLabState } from './ad-lab-state.js';
import {
  AD_ADMIN_USER,
  AD_DC_FQDN,
  AD_DEFAULT_ADMIN_PASSWORD,
  AD_DEFAULT_SHARE,
  AD_DEFAULT_SHARE_GROUP,
  AD_DEFAULT_START_TIMEOUT_MS,
  AD_DOMAIN,
  AD_FIXED_TCP_PORTS,
  AD_REALM,
} from './ad-options.js';
import type { AdLabOptions } from './ad-options.js';
import { provisionDomain, setUpDomainOffline } from './ad-provision.js';
import { killSambaSync, spawnSamba, stopSamba, waitForSamba } from './ad-samba-process.js';
import { renderAdSmbConf } from './ad-smb-conf.js';
import { adLabUnavailableReason, requireAdTool } from './ad-tools.js';
import { sambaVersion } from './samba-tools.js';
import { tailFile } from './smbd-process.js';
import { trackForExitCleanup, untrackForExitCleanup } from './exit-cleanup.js';

export type { AdLabOptions } from './ad-options.js';

/** A running DC: its state-file data plus what a live process can do with it. */
export interface AdLab extends Omit<AdLabState, 'version' | 'startedAt' | 'keep'> {
  /** `ldap://host:389` and `ldaps://host:636`. */
  readonly ldapUrl: string;
  readonly ldapsUrl: string;
  /** `smb://host:smbPort/share`. */
  url(share?: string): string;
  /** Stops samba and its children, removes the directory unless `keep`. Idempotent. */
  stop(): Promise<void>;
  toJSON(): AdLabState;
}

export async function startAdLab(opts: AdLabOptions = {}): Promise<AdLab> {
  const unavailable = adLabUnavailableReason();
  if (unavailable !== undefined)
    throw new SmbBenchError(ErrorCode.LAB, `cannot start the AD lab: ${unavailable}`);
  const sambaPath = requireAdTool('samba');
  const sambaTool = requireAdTool('samba-tool');
  const unsharePath = requireAdTool('unshare');
  const version = await sambaVersion(sambaPath);
  const share = opts.share ?? AD_DEFAULT_SHARE;
  const shareGroup = opts.shareGroup ?? AD_DEFAULT_SHARE_GROUP;
  const adminPassword = opts.adminPassword ?? AD_DEFAULT_ADMIN_PASSWORD;
  const keep = opts.keep ?? false;
  const logLevel = opts.logLevel ?? 1;

  const layout = await createAdLabTree(share, opts.parentDir);
  try {
    await provisionDomain({ sambaTool, layout, adminPassword });
    const host = await chooseLabHost(opts.host);
    const ports = {
      smbPort: opts.smbPort ?? (await findFreeTcpUdpPort(host)),
      kdcPort: opts.kdcPort ?? (await findFreeTcpUdpPort(host)),
      kpasswdPort: opts.kpasswdPort ?? (await findFreeTcpUdpPort(host)),
    };
    const sharePath = adSharePath(layout, share);
    await writeFile(
      layout.confPath,
      renderAdSmbConf({
        layout,
        host,
        ...ports,
        share: { name: share, path: sharePath, group: shareGroup },
        logLevel,
        extraGlobal: opts.extraGlobal,
      }),
    );
    await writeFile(layout.krb5ConfPath, renderAdKrb5Conf({ host, ...ports }));
    await setUpDomainOffline({
      sambaTool,
      layout,
      shareGroup,
      disablePasswordComplexity: opts.disablePasswordComplexity ?? false,
    });

    const child = spawnSamba({ sambaPath, unsharePath, layout, logLevel, detached: opts.detached ?? false });
    const failure = await waitForSamba(
      child,
      { host, ...ports, ldapPort: AD_FIXED_TCP_PORTS.ldap, ldapsPort: AD_FIXED_TCP_PORTS.ldaps, layout },
      opts.startTimeoutMs ?? AD_DEFAULT_START_TIMEOUT_MS,
    );
    if (failure !== undefined) {
      await stopSamba(child.pid, layout.confPath, 2000).catch(() => undefined);
      const log = await tailFile(layout.sambaLogPath, 30);
      throw new SmbBenchError(
        ErrorCode.LAB,
        `AD lab failed to start: ${failure}\n--- last lines of ${layout.sambaLogPath} ---\n${log || '(empty)'}`,
      );
    }
    return new RunningAdLab(layout, {
      host,
      ...ports,
      adminPassword,
      share,
      sharePath,
      shareGroup,
      pid: child.pid,
      sambaVersion: version.text,
      keep,
      detached: opts.detached ?? false,
    });
  } catch (err) {
    if (!keep) await rm(layout.dir, { recursive: true, force: true });
    throw err;
  }
}

interface RunningAdLabInit {
  readonly host: string;
  readonly smbPort: number;
  readonly kdcPort: number;
  readonly kpasswdPort: number;
  readonly adminPassword: string;
  readonly share: string;
  readonly sharePath: string;
  readonly shareGroup: string;
  readonly pid: number;
  readonly sambaVersion: string;
  readonly keep: boolean;
  readonly detached: boolean;
}

class RunningAdLab implements AdLab {
  readonly realm = AD_REALM;
  readonly domain = AD_DOMAIN;
  readonly dcHostName = AD_DC_FQDN;
  readonly tlsServerName = AD_DC_FQDN;
  readonly ldapPort = AD_FIXED_TCP_PORTS.ldap;
  readonly ldapsPort = AD_FIXED_TCP_PORTS.ldaps;
  readonly adminUser = AD_ADMIN_USER;
  readonly baseDn = AD_REALM.split('.')
    .map((label) => `DC=${label.toLowerCase()}`)
    .join(',');
  readonly host: string;
  readonly smbPort: number;
  readonly kdcPort: number;
  readonly kpasswdPort: number;
  readonly adminPassword: string;
  readonly krb5ConfPath: string;
  readonly caPath: string;
  readonly share: string;
  readonly sharePath: string;
  readonly shareGroup: string;
  readonly dir: string;
  readonly confPath: string;
  readonly logPath: string;
  readonly pid: number;
  readonly sambaVersion: string;
  private readonly keep: boolean;
  private readonly startedAt = new Date().toISOString();
  private stopping: Promise<void> | undefined;

  constructor(layout: AdLabLayout, init: RunningAdLabInit) {
    this.host = init.host;
    this.smbPort = init.smbPort;
    this.kdcPort = init.kdcPort;
    this.kpasswdPort = init.kpasswdPort;
    this.adminPassword = init.adminPassword;
    this.share = init.share;
    this.sharePath = init.sharePath;
    this.shareGroup = init.shareGroup;
    this.pid = init.pid;
    this.sambaVersion = init.sambaVersion;
    this.keep = init.keep;
    this.dir = layout.dir;
    this.confPath = layout.confPath;
    this.logPath = layout.sambaLogPath;
    this.krb5ConfPath = layout.krb5ConfPath;
    this.caPath = layout.tlsCaPath;
    if (!init.detached) trackForExitCleanup(this);
  }

  get ldapUrl(): string {
    return `ldap://${this.host}:${this.ldapPort}`;
  }

  get ldapsUrl(): string {
    return `ldaps://${this.host}:${this.ldapsPort}`;
  }

  url(share = this.share): string {
    return `smb://${this.host}:${this.smbPort}/${share}`;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await stopSamba(this.pid, this.confPath);
      } finally {
        untrackForExitCleanup(this);
        if (!this.keep) await rm(this.dir, { recursive: true, force: true });
      }
    })();
    return this.stopping;
  }

  killSync(): void {
    killSambaSync(this.pid, this.confPath);
    if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  toJSON(): AdLabState {
    return {
      version: AD_LAB_STATE_VERSION,
      realm: this.realm,
      domain: this.domain,
      dcHostName: this.dcHostName,
      host: this.host,
      smbPort: this.smbPort,
      kdcPort: this.kdcPort,
      kpasswdPort: this.kpasswdPort,
      ldapPort: this.ldapPort,
      ldapsPort: this.ldapsPort,
      baseDn: this.baseDn,
      adminUser: this.adminUser,
      adminPassword: this.adminPassword,
      krb5ConfPath: this.krb5ConfPath,
      caPath: this.caPath,
      tlsServerName: this.tlsServerName,
      share: this.share,
      sharePath: this.sharePath,
      shareGroup: this.shareGroup,
      pid: this.pid,
      dir: this.dir,
      confPath: this.confPath,
      logPath: this.logPath,
      sambaVersion: this.sambaVersion,
      startedAt: this.startedAt,
      keep: this.keep,
    };
  }
}
