/**
 * `smbench report RESULTS.json [MORE.json...] -o report.html`: a self-contained HTML report of a
 * run (several results files are merged first, exactly), and `smbench report merge A.json B.json
 * -o merged.json`: the results of shards combined into one document (docs/observability.md).
 */
import { writeFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { formatBytes } from '../../observe/format-units.js';
import { renderReportHtml } from '../../observe/report/render-report.js';
import type { ReportInput } from '../../observe/report/report-sections.js';
import { mergeResultParts, readResultsFile, type MergeCheck } from '../../observe/report/results-file.js';
import { formatFlagHelp, parseFlags } from '../args.js';
import { usageError, type CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';
import { COMPARE_HELP, COMPARE_OPTIONS, COMPARE_USAGE_LINE, runReportCompare } from './report-compare.js';

const REPORT_FLAGS = {
  out: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description:
      'where to write (report: default RESULTS.html next to the first input; merge: default stdout)',
  },
  title: {
    type: 'string',
    valueName: 'TEXT',
    description: 'report title (default: smbench report: <workload>)',
  },
  force: {
    type: 'boolean',
    description:
      'merge even results that look like different runs (different workload/target, a shard twice)',
  },
} as const;

const USAGE = `Usage: smbench report RESULTS.json [MORE.json...] [-o report.html]
       smbench report merge A.json B.json [...] [-o merged.json]
       ${COMPARE_USAGE_LINE}

report  renders one self-contained HTML page (charts inline, no network): throughput and latency
        over time, latency by percentile, per-op table, errors, fidelity mismatches, verdict.
        Several inputs (e.g. the shards of a distributed run) are merged first.
merge   combines the results of shards or workers that ran together into one results document:
        histograms are merged exactly, percentiles recomputed (never averaged).
${COMPARE_HELP}

Options:
${formatFlagHelp(REPORT_FLAGS)}

compare options:
${COMPARE_OPTIONS}

Examples:
  smbench run office.smbw --target smb://fs1/share ... --out results.json
  smbench report results.json -o report.html
  smbench report merge shard-*.json -o merged.json && smbench report merged.json -o report.html`;

function defaultReportPath(input: string): string {
  return input.endsWith('.json') ? `${input.slice(0, -'.json'.length)}.html` : `${input}.html`;
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new SmbBenchError(ErrorCode.USAGE, `cannot write ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function printWarnings(check: MergeCheck): void {
  for (const w of check.warnings) process.stderr.write(`smbench: warning: ${w}\n`);
  for (const e of check.errors) process.stderr.write(`smbench: warning (--force): ${e}\n`);
}

async function loadMerged(inputs: readonly string[], force: boolean): Promise<ReportInput> {
  const parts = await Promise.all(inputs.map(readResultsFile));
  if (parts.length === 1) return (parts[0] as (typeof parts)[number]).results;
  const { results, check } = mergeResultParts(parts, { force });
  printWarnings(check);
  return results;
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'render results as a self-contained HTML report, or merge shard results',
  usage: USAGE,
  async run(argv) {
    // compare has flags of its own (--threshold, --json).
    if (argv[0] === 'compare') return runReportCompare(argv.slice(1));
    const { flags, positionals } = parseFlags(argv, REPORT_FLAGS);
    if (positionals[0] === 'merge') {
      const inputs = positionals.slice(1);
      if (inputs.length === 0) throw usageError('report merge needs results files to merge');
      if (flags.title !== undefined) throw usageError('--title is for the HTML report, not merge');
      const merged = await loadMerged(inputs, flags.force);
      const text = `${JSON.stringify(merged, null, 2)}\n`;
      if (flags.out === undefined) process.stdout.write(text);
      else {
        await writeOutput(flags.out, text);
        process.stderr.write(`smbench: merged ${inputs.length} results into ${flags.out}\n`);
      }
      return ExitCode.OK;
    }
    const first = positionals[0];
    if (first === undefined) throw usageError('missing RESULTS.json');
    const results = await loadMerged(positionals, flags.force);
    const html = renderReportHtml(results, flags.title === undefined ? {} : { title: flags.title });
    const out = flags.out ?? defaultReportPath(first);
    await writeOutput(out, html);
    process.stderr.write(`smbench: wrote ${out} (${formatBytes(Buffer.byteLength(html))})\n`);
    return ExitCode.OK;
  },
};
