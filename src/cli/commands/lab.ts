/**
 * `smbench lab up|down|status`: a throwaway Samba server on 127.0.0.1 for trying smbench out and
 * for the README demo. `up` leaves smbd running detached and records it in a state file; `status`
 * and `down` find it again through that file.
 */
import { resolve } from 'node:path';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { labStatus, stopLabByState } from '../../lab/lab-control.js';
import type { LabShareOptions } from '../../lab/lab-options.js';
import { DEFAULT_LAB_SHARE, SambaEncrypt, SambaProtocol, SambaSigning } from '../../lab/lab-options.js';
import { DEFAULT_LAB_STATE_PATH, readLabState, removeLabState, writeLabState } from '../../lab/lab-state.js';
import type { LabState } from '../../lab/lab-state.js';
import { startSambaLab } from '../../lab/samba-lab.js';
import { choiceFlag, formatFlagHelp, intFlag, keyValueFlag, parseFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import type { CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';
import { AD_LAB_USAGE, runAdLab } from './lab-ad.js';

const COMMON_FLAGS = {
  state: {
    type: 'string',
    valueName: 'FILE',
    description: `lab state file (default ${DEFAULT_LAB_STATE_PATH})`,
  },
  json: { type: 'boolean', description: 'print the lab state as JSON on stdout' },
} as const;

const UP_FLAGS = {
  ...COMMON_FLAGS,
  port: { type: 'string', valueName: 'N', description: 'TCP port (default: a free port; never 445)' },
  share: {
    type: 'string',
    multiple: true,
    valueName: 'NAME',
    description: 'share to create (default bench)',
  },
  user: { type: 'string', multiple: true, valueName: 'USER:PASSWORD', description: 'account to create' },
  'min-protocol': { type: 'string', valueName: 'P', description: 'server min protocol (SMB2_02..SMB3_11)' },
  'max-protocol': { type: 'string', valueName: 'P', description: 'server max protocol (SMB2_02..SMB3_11)' },
  signing: { type: 'string', valueName: 'MODE', description: 'server signing: auto|required|disabled' },
  encrypt: {
    type: 'string',
    valueName: 'MODE',
    description: 'global server smb encrypt: off|desired|required',
  },
  'share-encrypt': {
    type: 'string',
    valueName: 'MODE',
    description: 'per-share smb encrypt for every share',
  },
  option: {
    type: 'string',
    multiple: true,
    valueName: 'NAME=VALUE',
    description: 'extra [global] smb.conf line',
  },
  'log-level': { type: 'string', valueName: 'N', description: 'smbd debug level 0-10 (default 1)' },
  timeout: { type: 'string', valueName: 'MS', description: 'start timeout in ms (default 20000)' },
  keep: { type: 'boolean', description: 'keep the lab directory on down' },
  'no-streams': { type: 'boolean', description: 'shares refuse alternate data streams (file:stream)' },
} as const;

const DOWN_FLAGS = {
  ...COMMON_FLAGS,
  'keep-dir': { type: 'boolean', description: 'stop smbd but keep the lab directory (logs)' },
} as const;

const USAGE = `Usage: smbench lab up|down|status [options]

Runs a throwaway Samba file server on 127.0.0.1 (needs smbd; root to create the lab user).
  up      start it, detached; write the state file; print how to connect
  status  exit 0 if the lab in the state file is running and answers SMB2, else 1
  down    stop it and remove its directory and state file

Options for up:
${formatFlagHelp(UP_FLAGS)}

Options for down:
${formatFlagHelp({ 'keep-dir': DOWN_FLAGS['keep-dir'] })}

Example:
  smbench lab up --signing required --encrypt required && smbench lab status && smbench lab down

${AD_LAB_USAGE}`;

export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'start/stop a throwaway local Samba server (up|down|status)',
  usage: USAGE,
  async run(argv) {
    const [action, ...rest] = argv;
    if (rest.includes('--ad')) return runAdLab(action, rest);
    switch (action) {
      case 'up':
        return labUp(rest);
      case 'down':
        return labDown(rest);
      case 'status':
        return labStatusCommand(rest);
      default:
        throw usageError(
          action === undefined
            ? 'lab needs an action: up, down or status'
            : `unknown lab action ${JSON.stringify(action)}`,
        );
    }
  },
};

async function labUp(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, UP_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_LAB_STATE_PATH);
  const existing = await readLabState(statePath).catch(() => undefined);
  if (existing !== undefined && (await labStatus(existing, 500)).running) {
    throw new SmbBenchError(
      ErrorCode.LAB,
      `a lab is already running (pid ${existing.pid}, port ${existing.port}) per ${statePath}; run "smbench lab down" first`,
    );
  }
  const protocols = Object.values(SambaProtocol);
  const shareEncrypt = choiceFlag(flags['share-encrypt'], 'share-encrypt', Object.values(SambaEncrypt));
  const streams = !flags['no-streams'];
  const shareNames = flags.share.length > 0 ? flags.share : [DEFAULT_LAB_SHARE];
  const shares: LabShareOptions[] = shareNames.map((name) => ({
    name,
    streams,
    ...(shareEncrypt ? { encrypt: shareEncrypt } : {}),
  }));
  const lab = await startSambaLab({
    detached: true,
    port: intFlag(flags.port, 'port', { min: 1, max: 65535 }),
    shares,
    users: flags.user.length > 0 ? flags.user.map(parseUserFlag) : undefined,
    minProtocol: choiceFlag(flags['min-protocol'], 'min-protocol', protocols),
    maxProtocol: choiceFlag(flags['max-protocol'], 'max-protocol', protocols),
    signing: choiceFlag(flags.signing, 'signing', Object.values(SambaSigning)),
    encrypt: choiceFlag(flags.encrypt, 'encrypt', Object.values(SambaEncrypt)),
    extraGlobal: Object.fromEntries(flags.option.map((o) => keyValueFlag(o, 'option'))),
    logLevel: intFlag(flags['log-level'], 'log-level', { min: 0, max: 10 }),
    startTimeoutMs: intFlag(flags.timeout, 'timeout', { min: 100 }),
    keep: flags.keep,
  });
  const state = lab.toJSON();
  try {
    await writeLabState(statePath, state);
  } catch (err) {
    // Without a state file nobody could stop it later: do not leave it running.
    await lab.stop();
    throw err;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
  else process.stdout.write(describeLab(state, statePath));
  return ExitCode.OK;
}

async function labStatusCommand(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, COMMON_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_LAB_STATE_PATH);
  const state = await readLabState(statePath);
  if (state === undefined) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ running: false, statePath })}\n`);
    else process.stdout.write(`no lab: ${statePath} does not exist\n`);
    return ExitCode.FAILURE;
  }
  const status = await labStatus(state);
  const healthy = status.running && status.probe !== undefined && status.probe.status === 0;
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ...state, running: status.running, answering: healthy }, null, 2)}\n`,
    );
  } else if (healthy) {
    process.stdout.write(describeLab(state, statePath));
  } else {
    process.stdout.write(
      status.running
        ? `lab smbd pid ${state.pid} is running but does not answer SMB2 on ${state.host}:${state.port}; see ${state.logPath}\n`
        : `lab is not running (pid ${state.pid} is gone); "smbench lab down" cleans up ${state.dir}\n`,
    );
  }
  return healthy ? ExitCode.OK : ExitCode.FAILURE;
}

async function labDown(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, DOWN_FLAGS, { maxPositionals: 0 });
  const statePath = resolve(flags.state ?? DEFAULT_LAB_STATE_PATH);
  const state = await readLabState(statePath);
  if (state === undefined) {
    process.stdout.write(`no lab: ${statePath} does not exist; nothing to stop\n`);
    return ExitCode.OK;
  }
  const result = await stopLabByState(state, flags['keep-dir'] ? { keepDir: true } : {});
  await removeLabState(statePath);
  if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, pid: state.pid, dir: state.dir })}\n`);
  else {
    process.stdout.write(
      `${result.stopped ? `stopped smbd pid ${state.pid}` : `smbd pid ${state.pid} was not running`}; ` +
        `${result.removedDir ? `removed ${state.dir}` : `kept ${state.dir}`}\n`,
    );
  }
  return ExitCode.OK;
}

function parseUserFlag(value: string): { user: string; password: string } {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw usageError(`--user expects USER:PASSWORD, got ${JSON.stringify(value)}`);
  }
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

export function describeLab(state: LabState, statePath: string): string {
  const share = state.shares[0]?.name ?? '';
  const lines = [
    `Samba lab running: smb://${state.host}:${state.port}/${share} (smbd ${state.smbdVersion}, pid ${state.pid})`,
    `  shares: ${state.shares.map((s) => `${s.name} -> ${s.path}`).join(', ')}`,
    ...state.users.map((u) => `  user:   ${u.domain}\\${u.user} password ${u.password}`),
    `  log:    ${state.logPath}`,
    `  state:  ${statePath}`,
  ];
  const user = state.users[0];
  if (user !== undefined) {
    lines.push(
      `  try:    smbclient //${state.host}/${share} -p ${state.port} -U '${user.user}%${user.password}' -m SMB3 -c ls`,
    );
  }
  return `${lines.join('\n')}\n`;
}
