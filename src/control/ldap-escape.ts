/**
 * Building DNs and filters from names we did not choose (a --prefix, a group name) without letting
 * a comma or parenthesis change their meaning: RFC 4514 2.4 for DN attribute values, RFC 4515 3
 * for filter assertion values. Also the few DN manipulations provisioning needs.
 */

/** Escapes a value for use in an RDN (`CN=<value>`), RFC 4514 section 2.4. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (code === 0) out += '\\00';
    else if (',+"\\<>;='.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === value.length - 1 && ch === ' '))
      out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** Escapes an assertion value for a search filter, RFC 4515 section 3 (`*`, `(`, `)`, `\`, NUL). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Splits a DN into its RDNs at unescaped commas (RFC 4514 2.1); each RDN keeps its escapes.
 * Multi-valued RDNs (`+`) stay one element: provisioning never needs to look inside them.
 */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\' && i + 1 < dn.length) {
      current += ch + dn[i + 1]!;
      i++;
    } else if (ch === ',') {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current.trim());
  return parts;
}

/**
 * A canonical form for comparing DNs: RDNs trimmed, attribute types and values lower-cased (AD
 * compares DNs case-insensitively: MS-ADTS 3.1.1.1.3, and its naming attributes use
 * case-insensitive string syntax).
 */
export function normalizeDn(dn: string): string {
  return splitDn(dn)
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      return eq < 0
        ? rdn.toLowerCase()
        : `${rdn.slice(0, eq).trim().toLowerCase()}=${rdn
            .slice(eq + 1)
            .trim()
            .toLowerCase()}`;
    })
    .join(',');
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}

/** True if dn is at or below base. */
export function isDnUnder(dn: string, base: string): boolean {
  const d = splitDn(normalizeDn(dn));
  const b = splitDn(normalizeDn(base));
  if (b.length > d.length) return false;
  return b.every((rdn, i) => d[d.length - b.length + i] === rdn);
}

/** `DC=smbench,DC=test` -> `smbench.test` (the AD DNS domain, and the default UPN suffix). */
export function dnsDomainOfDn(dn: string): string {
  return splitDn(dn)
    .filter((rdn) => /^dc=/i.test(rdn))
    .map((rdn) => rdn.slice(3))
    .join('.')
    .toLowerCase();
}

/**
 * Resolves an --ou argument: a full DN (contains `=`) is used as given; a plain name becomes
 * `OU=<name>,<baseDn>`.
 */
export function resolveOuDn(ou: string, baseDn: string): string {
  return ou.includes('=') ? ou : `OU=${escapeDnValue(ou)},${baseDn}`;
}

/** The value of the first RDN, unescaped: `OU=bench\,x,DC=a` -> `bench,x`. */
export function firstRdnValue(dn: string): string {
  const rdn = splitDn(dn)[0] ?? '';
  const value = rdn.slice(rdn.indexOf('=') + 1);
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, esc: string) =>
    esc.length === 2 ? String.fromCharCode(parseInt(esc, 16)) : esc,
  );
}
