/**
 * `--anonymize`: replaces user names and path components with keyed hashes, keeping what a replay
 * needs to behave the same: the depth of every path, file extensions (servers and antivirus treat
 * `.docx` differently from `.tmp`), wildcards in search patterns, and equality (the same name maps to
 * the same hash everywhere, case-insensitively like the server). The key is random per compile
 * unless a salt is given, so names cannot be recovered by hashing guesses.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IrPath } from '../../ir/types.js';
import { hasWildcard } from '../../smb2/fscc/search-pattern.js';

/** Extensions kept as-is: a dot followed by 1-8 letters or digits. */
const EXTENSION = /\.[A-Za-z0-9]{1,8}$/;
const HASH_CHARS = 16;

export class Anonymizer {
  private readonly key: Buffer;
  private readonly components = new Map<string, string>();
  private readonly users = new Map<string, string>();

  constructor(salt?: string) {
    this.key = salt === undefined ? randomBytes(32) : Buffer.from(salt, 'utf8');
  }

  /** One path component: `n<hash><.ext>`, stable for the whole compile. */
  component(name: string): string {
    const key = name.toLowerCase();
    let out = this.components.get(key);
    if (out === undefined) {
      const ext = EXTENSION.exec(name)?.[0] ?? '';
      const stem = ext.length > 0 && ext.length < name.length ? name.slice(0, -ext.length) : name;
      const hash = createHmac('sha256', this.key)
        .update(stem.toLowerCase())
        .digest('hex')
        .slice(0, HASH_CHARS);
      out = `n${hash}${ext.length < name.length ? ext.toLowerCase() : ''}`;
      this.components.set(key, out);
    }
    return out;
  }

  path(path: IrPath): IrPath {
    if (path === '') return path;
    let out = '';
    let from = 0;
    for (;;) {
      const slash = path.indexOf('/', from);
      const part = this.component(slash < 0 ? path.slice(from) : path.slice(from, slash));
      out = out === '' ? part : `${out}/${part}`;
      if (slash < 0) return out;
      from = slash + 1;
    }
  }

  /**
   * A QUERY_DIRECTORY pattern: a plain name is hashed like a path component; a wildcard pattern
   * keeps its shape only as far as `*` and `*.ext`, since any literal part could be a name.
   */
  pattern(pattern: string): string {
    if (pattern === '' || pattern === '*') return pattern;
    if (!hasWildcard(pattern)) return this.component(pattern);
    const ext = EXTENSION.exec(pattern)?.[0];
    return ext !== undefined && pattern === `*${ext}` ? pattern : '*';
  }

  /** `ANON\user<n>`, numbered in order of first appearance. */
  userName(name: string): string {
    const key = name.toLowerCase();
    let out = this.users.get(key);
    if (out === undefined) {
      out = `ANON\\user${this.users.size}`;
      this.users.set(key, out);
    }
    return out;
  }
}
