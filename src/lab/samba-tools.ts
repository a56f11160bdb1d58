/**
 * Finding the Samba programs the lab drives. smbd and pdbedit live in /usr/sbin on Debian, which
 * is not on a normal user's PATH, so the usual sbin directories are searched as well.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

const execFileAsync = promisify(execFile);

export const SambaTool = {
  smbd: 'smbd',
  pdbedit: 'pdbedit',
  smbclient: 'smbclient',
  useradd: 'useradd',
} as const;
export type SambaTool = (typeof SambaTool)[keyof typeof SambaTool];

/** Environment overrides, e.g. SMBENCH_SMBD=/opt/samba/sbin/smbd for a self-built Samba. */
const OVERRIDE_ENV: Record<SambaTool, string> = {
  smbd: 'SMBENCH_SMBD',
  pdbedit: 'SMBENCH_PDBEDIT',
  smbclient: 'SMBENCH_SMBCLIENT',
  useradd: 'SMBENCH_USERADD',
};

const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/local/samba/sbin', '/usr/local/samba/bin'];

/**
 * An executable by name: the override variable when set (and executable), else PATH plus the sbin
 * directories a non-root PATH often lacks. Shared by the file-server and AD labs.
 */
export function findExecutable(
  name: string,
  overrideEnv: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const override = env[overrideEnv];
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = [...(env['PATH'] ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The absolute path of a tool, or undefined when it is not installed. */
export function findSambaTool(tool: SambaTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable(tool, OVERRIDE_ENV[tool], env);
}

export function requireSambaTool(tool: SambaTool, env: NodeJS.ProcessEnv = process.env): string {
  const found = findSambaTool(tool, env);
  if (found !== undefined) return found;
  const hint =
    tool === 'useradd'
      ? 'install the passwd package'
      : `install Samba (Debian/Ubuntu: apt-get install samba smbclient) or set ${OVERRIDE_ENV[tool]}`;
  throw new SmbBenchError(ErrorCode.LAB, `${tool} not found on PATH or in /usr/sbin: ${hint}`);
}

export interface SambaVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As printed, e.g. "4.17.12-Debian". */
  readonly text: string;
}

export function parseSambaVersion(output: string): SambaVersion | undefined {
  const match = /Version\s+((\d+)\.(\d+)\.(\d+)\S*)/.exec(output);
  if (!match) return undefined;
  return { text: match[1] ?? '', major: Number(match[2]), minor: Number(match[3]), patch: Number(match[4]) };
}

export async function sambaVersion(smbdPath: string): Promise<SambaVersion> {
  let output: string;
  try {
    ({ stdout: output } = await execFileAsync(smbdPath, ['--version'], { timeout: 10_000 }));
  } catch (cause) {
    throw new SmbBenchError(ErrorCode.LAB, `could not run ${smbdPath} --version`, { cause });
  }
  const version = parseSambaVersion(output);
  if (version === undefined) {
    throw new SmbBenchError(
      ErrorCode.LAB,
      `unrecognised smbd version output: ${JSON.stringify(output.trim())}`,
    );
  }
  return version;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
