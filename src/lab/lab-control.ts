/**
 * Operating a lab known only through its state file, from another process than the one that
 * started it (`smbench lab status|down`). The pid is trusted only while /proc says it is still an
 * smbd running our config file: state files outlive reboots, pids get recycled.
 */
import { rm } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { LabState } from './lab-state.js';
import { probeSmb2 } from './negotiate-probe.js';
import type { ProbeResult } from './negotiate-probe.js';
import { isProcessAlive, processCommandLine, stopProcessGroup } from './smbd-process.js';

export interface LabStatus {
  /** The pid is alive and its command line is smbd with this lab's config. */
  readonly running: boolean;
  /** The NEGOTIATE probe's answer, undefined if the port did not answer SMB2. */
  readonly probe: ProbeResult | undefined;
}

/** True if pid is a live process whose command line names this lab's smb.conf. */
export function isLabProcess(state: LabState): boolean {
  if (!isProcessAlive(state.pid)) return false;
  const cmdline = processCommandLine(state.pid);
  // Without procfs we cannot tell; assume the pid is still ours rather than leak a server.
  return cmdline === undefined || cmdline.includes(state.confPath);
}

export async function labStatus(state: LabState, probeTimeoutMs = 2000): Promise<LabStatus> {
  const running = isLabProcess(state);
  const probe = running ? await probeSmb2(state.host, state.port, probeTimeoutMs) : undefined;
  return { running, probe };
}

export interface StopResult {
  /** smbd was running and has been stopped. */
  readonly stopped: boolean;
  /** The lab directory was removed. */
  readonly removedDir: boolean;
}

/**
 * Stops the lab's smbd (if still ours) and removes its directory unless the state says keep.
 * Refuses to delete a directory that does not look like a lab, since the path came from a file.
 */
export async function stopLabByState(state: LabState, opts: { keepDir?: boolean } = {}): Promise<StopResult> {
  const running = isLabProcess(state);
  if (running) await stopProcessGroup(state.pid);
  const keepDir = opts.keepDir ?? state.keep;
  if (keepDir) return { stopped: running, removedDir: false };
  if (!/smbench-lab-[^/\\]+$/.test(state.dir) || !state.confPath.startsWith(state.dir)) {
    throw new SmbBenchError(ErrorCode.LAB, `refusing to remove ${state.dir}: not a smbench lab directory`);
  }
  await rm(state.dir, { recursive: true, force: true });
  return { stopped: running, removedDir: true };
}
