/**
 * Running the AD DC (`samba`) as our child and stopping it by pid.
 *
 * samba runs in a mount namespace of its own where the lab's run/ directory is bind-mounted over
 * /run/samba. The reason: smbd maps domain SIDs to uids by asking winbindd through libwbclient,
 * and libwbclient only knows the compiled-in socket path /run/samba/winbindd (`winbindd socket
 * directory` is honoured by winbindd but not by its clients). Without the namespace two labs, or a
 * lab and a system winbindd, would answer each other's smbd.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { AdLabLayout } from './ad-layout.js';
import { probeSmb2 } from './negotiate-probe.js';
import { isProcessAlive, processCommandLine } from './smbd-process.js';

export interface SpawnSambaOptions {
  readonly sambaPath: string;
  readonly unsharePath: string;
  readonly layout: AdLabLayout;
  readonly logLevel: number;
  readonly detached: boolean;
}

export interface SambaChild {
  readonly pid: number;
  /** Resolves with the exit code (or signal name) when samba exits; never rejects. */
  readonly exited: Promise<string>;
}

/** The shell run inside the namespace; paths arrive as $1..$4 so nothing needs quoting. */
const NAMESPACE_SCRIPT =
  'mkdir -p /run/samba && mount --bind "$1" /run/samba && ' +
  'exec "$2" --foreground --no-process-group --debug-stdout --debuglevel="$3" --configfile="$4"';

export function spawnSamba(opts: SpawnSambaOptions): SambaChild {
  const logFd = openSync(opts.layout.sambaLogPath, 'a');
  try {
    // unshare without --fork execs in place, and so does the shell: the pid we get is samba's.
    // detached: setsid, so samba leads a process group that stop() can signal as a whole.
    const child = spawn(
      opts.unsharePath,
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        NAMESPACE_SCRIPT,
        'smbench-ad-lab',
        opts.layout.runDir,
        opts.sambaPath,
        String(opts.logLevel),
        opts.layout.confPath,
      ],
      { detached: true, stdio: ['ignore', logFd, logFd] },
    );
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code ?? '?'}`));
      child.once('error', (err) => resolve(`spawn error: ${err.message}`));
    });
    if (opts.detached) child.unref();
    if (child.pid === undefined) throw new SmbBenchError(ErrorCode.LAB, `could not start ${opts.sambaPath}`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(logFd);
  }
}

export interface ReadinessTarget {
  readonly host: string;
  readonly smbPort: number;
  readonly kdcPort: number;
  readonly ldapPort: number;
  readonly ldapsPort: number;
  readonly layout: AdLabLayout;
}

/**
 * Waits until every service the lab promises answers: SMB2 NEGOTIATE on the SMB port, TCP on the
 * KDC and LDAP ports, the generated TLS CA on disk and winbindd's socket present (smbd's first
 * SESSION_SETUP needs it). Returns undefined when ready, else why not.
 */
export async function waitForSamba(
  child: SambaChild,
  target: ReadinessTarget,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void child.exited.then((reason) => (exitReason = reason));
  const pending = new Map<string, () => Promise<boolean>>([
    ['LDAP', () => tcpAnswers(target.host, target.ldapPort)],
    ['LDAPS', () => tcpAnswers(target.host, target.ldapsPort)],
    ['Kerberos', () => tcpAnswers(target.host, target.kdcPort)],
    ['TLS CA', () => exists(target.layout.tlsCaPath)],
    ['winbindd', () => exists(join(target.layout.runDir, 'winbindd', 'pipe'))],
    ['SMB', async () => (await probeSmb2(target.host, target.smbPort, 2000))?.status === 0],
  ]);
  let delay = 100;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return `samba exited (${exitReason})`;
    for (const [name, check] of pending) if (await check()) pending.delete(name);
    if (pending.size === 0) return undefined;
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
  return `samba did not become ready within ${timeoutMs} ms; still waiting for ${[...pending.keys()].join(', ')}`;
}

/**
 * SIGTERM to samba's process group, SIGKILL after graceMs; then any process still running with our
 * config file (smbd and winbindd make process groups of their own) is killed by pid. Resolves once
 * all are gone.
 */
export async function stopSamba(pid: number, confPath: string, graceMs = 10_000): Promise<void> {
  if (!signal(-pid, 'SIGTERM')) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  for (let round = 0; round < 40; round++) {
    const left = processesUsingConfig(confPath);
    if (left.length === 0 && !isProcessAlive(pid)) return;
    for (const other of left) signal(other, round < 10 ? 'SIGTERM' : 'SIGKILL');
    await sleep(50);
  }
  const left = processesUsingConfig(confPath);
  if (left.length > 0 || isProcessAlive(pid)) {
    throw new SmbBenchError(ErrorCode.LAB, `samba processes survived SIGKILL: ${[pid, ...left].join(', ')}`);
  }
}

/** Synchronous last resort for process 'exit' hooks. */
export function killSambaSync(pid: number, confPath: string): void {
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  for (const other of processesUsingConfig(confPath)) signal(other, 'SIGKILL');
}

/** Pids (other than ours) whose command line names confPath: the lab's smbd and winbindd. */
export function processesUsingConfig(confPath: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmdline = processCommandLine(pid);
    if (cmdline?.includes(`--configfile=${confPath}`) === true && isProcessAlive(pid)) out.push(pid);
  }
  return out;
}

function signal(target: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') {
      throw new SmbBenchError(
        ErrorCode.LAB,
        `not allowed to signal samba (pid ${Math.abs(target)}); run as root`,
        {
          cause: err,
        },
      );
    }
    return false;
  }
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
