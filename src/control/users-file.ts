/**
 * The users file provisioning writes for the runner: CSV `user,password,domain` with a header line
 * (the format `smbench run --users-file` reads), RFC 4180 quoting where needed. Written 0600 via
 * write-then-rename: it holds passwords, and a crashed run must not leave half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export interface UserCredential {
  readonly user: string;
  readonly password: string;
  readonly domain: string;
}

export const USERS_CSV_HEADER = 'user,password,domain';

export function formatUsersCsv(users: readonly UserCredential[]): string {
  const lines = [USERS_CSV_HEADER];
  for (const u of users) lines.push([u.user, u.password, u.domain].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Reads a users CSV back (ours, or one in the runner's format): a map from lower-cased user name
 * to credential. Used to keep the passwords of users that already exist on a re-run.
 */
export function parseUsersCsv(text: string, name = 'users file'): Map<string, UserCredential> {
  const out = new Map<string, UserCredential>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const fields = parseCsvRecord(line, `${name}:${i + 1}`);
    if (fields[0]?.trim().toLowerCase() === 'user' && fields[1]?.trim().toLowerCase() === 'password')
      continue;
    if (fields.length < 2 || !fields[0]) {
      throw new SmbBenchError(ErrorCode.USAGE, `${name}:${i + 1}: expected user,password[,domain]`);
    }
    const user = fields[0].trim();
    out.set(user.toLowerCase(), { user, password: fields[1]!, domain: fields[2]?.trim() ?? '' });
  }
  return out;
}

export async function writeUsersCsv(path: string, users: readonly UserCredential[]): Promise<void> {
  await writePrivateFile(path, formatUsersCsv(users));
}

/** An existing users file's entries, or an empty map when the file does not exist. */
export async function readUsersCsvIfPresent(path: string): Promise<Map<string, UserCredential>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new SmbBenchError(ErrorCode.USAGE, `cannot read users file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseUsersCsv(text, path);
}

/** Atomic 0600 write (temp file + rename), creating the directory if needed. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

/** RFC 4180: quote a field containing a comma, quote, CR or LF (or edge spaces); double quotes. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function parseCsvRecord(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new SmbBenchError(ErrorCode.USAGE, `${where}: unterminated quoted field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i];
        i++;
      }
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    if (line[i] !== ',') throw new SmbBenchError(ErrorCode.USAGE, `${where}: text after a closing quote`);
    i++;
  }
}
