/**
 * The status a QUERY_DIRECTORY gets in a synthesised namespace (MS-SMB2 3.3.5.18): the first
 * query of an open lists what matches (STATUS_NO_SUCH_FILE when nothing does), later ones without
 * SMB2_RESTART_SCANS / SMB2_REOPEN find the enumeration exhausted (STATUS_NO_MORE_FILES).
 */
import { irParentPath } from '../../ir/index.js';
import { QueryDirectoryFlags } from '../../smb2/commands/query-directory.js';
import { searchPatternRegex } from '../../smb2/fscc/search-pattern.js';
import { NtStatus } from '../../smb2/nt-status.js';
import type { QueryDirectoryTemplate } from '../model-types.js';
import type { UserFiles } from './user-files.js';

/** Flags that start the enumeration over, so a later query lists again. */
const RESTARTS = QueryDirectoryFlags.SMB2_RESTART_SCANS | QueryDirectoryFlags.SMB2_REOPEN;

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
  if (q.pattern === '*' || (dir !== '' && searchPatternRegex(q.pattern).test('.'))) return 0;
  const re = searchPatternRegex(q.pattern);
  const name = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  for (const p of files.files.keys()) if ((irParentPath(p) ?? '') === dir && re.test(name(p))) return 0;
  for (const p of files.dirs) if (p !== '' && (irParentPath(p) ?? '') === dir && re.test(name(p))) return 0;
  return NtStatus.STATUS_NO_SUCH_FILE;
}
