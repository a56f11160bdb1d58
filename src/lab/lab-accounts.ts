/**
 * Lab accounts. A standalone Samba authenticates against its passdb (tdbsam here) but then runs
 * file access as the matching Unix account, so every lab user needs both: a Unix account (created
 * as a no-login system user, root only) and a passdb entry (pdbedit).
 */
import { execFile, spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { LabUserOptions } from './lab-options.js';
import { requireSambaTool } from './samba-tools.js';

const execFileAsync = promisify(execFile);

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** True if getent knows the account (covers /etc/passwd and NSS sources alike). */
export async function unixUserExists(user: string): Promise<boolean> {
  try {
    await execFileAsync('getent', ['passwd', user], { timeout: 10_000 });
    return true;
  } catch (err) {
    // getent exits 2 for "not found"; anything else (missing getent) is a real failure.
    if ((err as { code?: unknown }).code === 2) return false;
    throw new SmbBenchError(ErrorCode.LAB, `could not look up Unix user ${user}`, { cause: err });
  }
}

/**
 * Makes sure a Unix account exists for each lab user. As root, missing ones are created as system
 * users without a home or login shell. Without root, smbd cannot switch to another uid anyway, so
 * the only usable account is the caller's own: anything else fails here, with the reason.
 */
export async function ensureUnixUsers(users: readonly LabUserOptions[]): Promise<void> {
  const self = userInfo().username;
  for (const { user } of users) {
    if (!isRoot() && user !== self) {
      throw new SmbBenchError(
        ErrorCode.LAB,
        `lab user ${user} needs root: a non-root smbd can only serve files as its own account; ` +
          `run as root, or use users: [{ user: '${self}', password: ... }] (the default without root)`,
      );
    }
    if (await unixUserExists(user)) continue;
    const useradd = requireSambaTool('useradd');
    try {
      await execFileAsync(
        useradd,
        ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', user],
        { timeout: 30_000 },
      );
    } catch (cause) {
      // Two labs starting at once may race to create the same account; the loser is fine.
      if (await unixUserExists(user)) continue;
      throw new SmbBenchError(ErrorCode.LAB, `useradd ${user} failed: ${stderrOf(cause)}`, { cause });
    }
  }
}

/**
 * Adds a passdb entry with `pdbedit -s CONF -a -u USER -t` (password twice on stdin). pdbedit, unlike
 * `smbpasswd -a`, also works without root: it only writes the lab's own tdb files.
 */
export async function addSambaUser(confPath: string, { user, password }: LabUserOptions): Promise<void> {
  const pdbedit = requireSambaTool('pdbedit');
  const args = ['--configfile', confPath, '--create', '--user', user, '--password-from-stdin'];
  const { code, output } = await runWithStdin(pdbedit, args, `${password}\n${password}\n`);
  if (code !== 0) {
    throw new SmbBenchError(
      ErrorCode.LAB,
      `pdbedit --create ${user} failed (exit ${code}): ${output.trim()}`,
    );
  }
}

function runWithStdin(
  command: string,
  args: string[],
  input: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.once('error', (cause) =>
      reject(new SmbBenchError(ErrorCode.LAB, `could not run ${command}`, { cause })),
    );
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(input);
  });
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
}
