/**
 * The status a QUERY_DIRECTORY gets in a synthesised namespace (MS-SMB2 3.3.5.18): the first
 * query of an open lists what matches (STATUS_NO_SUCH_FILE when nothing does), later ones without
 * SMB2_RESTART_SCANS / SMB2_REOPEN find the enumeration exhausted (STATUS_NO_MORE_FILES).
 */
import { irParentPath } from '../../ir/index.js';
import { QueryDirectoryFlags } from '../../smb2/commands/query-directory.js';
import { NtStatus } from '../../smb2/nt-status.js';
import type { QueryDirectoryTemplate } from '../model-types.js';
import type { UserFiles } from './user-files.js';

/** Flags that start the enumeration over, so a later query lists again. */
const RESTARTS = QueryDirectoryFlags.SMB2_RESTART_SCANS | QueryDirectoryFlags.SMB2_REOPEN;

/** `*` and `?` as in MS-FSA 2.1.4.4; the DOS forms `<`, `>`, `"` are treated like them. */
function patternRegex(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '<') source += '.*';
    else if (ch === '?' || ch === '>') source += '.';
    else if (ch === '"') source += '\\.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

export function queryDirectoryStatus(
  files: UserFiles,
  dir: string,
  isDir: boolean,
  q: QueryDirectoryTemplate,
  listedBefore: boolean,
): number {
  if (!isDir) return NtStatus.STATUS_INVALID_PARAMETER;
  const restart = (q.flags & RESTARTS) !== 0;
  if (listedBefore && !restart) return NtStatus.STATUS_NO_MORE_FILES;
  // `.` and `..` are listed in every directory but the share root.
  if (q.pattern === '*' || (dir !== '' && patternRegex(q.pattern).test('.'))) return 0;
  const re = patternRegex(q.pattern);
  const name = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  for (const p of files.files.keys()) if ((irParentPath(p) ?? '') === dir && re.test(name(p))) return 0;
  for (const p of files.dirs) if (p !== '' && (irParentPath(p) ?? '') === dir && re.test(name(p))) return 0;
  return NtStatus.STATUS_NO_SUCH_FILE;
}
