/**
 * Namespace isolation: virtual user `vu` works only below `<run-root>/<vu.dirName>/`. Every path the
 * runner sends (create names, rename targets) goes through here, and IR paths are checked again
 * (no `..`, no `\`, docs/ir.md "Paths") so a damaged workload can never reach outside its directory.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { irPathProblem } from '../ir/ir-path.js';
import { toSmbPath } from '../client/open-request.js';

export const DEFAULT_RUN_ROOT = 'smbench-run';

/** Checks a `--run-root` value: one or more plain path components below the share root. */
export function normalizeRunRoot(runRoot: string): string {
  const cleaned = runRoot.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  const problem = cleaned === '' ? 'must not be empty' : irPathProblem(cleaned);
  if (problem !== undefined) {
    throw new SmbBenchError(ErrorCode.USAGE, `--run-root ${JSON.stringify(runRoot)} ${problem}`);
  }
  return cleaned;
}

/** Maps IR paths of one virtual user to share-relative wire names (MS-SMB2 2.2.13: `\`, no leading `\`). */
export class UserPaths {
  /** The user's root as a share-relative `/` path, e.g. `smbench-run/u3.1`. */
  readonly root: string;

  constructor(runRoot: string, dirName: string) {
    if (irPathProblem(dirName) !== undefined || dirName.includes('/') || dirName === '') {
      throw new SmbBenchError(ErrorCode.USAGE, `invalid user directory name ${JSON.stringify(dirName)}`);
    }
    this.root = `${normalizeRunRoot(runRoot)}/${dirName}`;
  }

  /**
   * The share-relative `/` path of an IR path; `''` (the IR share root) is the user's root, and a
   * stream of the share root (`:name`, MS-FSCC 2.1.5) a stream of the user's root directory.
   */
  slashPath(irPath: string): string {
    const problem = irPathProblem(irPath);
    if (problem !== undefined) {
      throw new SmbBenchError(ErrorCode.IR, `IR path ${JSON.stringify(irPath)} ${problem}`);
    }
    if (irPath === '') return this.root;
    return irPath.startsWith(':') ? `${this.root}${irPath}` : `${this.root}/${irPath}`;
  }

  /** The wire name for CREATE and FileRenameInformation. */
  wirePath(irPath: string): string {
    return toSmbPath(this.slashPath(irPath));
  }

  /** Whether a share-relative path lies inside this user's tree (used by tests and cleanup checks). */
  contains(sharePath: string): boolean {
    const p = sharePath.replace(/\\/g, '/').replace(/^\/+/, '');
    return p === this.root || p.startsWith(`${this.root}/`) || p.startsWith(`${this.root}:`);
  }
}
