/**
 * The AD lab's private directory tree. `samba-tool domain provision --targetdir` fills private/
 * (sam.ldb, secrets, idmap) and state/sysvol; everything Samba would otherwise take from its
 * compiled-in defaults is pointed in here too, so a lab never touches a system Samba's files.
 */
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AD_LAB_DIR_PREFIX = 'smbench-ad-';

export interface AdLabLayout {
  readonly dir: string;
  readonly etcDir: string;
  /** The smb.conf samba runs with (rendered by us after provisioning). */
  readonly confPath: string;
  readonly privateDir: string;
  readonly samLdbPath: string;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly lockDir: string;
  readonly bindDnsDir: string;
  /**
   * Bind-mounted over /run/samba in samba's private mount namespace: libwbclient (used by smbd to
   * map SIDs to uids) only knows the compiled-in /run/samba/winbindd, see ad-samba-process.ts.
   */
  readonly runDir: string;
  readonly pidDir: string;
  readonly ncalrpcDir: string;
  readonly logDir: string;
  /** samba's stdout/stderr: with --debug-stdout, the log of samba, smbd and winbindd. */
  readonly sambaLogPath: string;
  readonly provisionLogPath: string;
  readonly krb5ConfPath: string;
  /** Samba's self-signed CA, written when the ldap task first starts (`tls enabled = yes`). */
  readonly tlsCaPath: string;
  readonly sharesDir: string;
}

export function adLabLayout(dir: string): AdLabLayout {
  const etcDir = join(dir, 'etc');
  const privateDir = join(dir, 'private');
  const runDir = join(dir, 'run');
  const logDir = join(dir, 'log');
  return {
    dir,
    etcDir,
    confPath: join(etcDir, 'smb.conf'),
    privateDir,
    samLdbPath: join(privateDir, 'sam.ldb'),
    stateDir: join(dir, 'state'),
    cacheDir: join(dir, 'cache'),
    lockDir: join(dir, 'lock'),
    bindDnsDir: join(dir, 'bind-dns'),
    runDir,
    pidDir: join(runDir, 'pid'),
    ncalrpcDir: join(runDir, 'ncalrpc'),
    logDir,
    sambaLogPath: join(logDir, 'samba.log'),
    provisionLogPath: join(logDir, 'provision.log'),
    krb5ConfPath: join(etcDir, 'krb5.conf'),
    tlsCaPath: join(privateDir, 'tls', 'ca.pem'),
    sharesDir: join(dir, 'shares'),
  };
}

export function adSharePath(layout: AdLabLayout, share: string): string {
  return join(layout.sharesDir, share);
}

/**
 * A fresh tree. Share directories are 0777: which users may connect is decided by the share's
 * `valid users` group, and each user's files are theirs (uids come from idmap.ldb).
 */
export async function createAdLabTree(share: string, parentDir = tmpdir()): Promise<AdLabLayout> {
  const layout = adLabLayout(await mkdtemp(join(parentDir, AD_LAB_DIR_PREFIX)));
  await chmod(layout.dir, 0o755);
  for (const sub of [
    layout.etcDir,
    layout.stateDir,
    layout.cacheDir,
    layout.lockDir,
    layout.bindDnsDir,
    layout.runDir,
    layout.pidDir,
    layout.ncalrpcDir,
    layout.logDir,
    layout.sharesDir,
  ]) {
    await mkdir(sub, { recursive: true, mode: 0o755 });
  }
  const sharePath = adSharePath(layout, share);
  await mkdir(sharePath);
  await chmod(sharePath, 0o777);
  return layout;
}
