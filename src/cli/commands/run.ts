/**
 * `smbench run WORKLOAD.smbw --target smb://host[:port]/share ...`: replays a workload with N
 * virtual users (docs/runner.md). Progress and the summary table go to stderr, `--json` puts the
 * results on stdout, `--out` writes them to a file. Exit codes: OK, FAILURE (could not run, or
 * status fidelity below --min-fidelity), THRESHOLD (a --threshold was exceeded).
 */
import { parseAuthMechanism } from '../../auth/create-authenticator.js';
import type { LoginAuth } from '../../runner/credential-sessions.js';
import { writeFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { assertValidIr } from '../../ir/validate-ir.js';
import { formatSummary } from '../../observe/summary-table.js';
import { evaluateThresholds, parseThresholds } from '../../observe/thresholds.js';
import { resolveCredentials, type Credential } from '../../runner/credentials.js';
import { parseDurationMs } from '../../runner/duration.js';
import { parsePassNamespace, passesLine } from '../../runner/pass-namespace.js';
import { streamsRefusedLine } from '../../runner/stream-refusal.js';
import { FillMode } from '../../runner/namespace-ops.js';
import { RUN_DEFAULTS, type RunOptions } from '../../runner/run-options.js';
import { runWorkload, type RunOutcome } from '../../runner/runner.js';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../runner/checkpoint-writer.js';
import { stopOnSignals } from '../../runner/checkpoint-signals.js';
import { parseShard } from '../../runner/shard.js';
import { parseStartAt } from '../../runner/shard-start.js';
import { STOP_GRACE_MS } from '../../runner/replay.js';
import { DEFAULT_RETRIES } from '../../runner/retry-policy.js';
import { parseTarget, type RunTarget } from '../../runner/target.js';
import { DEFAULT_RUN_ROOT } from '../../runner/user-paths.js';
import { makePacing } from '../../scheduler/pacing.js';
import { formatFlagHelp, intFlag, parseFlags, type ParsedFlags } from '../args.js';
import { usageError, type CliCommand } from '../cli-command.js';
import { OBSERVABILITY_FLAGS, startRunObservability } from '../run-observability.js';
import { arrivalRunOptions, arrivalsLine } from '../arrival-options.js';
import { ExitCode } from '../exit-codes.js';

/** Flags shared by `run` and `prepare`: where to go, as whom, how many users, where in the share. */
export const TARGET_FLAGS = {
  target: { type: 'string', valueName: 'URL', description: 'smb://host[:port]/share (required)' },
  user: {
    type: 'string',
    short: 'u',
    valueName: 'USER',
    description: 'account name (or DOMAIN\\user); default $SMBENCH_USER',
  },
  password: {
    type: 'string',
    valueName: 'PASSWORD',
    // A command line is world-readable (ps, /proc/PID/cmdline): issue #11.7.
    description:
      'password; default $SMBENCH_PASSWORD (prefer it or --users-file: --password is visible in ps)',
  },
  domain: {
    type: 'string',
    valueName: 'DOMAIN',
    description: 'NTLM domain; default $SMBENCH_DOMAIN or none',
  },
  'users-file': {
    type: 'string',
    valueName: 'FILE',
    description:
      'CSV (user,password[,domain]) or JSON list of accounts; virtual user k uses account k mod count',
  },
  users: {
    type: 'string',
    short: 'n',
    valueName: 'N',
    description: 'virtual users (default: one per captured user)',
  },
  'run-root': {
    type: 'string',
    valueName: 'DIR',
    description: `directory in the share holding one directory per user (default ${DEFAULT_RUN_ROOT})`,
  },
  'sessions-per-connection': {
    type: 'string',
    valueName: 'N',
    description: `sessions multiplexed on each TCP connection (default ${RUN_DEFAULTS.sessionsPerConnection})`,
  },
  'request-timeout': {
    type: 'string',
    valueName: 'DURATION',
    description: `per-request timeout (default ${RUN_DEFAULTS.requestTimeoutMs / 1000}s)`,
  },
  'require-signing': {
    type: 'boolean',
    description: 'sign every request even if the server does not require it',
  },
  auth: {
    type: 'string',
    valueName: 'MECH',
    description: 'ntlm (default), kerberos or auto (docs/kerberos.md)',
  },
  realm: {
    type: 'string',
    valueName: 'REALM',
    description: 'Kerberos realm (default: a dotted --domain, else krb5.conf)',
  },
  kdc: { type: 'string', valueName: 'HOST[:PORT],...', description: 'Kerberos KDCs (default: krb5.conf)' },
  'spn-host': {
    type: 'string',
    valueName: 'NAME',
    description: 'server host name for the cifs/<name> ticket (default: the --target host)',
  },
} as const;

const RUN_FLAGS = {
  ...TARGET_FLAGS,
  speed: { type: 'string', valueName: 'X', description: 'replay X times faster than recorded (default 1)' },
  max: { type: 'boolean', description: 'closed loop: start each op as soon as its dependencies completed' },
  'ramp-up': {
    type: 'string',
    valueName: 'DURATION',
    description: 'start users evenly spread over this time, e.g. 10s',
  },
  duration: { type: 'string', valueName: 'DURATION', description: 'stop after this time, e.g. 60s' },
  iterations: { type: 'string', valueName: 'N', description: "replay each user's ops N times (default 1)" },
  'arrival-rate': {
    type: 'string',
    valueName: 'RATE',
    description:
      'open model: start user sessions at RATE (5/s, 30/m; stages 1/s:30s,20/s:1m ramp linearly) for --duration; an arrival with no free virtual user (--users, default 10 s of the peak rate) is dropped and counted',
  },
  'pass-namespace': {
    type: 'string',
    valueName: 'MODE',
    description:
      "passes after the first start from the initial namespace: fresh (default: own prepared directory per pass), reset (user's directory re-prepared), or reuse (over what the previous pass left)",
  },
  retries: {
    type: 'string',
    valueName: 'N',
    description: `retries of replay-safe ops on transport errors/timeouts (default ${DEFAULT_RETRIES})`,
  },
  durable: { type: 'boolean', description: 'request durable v2 handles and reclaim them after reconnects' },
  'op-timeout': {
    type: 'string',
    valueName: 'DURATION',
    description: `cancel an op the server still holds pending after this (notify, blocking lock...), counted as a timeout error (default ${RUN_DEFAULTS.opTimeoutMs / 1000}s)`,
  },
  'min-fidelity': {
    type: 'string',
    valueName: 'RATIO',
    description: `fail below this share of statuses matching the workload, e.g. 0.99 or 99% (default ${RUN_DEFAULTS.minFidelity})`,
  },
  threshold: {
    type: 'string',
    multiple: true,
    valueName: 'SPEC',
    description: "pass/fail check, e.g. 'p99<20ms', 'read.p99<10ms', 'errors<1%'",
  },
  out: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the results JSON to FILE' },
  json: { type: 'boolean', description: 'print the results JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress line and no summary table' },
  prepare: {
    type: 'boolean',
    description: "create the users' initial namespace first (see smbench prepare)",
  },
  cleanup: { type: 'boolean', description: "remove the users' directories after the run" },
  fill: {
    type: 'boolean',
    description: 'with --prepare: write every byte of every file (default: sparse above 1 MiB)',
  },
  'prepare-concurrency': {
    type: 'string',
    valueName: 'N',
    description: 'paths prepared/cleaned in parallel (default 32)',
  },
  'max-ops-in-memory': {
    type: 'string',
    valueName: 'N',
    description: 'workloads up to N ops are loaded in memory, bigger ones streamed (default 500000)',
  },
  checkpoint: {
    type: 'string',
    valueName: 'FILE',
    description: 'save progress and measurements to FILE periodically and on Ctrl-C/SIGTERM',
  },
  'checkpoint-interval': {
    type: 'string',
    valueName: 'DURATION',
    description: `time between checkpoints (default ${DEFAULT_CHECKPOINT_INTERVAL_MS / 1000}s)`,
  },
  resume: {
    type: 'string',
    valueName: 'FILE',
    description:
      'continue the run saved in checkpoint FILE (same workload and options; checkpoints go on to FILE)',
  },
  workers: { type: 'string', valueName: 'N', description: 'replay on N worker threads (default 1)' },
  shard: {
    type: 'string',
    valueName: 'i/N',
    description: 'run only the virtual users k with k mod N == i (docs/distributed.md)',
  },
  'start-at': {
    type: 'string',
    valueName: 'TIME',
    description: 'start the users at this instant (ISO time with zone, Unix ms or +30s), to align shards',
  },
  ...OBSERVABILITY_FLAGS,
} as const;

const USAGE = `Usage: smbench run WORKLOAD.smbw --target smb://host[:port]/share [options]

Replays a compiled workload with virtual users, each confined to <run-root>/<user>/ on the share,
and reports latency, throughput, errors and status fidelity (docs/runner.md).

Options:
${formatFlagHelp(RUN_FLAGS)}

Ctrl-C / SIGTERM: no new op starts, pending ops are cancelled, in-flight ones get ${STOP_GRACE_MS / 1000}s, then the
results so far are written (--out, --json, --checkpoint) and the exit code is 1; a second signal
exits at once.

Exit codes: 0 ok, 1 failure (including fidelity below --min-fidelity or an interrupted run), 2 usage, 3 threshold exceeded.

Examples:
  smbench run office.smbw --target smb://127.0.0.1:4450/bench -u smbench --password ... --users 50 --prepare
  smbench run office.smbw --target smb://fs1/share --users-file accounts.csv --users 5000 --ramp-up 60s \\
      --duration 10m --speed 2 --threshold 'p99<50ms' --out results.json`;

/** Everything `run` and `prepare` resolve the same way. */
export interface CommonSetup {
  readonly workload: string;
  readonly target: RunTarget;
  readonly credentials: Credential[];
  readonly users: number | undefined;
  readonly runRoot: string;
  readonly sessionsPerConnection: number;
  readonly requestTimeoutMs: number | undefined;
  readonly requireSigning: boolean;
  readonly login: LoginAuth;
}

export async function resolveCommonSetup(
  flags: ParsedFlags<typeof TARGET_FLAGS>,
  positionals: readonly string[],
): Promise<CommonSetup> {
  const workload = positionals[0];
  if (workload === undefined) throw usageError('missing WORKLOAD.smbw');
  if (flags.target === undefined) throw usageError('--target smb://host[:port]/share is required');
  const target = parseTarget(flags.target);
  // The whole file is checked before anything connects: a tampered workload must not get as far
  // as creating directories on the share (issue #11.6).
  await assertValidIr(workload);
  const credentials = await resolveCredentials({
    user: flags.user,
    password: flags.password,
    domain: flags.domain,
    usersFile: flags['users-file'],
  });
  return {
    workload,
    target,
    credentials,
    users: intFlag(flags.users, 'users', { min: 1, max: 1_000_000 }),
    runRoot: flags['run-root'] ?? DEFAULT_RUN_ROOT,
    sessionsPerConnection:
      intFlag(flags['sessions-per-connection'], 'sessions-per-connection', { min: 1, max: 65_535 }) ??
      RUN_DEFAULTS.sessionsPerConnection,
    requestTimeoutMs:
      flags['request-timeout'] === undefined
        ? undefined
        : parseDurationMs(flags['request-timeout'], 'request-timeout'),
    requireSigning: flags['require-signing'],
    login: {
      auth: parseAuthMechanism(flags.auth ?? 'ntlm'),
      host: flags['spn-host'] ?? target.host,
      ...(flags.realm === undefined ? {} : { realm: flags.realm }),
      ...(flags.kdc === undefined ? {} : { kdc: flags.kdc }),
    },
  };
}

/** `0.99`, `99%` or `99.5%` -> a ratio in [0, 1]. */
export function parseRatio(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const value = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw usageError(
      `--${flag} must be a ratio like 0.99 or a percentage like 99%, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function parseSpeed(text: string | undefined): number {
  if (text === undefined) return 1;
  const speed = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(speed > 0)) {
    throw usageError(`--speed must be a positive number, got ${JSON.stringify(text)}`);
  }
  return speed;
}

function positiveDurationMs(text: string, flag: string): number {
  const ms = parseDurationMs(text, flag);
  if (ms <= 0) throw usageError(`--${flag} must be longer than 0, got ${JSON.stringify(text)}`);
  return ms;
}

/** Checkpoint/resume, worker threads, shards and the start barrier (docs/distributed.md). */
function scaleOptions(flags: ParsedFlags<typeof RUN_FLAGS>): Partial<RunOptions> {
  // A resumed run keeps checkpointing to the file it resumed from, so it can crash and resume again.
  const checkpoint = flags.checkpoint ?? flags.resume;
  return {
    ...(checkpoint !== undefined ? { checkpoint } : {}),
    ...(flags['checkpoint-interval'] !== undefined
      ? { checkpointIntervalMs: positiveDurationMs(flags['checkpoint-interval'], 'checkpoint-interval') }
      : {}),
    ...(flags.resume !== undefined ? { resume: flags.resume } : {}),
    ...(flags.workers !== undefined
      ? { workers: intFlag(flags.workers, 'workers', { min: 1, max: 256 }) }
      : {}),
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    ...(flags['start-at'] !== undefined ? { startAtMs: parseStartAt(flags['start-at']) } : {}),
  };
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'replay a workload against an SMB share with N virtual users',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, RUN_FLAGS, { maxPositionals: 1 });
    if (flags.max && flags.speed !== undefined) throw usageError('--max and --speed exclude each other');
    if (flags.resume !== undefined && flags.prepare) {
      throw usageError(
        '--prepare and --resume exclude each other: the share already holds what the completed ops did',
      );
    }
    // Thresholds are parsed before anything connects, so a typo costs nothing.
    const thresholds = parseThresholds(flags.threshold);
    const common = await resolveCommonSetup(flags, positionals);
    const iterations = intFlag(flags.iterations, 'iterations', { min: 1 });
    const durationMs = flags.duration === undefined ? undefined : parseDurationMs(flags.duration, 'duration');
    const options: RunOptions = {
      workload: common.workload,
      target: common.target,
      credentials: common.credentials,
      users: common.users,
      runRoot: common.runRoot,
      sessionsPerConnection: common.sessionsPerConnection,
      requestTimeoutMs: common.requestTimeoutMs,
      requireSigning: common.requireSigning,
      login: common.login,
      pacing: flags.max ? makePacing('max') : makePacing('recorded', parseSpeed(flags.speed)),
      rampUpMs: flags['ramp-up'] === undefined ? 0 : parseDurationMs(flags['ramp-up'], 'ramp-up'),
      durationMs,
      iterations: iterations ?? 1,
      ...arrivalRunOptions(flags, { users: common.users, iterations, durationMs }),
      ...(flags['pass-namespace'] !== undefined
        ? { passNamespace: parsePassNamespace(flags['pass-namespace']) }
        : {}),
      retries: intFlag(flags.retries, 'retries', { min: 0, max: 100 }) ?? DEFAULT_RETRIES,
      durable: flags.durable,
      ...(flags['op-timeout'] !== undefined
        ? { opTimeoutMs: positiveDurationMs(flags['op-timeout'], 'op-timeout') }
        : {}),
      minFidelity:
        flags['min-fidelity'] === undefined
          ? RUN_DEFAULTS.minFidelity
          : parseRatio(flags['min-fidelity'], 'min-fidelity'),
      prepare: flags.prepare,
      cleanup: flags.cleanup,
      fill: flags.fill ? FillMode.always : FillMode.auto,
      prepareConcurrency: intFlag(flags['prepare-concurrency'], 'prepare-concurrency', { min: 1, max: 4096 }),
      maxOpsInMemory: intFlag(flags['max-ops-in-memory'], 'max-ops-in-memory', { min: 0 }),
      progress: flags.quiet ? false : process.stderr,
      meta: { thresholds: flags.threshold },
      ...scaleOptions(flags),
    };
    const observability = await startRunObservability(flags);
    const stop = stopOnSignals(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint });
    let outcome: RunOutcome;
    try {
      outcome = await observability.observe({ ...options, signal: stop.signal }, runWorkload);
    } finally {
      stop.dispose();
    }
    const { results, fidelity } = outcome;
    const report = thresholds.length > 0 ? evaluateThresholds(results, thresholds) : undefined;
    const document = { ...results, verdict: { fidelity, thresholds: report } };
    if (flags.out !== undefined) {
      try {
        await writeFile(flags.out, `${JSON.stringify(document, null, 2)}\n`);
      } catch (err) {
        throw new SmbBenchError(ErrorCode.USAGE, `cannot write ${flags.out}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    if (!flags.quiet) process.stderr.write(`${formatSummary(results)}\n`);
    process.stderr.write(`fidelity: ${fidelity.ok ? 'ok' : 'FAILED'}: ${fidelity.reason}\n`);
    const streamsLine = streamsRefusedLine(results, outcome.prepare?.streams.refused);
    if (streamsLine !== undefined) process.stderr.write(`${streamsLine}\n`);
    const passes = passesLine(results.meta);
    if (passes !== undefined && !flags.quiet) process.stderr.write(`${passes}\n`);
    const arrivals = arrivalsLine(results.meta);
    if (arrivals !== undefined) process.stderr.write(`${arrivals}\n`);
    for (const check of report?.checks ?? []) {
      process.stderr.write(
        `threshold ${check.spec}: ${check.passed ? 'ok' : 'FAILED'} (actual ${check.actualText})\n`,
      );
    }
    if (outcome.interrupted) {
      process.stderr.write(
        outcome.checkpoint === undefined
          ? `run interrupted (${stop.received ?? 'stopped'}): the results cover the ops that ran\n`
          : `run interrupted (${stop.received ?? 'stopped'}): checkpoint written to ${outcome.checkpoint}; resume with --resume ${outcome.checkpoint}\n`,
      );
      return ExitCode.FAILURE;
    }
    if (!fidelity.ok) return ExitCode.FAILURE;
    if (report && !report.passed) return ExitCode.THRESHOLD;
    return ExitCode.OK;
  },
};
