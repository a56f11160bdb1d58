/**
 * A throwaway Samba file server on 127.0.0.1: its own directory tree, config, users and port, so
 * end-to-end tests, the CLI (`smbench lab up`) and the README demo all run against the same thing.
 *
 *   const lab = await startSambaLab({ signing: 'required' });
 *   try { ...connect to lab.host:lab.port as lab.users[0]... } finally { await lab.stop(); }
 */
import { rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { assertUsablePort, findFreePort } from './free-port.js';
import { addSambaUser, ensureUnixUsers, isRoot } from './lab-accounts.js';
import { createLabTree, sharePath } from './lab-layout.js';
import type { LabLayout } from './lab-layout.js';
import {
  DEFAULT_LAB_PASSWORD,
  DEFAULT_START_TIMEOUT_MS,
  LAB_HOST,
  LAB_NETBIOS_NAME,
  resolveShares,
  resolveUsers,
} from './lab-options.js';
import type { LabOptions, LabUserOptions } from './lab-options.js';
import { LAB_STATE_VERSION } from './lab-state.js';
import type { LabShareState, LabState, LabUserState } from './lab-state.js';
import { requireSambaTool, sambaVersion } from './samba-tools.js';
import { encryptParameterFor, renderSmbConf } from './smb-conf.js';
import type { SmbConfInput } from './smb-conf.js';
import { killProcessGroupSync, spawnSmbd, stopProcessGroup, tailFile, waitForSmbd } from './smbd-process.js';
import { trackForExitCleanup, untrackForExitCleanup } from './exit-cleanup.js';
import { userXattrProblem } from './xattr-probe.js';

export type { LabOptions } from './lab-options.js';

export interface SambaLab {
  readonly host: typeof LAB_HOST;
  readonly port: number;
  readonly shares: readonly LabShareState[];
  readonly users: readonly LabUserState[];
  readonly dir: string;
  readonly pid: number;
  readonly confPath: string;
  /** smbd's main log; per-client logs are next to it as log.<machine>. */
  readonly logPath: string;
  readonly smbdVersion: string;
  /** `smb://127.0.0.1:PORT/share` (default: the first share). */
  url(share?: string): string;
  /** Stops smbd (and its children) and removes the directory unless `keep`. Idempotent. */
  stop(): Promise<void>;
  /** The state-file form, as written by `smbench lab up`. */
  toJSON(): LabState;
}

/** Attempts when the port was chosen by us: another process may take it before smbd binds. */
const START_ATTEMPTS = 3;

export async function startSambaLab(opts: LabOptions = {}): Promise<SambaLab> {
  // Validate everything the caller gave before touching the system.
  if (opts.port !== undefined) assertUsablePort(opts.port);
  const shares = resolveShares(opts.shares);
  const users = resolveUsers(opts.users ?? defaultUsersWithoutRoot());
  const smbdPath = requireSambaTool('smbd');
  const version = await sambaVersion(smbdPath);
  await ensureUnixUsers(users);

  const layout = await createLabTree(
    shares.map((s) => s.name),
    opts.parentDir,
  );
  const keep = opts.keep ?? false;
  const logLevel = opts.logLevel ?? 1;
  const confFor = (port: number): SmbConfInput => ({
    layout,
    port,
    shares: shares.map((s) => ({ ...s, path: sharePath(layout, s.name) })),
    minProtocol: opts.minProtocol,
    maxProtocol: opts.maxProtocol,
    signing: opts.signing,
    encrypt: opts.encrypt,
    encryptParameter: encryptParameterFor(version),
    logLevel,
    extraGlobal: opts.extraGlobal,
  });

  try {
    if (shares.some((s) => s.streams)) await assertStreamsBacking(layout);
    let failure = '';
    const attempts = opts.port === undefined ? START_ATTEMPTS : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const port = opts.port ?? (await findFreePort(LAB_HOST));
      await writeFile(layout.confPath, renderSmbConf(confFor(port)));
      if (attempt === 1) for (const user of users) await addSambaUser(layout.confPath, user);
      const child = spawnSmbd({
        smbdPath,
        confPath: layout.confPath,
        logPath: layout.smbdLogPath,
        logLevel,
        detached: opts.detached ?? false,
      });
      const ready = await waitForSmbd(child, LAB_HOST, port, opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      if (typeof ready !== 'string') {
        return new RunningSambaLab(
          layout,
          port,
          child.pid,
          version.text,
          shares.map((s) => s.name),
          users,
          keep,
          {
            detached: opts.detached ?? false,
          },
        );
      }
      failure = ready;
      await stopProcessGroup(child.pid, 1000).catch(() => undefined);
    }
    const log = await tailFile(layout.smbdLogPath);
    throw new SmbBenchError(
      ErrorCode.LAB,
      `Samba lab failed to start: ${failure}` +
        (isRoot() ? '' : ' (not running as root: smbd may be unable to switch users or bind)') +
        `\n--- last lines of ${layout.smbdLogPath} ---\n${log || '(empty)'}`,
    );
  } catch (err) {
    if (!keep) await rm(layout.dir, { recursive: true, force: true });
    throw err;
  }
}

/** Stream shares keep streams in user xattrs: refuse to start a lab that would fail every stream op. */
async function assertStreamsBacking(layout: LabLayout): Promise<void> {
  const problem = await userXattrProblem(layout.sharesDir);
  if (problem === undefined) return;
  throw new SmbBenchError(
    ErrorCode.LAB,
    `the lab cannot serve alternate data streams: ${problem}. ` +
      'Start it under a directory on ext4, xfs or btrfs (TMPDIR or parentDir), or without streams (lab up --no-streams)',
  );
}

/**
 * Without root smbd cannot become any other Unix user, so the default account is the caller's own
 * (it needs no useradd); everything still lives in the lab's private passdb.
 */
function defaultUsersWithoutRoot(): LabUserOptions[] | undefined {
  return isRoot() ? undefined : [{ user: userInfo().username, password: DEFAULT_LAB_PASSWORD }];
}

class RunningSambaLab implements SambaLab {
  readonly host = LAB_HOST;
  readonly shares: readonly LabShareState[];
  readonly users: readonly LabUserState[];
  readonly dir: string;
  readonly confPath: string;
  readonly logPath: string;
  private readonly startedAt = new Date().toISOString();
  private stopping: Promise<void> | undefined;

  constructor(
    layout: LabLayout,
    readonly port: number,
    readonly pid: number,
    readonly smbdVersion: string,
    shareNames: readonly string[],
    users: readonly LabUserOptions[],
    private readonly keep: boolean,
    { detached }: { detached: boolean },
  ) {
    this.dir = layout.dir;
    this.confPath = layout.confPath;
    this.logPath = layout.smbdLogPath;
    this.shares = Object.freeze(
      shareNames.map((name) => Object.freeze({ name, path: sharePath(layout, name) })),
    );
    this.users = Object.freeze(
      users.map(({ user, password }) => Object.freeze({ user, password, domain: LAB_NETBIOS_NAME })),
    );
    if (!detached) trackForExitCleanup(this);
  }

  url(share = this.shares[0]?.name ?? ''): string {
    return `smb://${this.host}:${this.port}/${share}`;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await stopProcessGroup(this.pid);
      } finally {
        untrackForExitCleanup(this);
        if (!this.keep) await rm(this.dir, { recursive: true, force: true });
      }
    })();
    return this.stopping;
  }

  /** Synchronous teardown for process exit hooks. */
  killSync(): void {
    killProcessGroupSync(this.pid);
    if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  toJSON(): LabState {
    return {
      version: LAB_STATE_VERSION,
      host: this.host,
      port: this.port,
      pid: this.pid,
      dir: this.dir,
      confPath: this.confPath,
      logPath: this.logPath,
      shares: this.shares,
      users: this.users,
      smbdVersion: this.smbdVersion,
      startedAt: this.startedAt,
      keep: this.keep,
    };
  }
}
