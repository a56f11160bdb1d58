/**
 * The lab's private directory tree. Every path Samba would otherwise take from its compiled-in
 * defaults (/var/lib/samba, /run/samba, /var/cache/samba, /etc/samba) is pointed in here, so a lab
 * never touches, or is disturbed by, a system Samba installation.
 */
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LabLayout {
  readonly dir: string;
  readonly confPath: string;
  readonly privateDir: string;
  readonly lockDir: string;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly pidDir: string;
  readonly ncalrpcDir: string;
  readonly bindDnsDir: string;
  readonly logDir: string;
  /** smbd's own stdout/stderr (with --debug-stdout this is its main log). */
  readonly smbdLogPath: string;
  readonly sharesDir: string;
}

export function labLayout(dir: string): LabLayout {
  const logDir = join(dir, 'log');
  return {
    dir,
    confPath: join(dir, 'etc', 'smb.conf'),
    privateDir: join(dir, 'private'),
    lockDir: join(dir, 'lock'),
    stateDir: join(dir, 'state'),
    cacheDir: join(dir, 'cache'),
    pidDir: join(dir, 'pid'),
    ncalrpcDir: join(dir, 'ncalrpc'),
    bindDnsDir: join(dir, 'bind-dns'),
    logDir,
    smbdLogPath: join(logDir, 'smbd.log'),
    sharesDir: join(dir, 'shares'),
  };
}

export function sharePath(layout: LabLayout, shareName: string): string {
  return join(layout.sharesDir, shareName);
}

/**
 * Creates a fresh lab tree. mkdtemp makes the root 0700; it is opened to 0755 because smbd serves
 * the shares as the (unprivileged) lab users, who must be able to traverse down to them. The share
 * directories are 0777 so every lab user can create files; `private` stays 0700 (it holds the
 * password database).
 */
export async function createLabTree(shareNames: readonly string[], parentDir = tmpdir()): Promise<LabLayout> {
  const dir = await mkdtemp(join(parentDir, 'smbench-lab-'));
  const layout = labLayout(dir);
  await chmod(dir, 0o755);
  for (const sub of [
    join(dir, 'etc'),
    layout.lockDir,
    layout.stateDir,
    layout.cacheDir,
    layout.pidDir,
    layout.ncalrpcDir,
    layout.bindDnsDir,
    layout.logDir,
    layout.sharesDir,
  ]) {
    await mkdir(sub, { recursive: true, mode: 0o755 });
  }
  await mkdir(layout.privateDir, { mode: 0o700 });
  for (const name of shareNames) {
    const path = sharePath(layout, name);
    await mkdir(path);
    // mkdir's mode is filtered by the umask; chmod is not.
    await chmod(path, 0o777);
  }
  return layout;
}
