/**
 * Where the tests find the public captures made by other people: `../shared/pcaps/` beside the
 * repository root (see its SOURCES.md). This is the one place that knows the location; it is
 * resolved from this file, so a clone anywhere works, and never from an absolute path.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/shared-pcaps.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/pcaps` beside the repository root. */
export const SHARED_PCAPS_DIR = join(REPO_ROOT, '..', 'shared', 'pcaps');

/** The project's own recording of smbclient against Samba 4.17 on port 4450 (SOURCES.md, first row). */
export const BASIC_PCAP = sharedPcap('smbclient-samba-smb311-basic.pcap');

/** The path of one shared capture, by file name. */
export function sharedPcap(name: string): string {
  return join(SHARED_PCAPS_DIR, name);
}
