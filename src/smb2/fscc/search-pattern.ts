/**
 * The search pattern of a QUERY_DIRECTORY request (its FileName field, MS-SMB2 2.2.33): which
 * characters are wildcards and which names a pattern matches, after MS-FSA 2.1.4.4 (`*`, `?` and
 * the DOS forms DOS_STAR `<`, DOS_QM `>`, DOS_DOT `"`).
 *
 * It lives with the codec, not in src/ir, because what a pattern means is the protocol's (the
 * server's file system decides it), not something the IR defines; and src/smb2 is the lowest layer
 * that both its users import: the compiler, which reads the field off the wire and anonymizes it,
 * and the model, which learns and synthesises it from IR ops. The IR itself only carries the string.
 */

/** `*`, `?`, `<`, `>`, `"`: a name with any of them is a pattern, one without names one entry. */
const WILDCARDS = /[*?<>"]/;

/** True when `pattern` has a wildcard, i.e. may list more than the one name it spells. */
export function hasWildcard(pattern: string): boolean {
  return WILDCARDS.test(pattern);
}

/**
 * A case-insensitive regex for the names `pattern` matches, whole name only. A simplification of
 * MS-FSA 2.1.4.4 good enough to predict whether a listing finds anything: `<` is treated like `*`
 * and `>` like `?` (ignoring their stop-at-the-last-period rules), and `"` matches a period only
 * (not the end of the name). Every other character, regex syntax included, matches itself.
 */
export function searchPatternRegex(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '<') source += '.*';
    else if (ch === '?' || ch === '>') source += '.';
    else if (ch === '"') source += '\\.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}
