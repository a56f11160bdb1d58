/**
 * `smbench prepare WORKLOAD.smbw --target ...`: creates every virtual user's initial namespace
 * (`<run-root>/<user>/...`, docs/ir.md "Initial namespace") so a later `smbench run` finds what the
 * captured clients found. Idempotent and parallel. `--cleanup-only` removes it instead.
 */
import { readIr } from '../../ir/ir-reader.js';
import { ConnectionPool } from '../../runner/connection-pool.js';
import { CredentialSessions } from '../../runner/credential-sessions.js';
import { FillMode } from '../../runner/namespace-ops.js';
import {
  cleanupNamespace,
  prepareNamespace,
  DEFAULT_PREPARE_CONCURRENCY,
  type PrepareReport,
} from '../../runner/prepare.js';
import { STREAMS_REFUSED_MESSAGE } from '../../runner/stream-refusal.js';
import { progressPrinter } from '../../runner/runner.js';
import { mapVirtualUsers } from '../../runner/user-mapping.js';
import { formatFlagHelp, intFlag, parseFlags } from '../args.js';
import { usageError, type CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';
import { resolveCommonSetup, TARGET_FLAGS } from './run.js';

const PREPARE_FLAGS = {
  ...TARGET_FLAGS,
  fill: {
    type: 'boolean',
    description:
      'write every byte of every file (default: real writes up to 1 MiB, sparse end-of-file above)',
  },
  concurrency: {
    type: 'string',
    valueName: 'N',
    description: `paths worked on in parallel (default ${DEFAULT_PREPARE_CONCURRENCY})`,
  },
  'cleanup-only': {
    type: 'boolean',
    description: "remove the users' directories (and the run root if empty) instead",
  },
  json: { type: 'boolean', description: 'print the report as JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress lines' },
} as const;

const USAGE = `Usage: smbench prepare WORKLOAD.smbw --target smb://host[:port]/share [options]

Creates the initial files and directories of every virtual user under <run-root>/<user>/ (sizes and
attributes from the workload), as the account that user logs in with. Files that already have the
right size are left alone, so running it twice is cheap.

Options:
${formatFlagHelp(PREPARE_FLAGS)}

Examples:
  smbench prepare office.smbw --target smb://127.0.0.1:4450/bench -u smbench --password ... --users 50
  smbench prepare office.smbw --target smb://127.0.0.1:4450/bench -u smbench --password ... --users 50 --cleanup-only`;

export const prepareCommand: CliCommand = {
  name: 'prepare',
  summary: "create (or --cleanup-only remove) the virtual users' initial namespace on a share",
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, PREPARE_FLAGS, { maxPositionals: 1 });
    if (flags['cleanup-only'] && flags.fill) throw usageError('--fill has no effect with --cleanup-only');
    const common = await resolveCommonSetup(flags, positionals);
    const concurrency = intFlag(flags.concurrency, 'concurrency', { min: 1, max: 4096 });
    const reader = await readIr(common.workload);
    const pool = new ConnectionPool({
      target: common.target,
      client: common.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: common.requestTimeoutMs },
    });
    const sessions = new CredentialSessions(
      pool,
      common.target.share,
      common.credentials,
      common.requireSigning ? { requireSigning: true } : {},
      common.sessionsPerConnection,
      common.login,
    );
    try {
      const users = mapVirtualUsers({
        irUsers: reader.users,
        users: common.users,
        credentials: common.credentials,
        sessionsPerConnection: common.sessionsPerConnection,
      });
      await sessions.verifyAll();
      const onProgress = progressPrinter(flags.quiet ? false : process.stderr);
      if (flags['cleanup-only']) {
        const report = await cleanupNamespace({
          sessions,
          runRoot: common.runRoot,
          users,
          concurrency,
          onProgress,
        });
        output(
          flags.json,
          report,
          `cleanup: removed ${report.files} files and ${report.directories} directories of ${report.users} users ` +
            `in ${report.durationMs} ms${report.runRootRemoved ? '' : ' (run root kept: not empty)'}`,
        );
      } else {
        const report = await prepareNamespace({
          sessions,
          runRoot: common.runRoot,
          users,
          namespace: reader.namespace,
          fill: flags.fill ? FillMode.always : FillMode.auto,
          concurrency,
          onProgress,
        });
        const { created, resized, unchanged } = report.files;
        output(
          flags.json,
          report,
          `prepare: ${report.users} users, ${report.directories} directories, files ${created} created / ` +
            `${resized} resized / ${unchanged} unchanged, ${(report.bytesWritten / (1 << 20)).toFixed(1)} MiB written ` +
            `in ${report.durationMs} ms` +
            streamsLine(report.streams),
        );
      }
      return ExitCode.OK;
    } finally {
      await sessions.closeAll().catch(() => undefined);
      pool.close();
      await reader.close();
    }
  },
};

/** Streams, when the namespace has any; a refusing target is named once, plainly. */
function streamsLine(s: PrepareReport['streams']): string {
  const total = s.created + s.resized + s.unchanged + s.refused;
  if (total === 0) return '';
  const refused = s.refused > 0 ? `; ${STREAMS_REFUSED_MESSAGE}: ${s.refused} streams not created` : '';
  return `, streams ${s.created} created / ${s.resized} resized / ${s.unchanged} unchanged${refused}`;
}

/** The report as JSON on stdout, or one human line on stderr. */
function output(json: boolean, report: object, line: string): void {
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stderr.write(`${line}\n`);
}
