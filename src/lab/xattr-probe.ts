/**
 * Whether a directory's file system takes `user.*` extended attributes. vfs_streams_xattr(8) keeps
 * every alternate data stream (MS-FSCC 2.1.5) in one, so a lab that serves streams checks this at
 * start instead of letting every stream open fail later with an opaque status. tmpfs before
 * Linux 6.6 is the usual culprit. Node has no xattr API: `setfattr` (package `attr`) does it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findExecutable } from './samba-tools.js';

const execFileAsync = promisify(execFile);
const PROBE_NAME = 'user.smbench-probe';

/** Undefined when `dir` takes user xattrs, else why not (one sentence, for an error message). */
export async function userXattrProblem(dir: string): Promise<string | undefined> {
  const setfattr = findExecutable('setfattr', 'SMBENCH_SETFATTR');
  if (setfattr === undefined) {
    return 'setfattr (Debian package "attr") is not installed, so the lab cannot check that its directory takes user xattrs';
  }
  try {
    await execFileAsync(setfattr, ['-n', PROBE_NAME, '-v', '1', dir]);
    await execFileAsync(setfattr, ['-x', PROBE_NAME, dir]);
    return undefined;
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
    return `${dir} does not take user xattrs (${detail}); tmpfs before Linux 6.6 lacks them`;
  }
}
