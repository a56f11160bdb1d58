/**
 * Where the accounts a run logs in with come from: `--user/--password/--domain`, the
 * SMBENCH_USER/SMBENCH_PASSWORD/SMBENCH_DOMAIN environment, or a users file (CSV or JSON) of
 * `user,password[,domain]`. Virtual user k logs in with credential k mod (number of credentials).
 */
import { readFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export interface Credential {
  readonly user: string;
  readonly password: string;
  /** NTLM domain; '' lets the server pick its own (standalone servers, MS-NLMP 3.1.5.1.2). */
  readonly domain: string;
}

export interface CredentialSources {
  readonly user?: string;
  readonly password?: string;
  readonly domain?: string;
  readonly usersFile?: string;
  /** Defaults to process.env; injectable for tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const CREDENTIAL_ENV = {
  user: 'SMBENCH_USER',
  password: 'SMBENCH_PASSWORD',
  domain: 'SMBENCH_DOMAIN',
} as const;

/** Resolves the credential list; flags win over the environment, a users file excludes both. */
export async function resolveCredentials(sources: CredentialSources): Promise<Credential[]> {
  if (sources.usersFile !== undefined) {
    if (sources.user !== undefined || sources.password !== undefined) {
      throw usage('--users-file cannot be combined with --user/--password');
    }
    let text: string;
    try {
      text = await readFile(sources.usersFile, 'utf8');
    } catch (err) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `cannot read users file ${sources.usersFile}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const list = parseUsersFile(text, sources.usersFile, sources.domain);
    if (list.length === 0) throw usage(`users file ${sources.usersFile} lists no users`);
    return list;
  }
  const env = sources.env ?? process.env;
  const user = sources.user ?? env[CREDENTIAL_ENV.user];
  const password = sources.password ?? env[CREDENTIAL_ENV.password];
  const domain = sources.domain ?? env[CREDENTIAL_ENV.domain] ?? '';
  if (!user) throw usage(`no user: pass --user, set ${CREDENTIAL_ENV.user}, or give --users-file`);
  if (password === undefined) {
    throw usage(`no password for ${user}: pass --password or set ${CREDENTIAL_ENV.password}`);
  }
  return [splitDomain({ user, password, domain })];
}

/**
 * Parses a users file: JSON (an array of `{user, password, domain?}` or `{users: [...]}`) when it
 * starts with `[` or `{`, CSV otherwise (one `user,password[,domain]` per line, RFC 4180 quoting,
 * blank lines and `#` comments ignored, an optional `user,password[,domain]` header).
 */
export function parseUsersFile(text: string, name = 'users file', defaultDomain = ''): Credential[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJsonUsers(trimmed, name, defaultDomain);
  const out: Credential[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const fields = parseCsvLine(line, `${name}:${i + 1}`);
    if (
      out.length === 0 &&
      fields[0]?.trim().toLowerCase() === 'user' &&
      fields[1]?.trim().toLowerCase() === 'password'
    ) {
      continue;
    }
    if (fields.length < 2 || fields.length > 3 || !fields[0]) {
      throw usage(`${name}:${i + 1}: expected user,password[,domain]`);
    }
    out.push(
      splitDomain({
        user: fields[0].trim(),
        password: fields[1]!,
        domain: fields[2]?.trim() || defaultDomain,
      }),
    );
  }
  return out;
}

function parseJsonUsers(text: string, name: string, defaultDomain: string): Credential[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw usage(`${name}: invalid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { users?: unknown }).users;
  if (!Array.isArray(list)) throw usage(`${name}: expected an array of {user, password, domain?}`);
  return list.map((entry: unknown, i) => {
    const e = entry as { user?: unknown; password?: unknown; domain?: unknown };
    if (typeof e?.user !== 'string' || e.user === '' || typeof e.password !== 'string') {
      throw usage(`${name}: entry ${i} needs string "user" and "password"`);
    }
    if (e.domain !== undefined && typeof e.domain !== 'string')
      throw usage(`${name}: entry ${i}: "domain" must be a string`);
    return splitDomain({ user: e.user, password: e.password, domain: e.domain ?? defaultDomain });
  });
}

/** `DOMAIN\user` and `user@domain` are accepted as user names when no domain is given separately. */
function splitDomain(c: Credential): Credential {
  if (c.domain) return c;
  const backslash = c.user.indexOf('\\');
  if (backslash > 0)
    return { user: c.user.slice(backslash + 1), password: c.password, domain: c.user.slice(0, backslash) };
  const at = c.user.lastIndexOf('@');
  if (at > 0) return { user: c.user.slice(0, at), password: c.password, domain: c.user.slice(at + 1) };
  return c;
}

/** One CSV record (RFC 4180): fields separated by commas, `"..."` quoting with `""` for a quote. */
function parseCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw usage(`${where}: unterminated quoted field`);
        const ch = line[i]!;
        if (ch === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      if (i < line.length && line[i] !== ',') throw usage(`${where}: text after a closing quote`);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** A credential for display: never the password. */
export function principalOf(c: Credential): string {
  return c.domain ? `${c.domain}\\${c.user}` : c.user;
}

function usage(message: string): SmbBenchError {
  return new SmbBenchError(ErrorCode.USAGE, message);
}
