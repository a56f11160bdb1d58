/**
 * Operating an AD lab known only through its state file (`smbench lab status|down --ad`). The pid
 * is trusted only while /proc says it is still samba running this lab's config: state files
 * outlive reboots and pids get recycled.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { AD_LAB_DIR_PREFIX, adLabLayout } from './ad-layout.js';
import type { AdLabState } from './ad-lab-state.js';
import { stopSamba } from './ad-samba-process.js';
import { probeSmb2 } from './negotiate-probe.js';
import { isProcessAlive, processCommandLine } from './smbd-process.js';

/**
 * samba rewrites its command line ("samba: root process"), so ownership is checked through the
 * pid file it writes into the lab's own pid directory, plus "is it a samba at all".
 */
export function isAdLabProcess(state: AdLabState): boolean {
  if (!isProcessAlive(state.pid)) return false;
  const cmdline = processCommandLine(state.pid);
  // Without procfs we cannot tell; assume it is ours rather than leak a DC.
  if (cmdline === undefined) return true;
  if (!cmdline.includes('samba')) return false;
  try {
    return (
      Number(readFileSync(join(adLabLayout(state.dir).pidDir, 'samba.pid'), 'utf8').trim()) === state.pid
    );
  } catch {
    return false;
  }
}

export interface AdLabStatus {
  readonly running: boolean;
  /** SMB2 NEGOTIATE answered with STATUS_SUCCESS on the lab's SMB port. */
  readonly smbAnswering: boolean;
}

export async function adLabStatus(state: AdLabState, probeTimeoutMs = 2000): Promise<AdLabStatus> {
  const running = isAdLabProcess(state);
  const probe = running ? await probeSmb2(state.host, state.smbPort, probeTimeoutMs) : undefined;
  return { running, smbAnswering: probe?.status === 0 };
}

/** Stops the DC (if still ours) and removes its directory unless keepDir/state.keep. */
export async function stopAdLabByState(
  state: AdLabState,
  opts: { keepDir?: boolean } = {},
): Promise<{ stopped: boolean; removedDir: boolean }> {
  const running = isAdLabProcess(state);
  if (running) await stopSamba(state.pid, state.confPath);
  if (opts.keepDir ?? state.keep) return { stopped: running, removedDir: false };
  // The path came from a file: refuse to delete anything that is not an AD lab directory.
  if (!basename(state.dir).startsWith(AD_LAB_DIR_PREFIX) || !state.confPath.startsWith(state.dir)) {
    throw new SmbBenchError(ErrorCode.LAB, `refusing to remove ${state.dir}: not a smbench AD lab directory`);
  }
  await rm(state.dir, { recursive: true, force: true });
  return { stopped: running, removedDir: true };
}
