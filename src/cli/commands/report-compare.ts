/**
 * `smbench report compare A.json B.json [--threshold 10%] [--json]` (docs/observability.md):
 * two runs side by side; exit code 3 (ExitCode.THRESHOLD) when B regresses past the threshold
 * beyond sampling noise, so CI can gate a filer or a release on it.
 */
import { compareResults } from '../../observe/compare/compare-results.js';
import { formatResultsComparison } from '../../observe/compare/format-comparison.js';
import { readResultsFile } from '../../observe/report/results-file.js';
import { formatFlagHelp, parseFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';

export const COMPARE_FLAGS = {
  threshold: {
    type: 'string',
    valueName: 'PCT',
    description: 'relative change that counts as a regression, e.g. 10% (default 10%)',
  },
  json: { type: 'boolean', description: 'print the comparison as JSON on stdout' },
} as const;

export const COMPARE_USAGE_LINE = 'smbench report compare A.json B.json [--threshold 10%] [--json]';

export const COMPARE_HELP = `compare two runs (A = baseline, B = candidate): per op kind p50/p99 latency and error rate,
        throughput, fidelity; each change is marked beyond noise or not (percentile confidence
        intervals from the histograms, Poisson and proportion tests). Exit code 3 when B
        regresses past the threshold beyond noise.`;

export const COMPARE_OPTIONS = formatFlagHelp(COMPARE_FLAGS);

function thresholdPct(text: string | undefined): number {
  if (text === undefined) return 10;
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10_000) {
    throw usageError(`--threshold must be a percentage like 10% or 2.5, got ${JSON.stringify(text)}`);
  }
  return n;
}

export async function runReportCompare(argv: readonly string[]): Promise<ExitCode> {
  const { flags, positionals } = parseFlags(argv, COMPARE_FLAGS);
  if (positionals.length !== 2)
    throw usageError('report compare needs exactly two results files: A.json B.json');
  const threshold = thresholdPct(flags.threshold);
  const [a, b] = await Promise.all(positionals.map(readResultsFile));
  const comparison = compareResults(a!.results, b!.results, threshold);
  if (flags.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  else process.stdout.write(formatResultsComparison(positionals[0]!, positionals[1]!, comparison));
  return comparison.regressions > 0 ? ExitCode.THRESHOLD : ExitCode.OK;
}
