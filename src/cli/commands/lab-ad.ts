/**
 * `smbench lab up|down|status --ad`: the Active Directory lab (a Samba AD DC for SMBENCH.TEST on a
 * loopback address of its own). Same shape as the file-server lab, separate state file, so both
 * can run at once.
 */
import { resolve } from 'node:path';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { startAdLab } from '../../lab/ad-lab.js';
import { adLabStatus, stopAdLabByState } from '../../lab/ad-lab-control.js';
import {
  DEFAULT_AD_LAB_STATE_PATH,
  readAdLabState,
  removeAdLabState,
  writeAdLabState,
} from '../../lab/ad-lab-state.js';
import type { AdLabState } from '../../lab/ad-lab-state.js';
import { formatFlagHelp, intFlag, parseFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';

const COMMON_FLAGS = {
  ad: { type: 'boolean', description: 'the Active Directory lab' },
  state: {
    type: 'string',
    valueName: 'FILE',
    description: `AD lab state file (default ${DEFAULT_AD_LAB_STATE_PATH})`,
  },
  json: { type: 'boolean', description: 'print the lab state as JSON on stdout' },
} as const;

export const AD_UP_FLAGS = {
  ...COMMON_FLAGS,
  host: {
    type: 'string',
    valueName: 'ADDR',
    description: 'loopback address to bind (default: a free random 127.x.y.z)',
  },
  'admin-password': {
    type: 'string',
    valueName: 'PW',
    description: 'Administrator password (must pass the AD policy)',
  },
  'no-complexity': { type: 'boolean', description: 'turn off the password complexity rule' },
  'log-level': { type: 'string', valueName: 'N', description: 'samba debug level 0-10 (default 1)' },
  timeout: { type: 'string', valueName: 'MS', description: 'start timeout in ms (default 60000)' },
  keep: { type: 'boolean', description: 'keep the lab directory on down' },
} as const;

const DOWN_FLAGS = {
  ...COMMON_FLAGS,
  'keep-dir': { type: 'boolean', description: 'stop samba but keep the directory' },
} as const;

export const AD_LAB_USAGE = `AD lab (--ad): a Samba AD DC for SMBENCH.TEST on its own loopback address (root, samba-ad-dc).
Options for up --ad:
${formatFlagHelp(AD_UP_FLAGS)}

Example:
  smbench lab up --ad && smbench users provision --lab --grant-share --count 200 && smbench lab down --ad`;

export async function runAdLab(action: string | undefined, argv: readonly string[]): Promise<ExitCode> {
  switch (action) {
    case 'up':
      return adLabUp(argv);
    case 'down':
      return adLabDown(argv);
    case 'status':
      return adLabStatusCommand(argv);
    default:
      throw usageError(
        action === undefined
          ? 'lab needs an action: up, down or status'
          : `unknown lab action ${JSON.stringify(action)}`,
      );
  }
}

async function adLabUp(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, AD_UP_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_AD_LAB_STATE_PATH);
  const existing = await readAdLabState(statePath).catch(() => undefined);
  if (existing !== undefined && (await adLabStatus(existing, 500)).running) {
    throw new SmbBenchError(
      ErrorCode.LAB,
      `an AD lab is already running (pid ${existing.pid}, ${existing.host}) per ${statePath}; run "smbench lab down --ad" first`,
    );
  }
  if (!flags.json) process.stderr.write('provisioning SMBENCH.TEST and starting samba (about 20 s)...\n');
  const lab = await startAdLab({
    detached: true,
    host: flags.host,
    adminPassword: flags['admin-password'],
    disablePasswordComplexity: flags['no-complexity'],
    logLevel: intFlag(flags['log-level'], 'log-level', { min: 0, max: 10 }),
    startTimeoutMs: intFlag(flags.timeout, 'timeout', { min: 1000 }),
    keep: flags.keep,
  });
  const state = lab.toJSON();
  try {
    await writeAdLabState(statePath, state);
  } catch (err) {
    await lab.stop();
    throw err;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
  else process.stdout.write(describeAdLab(state, statePath));
  return ExitCode.OK;
}

async function adLabStatusCommand(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, COMMON_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_AD_LAB_STATE_PATH);
  const state = await readAdLabState(statePath);
  if (state === undefined) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ running: false, statePath })}\n`);
    else process.stdout.write(`no AD lab: ${statePath} does not exist\n`);
    return ExitCode.FAILURE;
  }
  const status = await adLabStatus(state);
  const healthy = status.running && status.smbAnswering;
  if (flags.json) process.stdout.write(`${JSON.stringify({ ...state, ...status }, null, 2)}\n`);
  else if (healthy) process.stdout.write(describeAdLab(state, statePath));
  else {
    process.stdout.write(
      status.running
        ? `AD lab samba pid ${state.pid} is running but SMB does not answer on ${state.host}:${state.smbPort}; see ${state.logPath}\n`
        : `AD lab is not running (pid ${state.pid} is gone); "smbench lab down --ad" cleans up ${state.dir}\n`,
    );
  }
  return healthy ? ExitCode.OK : ExitCode.FAILURE;
}

async function adLabDown(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, DOWN_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_AD_LAB_STATE_PATH);
  const state = await readAdLabState(statePath);
  if (state === undefined) {
    process.stdout.write(`no AD lab: ${statePath} does not exist; nothing to stop\n`);
    return ExitCode.OK;
  }
  const result = await stopAdLabByState(state, flags['keep-dir'] ? { keepDir: true } : {});
  await removeAdLabState(statePath);
  if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, pid: state.pid, dir: state.dir })}\n`);
  else {
    process.stdout.write(
      `${result.stopped ? `stopped samba pid ${state.pid}` : `samba pid ${state.pid} was not running`}; ` +
        `${result.removedDir ? `removed ${state.dir}` : `kept ${state.dir}`}\n`,
    );
  }
  return ExitCode.OK;
}

export function describeAdLab(state: AdLabState, statePath: string): string {
  return [
    `AD lab running: realm ${state.realm} (NetBIOS ${state.domain}), DC ${state.dcHostName} on ${state.host} (samba ${state.sambaVersion}, pid ${state.pid})`,
    `  ldap:     ldap://${state.host}:${state.ldapPort}  ldaps://${state.host}:${state.ldapsPort} (CA ${state.caPath}, name ${state.tlsServerName})`,
    `  kerberos: ${state.host}:${state.kdcPort} (kpasswd ${state.kpasswdPort}); export KRB5_CONFIG=${state.krb5ConfPath}`,
    `  smb:      smb://${state.host}:${state.smbPort}/${state.share} (members of ${state.domain}\\${state.shareGroup})`,
    `  admin:    ${state.domain}\\${state.adminUser} password ${state.adminPassword}`,
    `  log:      ${state.logPath}`,
    `  state:    ${statePath}`,
    `  try:      smbench users provision --lab --grant-share --count 100`,
    '',
  ].join('\n');
}
