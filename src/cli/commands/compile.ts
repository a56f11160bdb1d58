/**
 * `smbench compile CAPTURE... -o workload.smbw`: SMB2/3 captures to a workload (docs/compiler.md).
 * The summary goes to stderr; `--json` puts the full result (stats, warnings) on stdout.
 */
import { compileCaptures, compileResultJson, formatCompileSummary } from '../../compiler/index.js';
import type { CompileOptions } from '../../compiler/index.js';
import { formatFlagHelp, intFlag, parseFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import type { CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';

const FLAGS = {
  output: { type: 'string', short: 'o', valueName: 'FILE', description: 'workload to write (.smbw)' },
  json: { type: 'boolean', description: 'print the compile result as JSON on stdout' },
  'keep-data': { type: 'boolean', description: 'keep write payloads (default: sizes only)' },
  anonymize: {
    type: 'boolean',
    description: 'hash user names and path components (keeps extensions and depth)',
  },
  'anonymize-salt': {
    type: 'string',
    valueName: 'S',
    description: 'key for --anonymize hashes (stable names across runs)',
  },
  share: { type: 'string', valueName: 'NAME', description: 'compile only this share' },
  port: { type: 'string', multiple: true, valueName: 'N', description: 'server TCP port besides 445/139' },
  window: {
    type: 'string',
    valueName: 'SECONDS',
    description: 'longest wait for a response before emitting anyway (default 60)',
  },
  'no-synthesize': {
    type: 'boolean',
    description:
      'skip requests on sessions, trees and FileIds set up before the capture instead of synthesising them',
  },
  check: { type: 'boolean', description: 'write through the validating IR writer (slower; for debugging)' },
  quiet: { type: 'boolean', short: 'q', description: 'no summary on stderr' },
} as const;

const USAGE = `Usage: smbench compile CAPTURE... -o workload.smbw [options]

Compiles SMB2/3 packet captures (pcap or pcapng, e.g. from tcpdump -w or Wireshark) into a workload
that \`smbench run\` replays. Several captures are read as one trace, in the order given (rotated
files of one capture session). Encrypted and compressed messages, IPC$/named-pipe RPC and commands
the workload cannot replay are counted and reported, not silently dropped.

Options:
${formatFlagHelp(FLAGS)}

Examples:
  smbench compile office.pcapng -o office.smbw
  smbench compile part1.pcap part2.pcap -o day.smbw --anonymize --json > day.json`;

export const compileCommand: CliCommand = {
  name: 'compile',
  summary: 'compile SMB2/3 captures into a workload (.smbw)',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, FLAGS);
    if (positionals.length === 0) throw usageError('no capture files given');
    if (flags.output === undefined) throw usageError('--output (-o) is required');
    const windowSeconds = intFlag(flags.window, 'window', { min: 1, max: 86_400 });
    const ports = flags.port.map((p) => intFlag(p, 'port', { min: 1, max: 65_535 })!);
    const anonymize = flags.anonymize || flags['anonymize-salt'] !== undefined;
    const options: CompileOptions = {
      output: flags.output,
      keepData: flags['keep-data'],
      anonymize: anonymize
        ? flags['anonymize-salt'] === undefined
          ? true
          : { salt: flags['anonymize-salt'] }
        : false,
      serverPorts: ports,
      checks: flags.check ? 'full' : 'none',
      synthesize: !flags['no-synthesize'],
      ...(flags.share === undefined ? {} : { share: flags.share }),
      ...(windowSeconds === undefined ? {} : { windowSeconds }),
    };
    const result = await compileCaptures(positionals, options);
    if (!flags.quiet) process.stderr.write(formatCompileSummary(result));
    if (flags.json) process.stdout.write(compileResultJson(result));
    return ExitCode.OK;
  },
};
