/**
 * The programs the AD lab drives: `samba` (the AD DC daemon), `samba-tool` (provisioning and
 * offline database edits) and `unshare` (samba's private mount namespace). Debian installs samba
 * in /usr/sbin, which is not on a normal user's PATH, so the sbin directories are searched too.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { findExecutable } from './samba-tools.js';

export const AdTool = { samba: 'samba', sambaTool: 'samba-tool', unshare: 'unshare' } as const;
export type AdTool = (typeof AdTool)[keyof typeof AdTool];

/** Environment overrides, e.g. SMBENCH_SAMBA=/usr/local/samba/sbin/samba for a self-built Samba. */
const OVERRIDE_ENV: Record<AdTool, string> = {
  samba: 'SMBENCH_SAMBA',
  'samba-tool': 'SMBENCH_SAMBA_TOOL',
  unshare: 'SMBENCH_UNSHARE',
};

/** The AD schema files samba-tool provisions from, on Debian (package samba-ad-provision). */
const DEBIAN_SCHEMA_DIR = '/usr/share/samba/setup/ad-schema';

const INSTALL_HINT: Record<AdTool, string> = {
  samba: 'install the Samba AD DC (Debian/Ubuntu: apt-get install samba-ad-dc krb5-user)',
  'samba-tool': 'install the Samba AD DC (Debian/Ubuntu: apt-get install samba-ad-dc)',
  unshare: 'install util-linux',
};

export function findAdTool(tool: AdTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable(tool, OVERRIDE_ENV[tool], env);
}

export function requireAdTool(tool: AdTool, env: NodeJS.ProcessEnv = process.env): string {
  const found = findAdTool(tool, env);
  if (found !== undefined) return found;
  throw new SmbBenchError(
    ErrorCode.LAB,
    `${tool} not found on PATH or in /usr/sbin: ${INSTALL_HINT[tool]} or set ${OVERRIDE_ENV[tool]}`,
  );
}

/**
 * Why the AD lab cannot run here, or undefined when it can: tests use this as their skip reason.
 * A DC must run as root (it switches to every domain user's uid and sets NT ACL xattrs) and needs
 * a mount namespace for its private /run/samba.
 */
export function adLabUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux') return 'the AD lab needs Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the AD lab needs root';
  for (const tool of Object.values(AdTool)) {
    if (findAdTool(tool, env) === undefined) return `${tool} is not installed (${INSTALL_HINT[tool]})`;
  }
  return missingProvisionData(env);
}

/**
 * Debian's samba-tool reads the AD schema from /usr/share/samba/setup, which ships in
 * samba-ad-provision: only a Recommends of samba-ad-dc, so `--no-install-recommends` leaves it out
 * and provisioning fails much later with "File ad-schema/... not found". A self-built Samba
 * (SMBENCH_SAMBA_TOOL) carries its own setup directory and is not checked.
 */
function missingProvisionData(env: NodeJS.ProcessEnv): string | undefined {
  if (env[OVERRIDE_ENV['samba-tool']] !== undefined) return undefined;
  const tool = findAdTool(AdTool.sambaTool, env);
  if (tool === undefined || !tool.startsWith('/usr/')) return undefined;
  if (existsSync(DEBIAN_SCHEMA_DIR)) return undefined;
  return `${DEBIAN_SCHEMA_DIR} is missing: install samba-ad-provision (apt-get install samba-ad-provision)`;
}

export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a tool to completion, appending its output to logPath; a failure becomes an ERR_LAB error
 * that quotes the last lines of that output (samba-tool prints the real reason on stderr).
 */
export async function runAdTool(
  path: string,
  args: readonly string[],
  opts: { logPath: string; timeoutMs?: number; what: string },
): Promise<ToolRun> {
  const result = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      path,
      [...args],
      {
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
  });
  await appendFile(
    opts.logPath,
    `$ ${[path, ...args].map(redact).join(' ')}\n${result.stdout}${result.stderr}\n`,
  ).catch(() => undefined);
  if (result.error !== null) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new SmbBenchError(
      ErrorCode.LAB,
      `${opts.what} failed (${result.error.message.split('\n')[0]})\n${tail}`,
      {
        cause: result.error,
      },
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Keeps passwords passed as --adminpass=... out of the log. */
function redact(arg: string): string {
  return /^--(adminpass|krbtgtpass|machinepass|dnspass|newpassword)=/.test(arg)
    ? `${arg.slice(0, arg.indexOf('=') + 1)}***`
    : arg;
}
