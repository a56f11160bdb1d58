import { readFile } from 'node:fs/promises';

/**
 * Just enough of krb5.conf(5) to find a realm's KDCs without DNS: `[libdefaults] default_realm`
 * and the `kdc` entries of `[realms] REALM = { ... }`. Other sections and relations are ignored,
 * as are `include` directives; the file only seeds defaults that options override.
 */
export interface Krb5Conf {
  readonly defaultRealm?: string;
  /** Upper-case realm name -> `host[:port]` entries in file order. */
  readonly realms: ReadonlyMap<string, readonly string[]>;
}

export function parseKrb5Conf(text: string): Krb5Conf {
  let section = '';
  let realm: string | undefined;
  let depth = 0;
  let defaultRealm: string | undefined;
  const realms = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    if (!line) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      realm = undefined;
      depth = 0;
      continue;
    }
    const opens = /^([^=]+?)\s*=\s*\{$/.exec(line);
    if (opens) {
      depth++;
      if (section === 'realms' && depth === 1) realm = opens[1]!.trim().toUpperCase();
      continue;
    }
    if (line === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) realm = undefined;
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.trim().toLowerCase();
    const value = kv[2]!.trim();
    if (section === 'libdefaults' && depth === 0 && key === 'default_realm')
      defaultRealm = value.toUpperCase();
    if (section === 'realms' && depth === 1 && realm && key === 'kdc') {
      const list = realms.get(realm) ?? [];
      list.push(value);
      realms.set(realm, list);
    }
  }
  return { ...(defaultRealm ? { defaultRealm } : {}), realms };
}

/** Reads $KRB5_CONFIG (first entry) or /etc/krb5.conf; a missing file yields an empty config. */
export async function loadKrb5Conf(path?: string): Promise<Krb5Conf> {
  const file = path ?? process.env.KRB5_CONFIG?.split(':')[0] ?? '/etc/krb5.conf';
  try {
    return parseKrb5Conf(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { realms: new Map() };
    throw err;
  }
}
