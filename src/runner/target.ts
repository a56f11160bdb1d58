/**
 * `--target smb://host[:port]/share`: where a run goes. Only the share is named; the run root and
 * the per-user directories below it are the runner's business (user-paths.ts).
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export interface RunTarget {
  readonly host: string;
  /** TCP port; 445 unless the URL names another (MS-SMB2 2.1: direct TCP transport). */
  readonly port: number;
  readonly share: string;
}

export const DEFAULT_SMB_PORT = 445;

/**
 * Parses `smb://host[:port]/share` (IPv6 hosts in brackets, as in RFC 3986). Credentials in the
 * URL are refused on purpose: they would end up in shell history and in results.json.
 */
export function parseTarget(text: string): RunTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`--target ${JSON.stringify(text)} is not a URL; expected smb://host[:port]/share`);
  }
  if (url.protocol !== 'smb:') throw usage(`--target must start with smb://, got ${JSON.stringify(text)}`);
  if (url.username || url.password) {
    throw usage(
      '--target must not contain credentials; use --user/--password, SMBENCH_* variables or --users-file',
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw usage(`--target ${JSON.stringify(text)} has no host`);
  const port = url.port ? Number(url.port) : DEFAULT_SMB_PORT;
  const parts = decodeURIComponent(url.pathname)
    .split('/')
    .filter((p) => p !== '');
  if (parts.length !== 1) {
    throw usage(`--target ${JSON.stringify(text)} must name exactly one share: smb://host[:port]/share`);
  }
  return { host, port, share: parts[0]! };
}

/** The target as text for reports (never contains credentials). */
export function formatTarget(target: RunTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const port = target.port === DEFAULT_SMB_PORT ? '' : `:${target.port}`;
  return `smb://${host}${port}/${target.share}`;
}

function usage(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, message);
}
