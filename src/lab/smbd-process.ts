/**
 * Running smbd as a child: spawn it in its own process group, wait until it answers SMB2, and stop
 * it (with every per-connection child it forked) by pid. Stopping by pid — not by name — matters:
 * the machine may run other smbd instances that are none of our business.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { probeSmb2 } from './negotiate-probe.js';
import type { ProbeResult } from './negotiate-probe.js';

export interface SpawnSmbdOptions {
  readonly smbdPath: string;
  readonly confPath: string;
  /** smbd's stdout and stderr (its debug log, thanks to --debug-stdout) go here. */
  readonly logPath: string;
  readonly logLevel: number;
  /** Let the child outlive this process (no pipe or handle keeps us attached). */
  readonly detached: boolean;
}

export interface SmbdChild {
  readonly pid: number;
  /** Resolves with the exit code (or signal name) if smbd exits; never rejects. */
  readonly exited: Promise<string>;
}

export function spawnSmbd(opts: SpawnSmbdOptions): SmbdChild {
  const logFd = openSync(opts.logPath, 'a');
  try {
    // --foreground: stay our child so we own its pid. --no-process-group: the group is made by
    // `detached: true` (setsid) already, and it lets stop() signal smbd and its forks together.
    const child = spawn(
      opts.smbdPath,
      [
        '--foreground',
        '--no-process-group',
        '--debug-stdout',
        `--debuglevel=${opts.logLevel}`,
        `--configfile=${opts.confPath}`,
      ],
      { detached: true, stdio: ['ignore', logFd, logFd] },
    );
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code ?? '?'}`));
      child.once('error', (err) => resolve(`spawn error: ${err.message}`));
    });
    if (opts.detached) child.unref();
    if (child.pid === undefined) {
      throw new SmbBenchError(ErrorCode.LAB, `could not start ${opts.smbdPath}`);
    }
    return { pid: child.pid, exited };
  } finally {
    closeSync(logFd);
  }
}

/**
 * Polls with an SMB2 NEGOTIATE until smbd answers, smbd exits, or the deadline passes. Returns the
 * probe result, or a string saying why smbd is not serving.
 */
export async function waitForSmbd(
  child: SmbdChild,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeResult | string> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void child.exited.then((reason) => (exitReason = reason));
  let delay = 25;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return `smbd exited (${exitReason})`;
    const result = await probeSmb2(host, port, Math.min(2000, Math.max(100, deadline - Date.now())));
    if (result !== undefined) return result;
    if (exitReason !== undefined) return `smbd exited (${exitReason})`;
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
  return `smbd did not answer an SMB2 NEGOTIATE on ${host}:${port} within ${timeoutMs} ms`;
}

/**
 * True if the pid names a live (not zombie) process. kill(pid, 0) alone says "alive" for a zombie,
 * which a detached smbd becomes when its parent is gone and nobody reaps it.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Field 3 (after the parenthesised command name) is the state; Z = zombie, X = dead.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No procfs (not Linux): trust kill(0).
    return true;
  }
}

/**
 * SIGTERM to smbd's process group (smbd and its per-connection children), SIGKILL after graceMs.
 * Resolves once the leader is gone. Errors other than "no such process" are reported.
 */
export async function stopProcessGroup(pid: number, graceMs = 5000): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) {
      // The leader is gone; make sure no forked child lingers holding the port or the directory.
      signalGroup(pid, 'SIGKILL');
      return;
    }
    await sleep(50);
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (isProcessAlive(pid) && Date.now() < killDeadline) await sleep(20);
  if (isProcessAlive(pid)) throw new SmbBenchError(ErrorCode.LAB, `smbd (pid ${pid}) survived SIGKILL`);
}

/**
 * The command line of a running process (NUL separators turned into spaces), or undefined when it
 * cannot be read. Used to check that a pid from a state file is still *our* smbd and not a
 * recycled pid now owned by something else.
 */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Synchronous last resort for process 'exit' hooks, where no awaiting is possible. */
export function killProcessGroupSync(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

/** Signals the group led by pid, falling back to the pid alone; false if nothing was there. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPERM') {
        throw new SmbBenchError(
          ErrorCode.LAB,
          `not allowed to signal smbd (pid ${pid}); was it started by root?`,
          {
            cause: err,
          },
        );
      }
    }
  }
  return false;
}

/** The last lines of a log file, for error messages; empty if it cannot be read. */
export async function tailFile(path: string, maxLines = 20, maxBytes = 16_384): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      return buf.toString('utf8').trimEnd().split('\n').slice(-maxLines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
