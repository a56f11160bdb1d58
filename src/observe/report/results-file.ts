import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { mergeResults } from '../merge-results.js';
import { assertRunResults, type RunResults } from '../run-results.js';
import type { ReportInput } from './report-sections.js';

/**
 * Reading results documents for `smbench report`, and merging the results of shards (or of
 * separate processes that ran together) into one, exactly (mergeResults: histograms merged, never
 * percentiles averaged). Before merging, the parts are checked to describe one run: same workload,
 * same target, no shard twice. What cannot be checked (e.g. parts that did not overlap in time)
 * is reported as a warning.
 */
export interface NamedResults {
  /** The file name, for messages. */
  readonly name: string;
  readonly results: ReportInput;
}

export async function readResultsFile(path: string): Promise<NamedResults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SmbBenchError(ErrorCode.USAGE, `cannot read ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SmbBenchError(ErrorCode.USAGE, `${path} is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  assertRunResults(value, path);
  return { name: path, results: value };
}

export interface MergeCheck {
  /** The parts do not describe one run; merging them would mislead. */
  readonly errors: string[];
  /** Merged anyway, but worth knowing. */
  readonly warnings: string[];
}

const metaString = (r: RunResults, key: string): string | undefined =>
  typeof r.meta[key] === 'string' ? r.meta[key] : undefined;

/** `i/N` -> [i, N]. */
function parseShardText(text: string): [number, number] | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Checks that `parts` are pieces of one run (see the module comment). */
export function checkMergeable(parts: readonly NamedResults[]): MergeCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const names = new Set<string>();
  for (const p of parts) {
    if (names.has(p.name)) errors.push(`${p.name} is given twice`);
    names.add(p.name);
  }
  for (const key of ['workloadId', 'target'] as const) {
    const values = new Map<string, string[]>();
    for (const p of parts) {
      const v = metaString(p.results, key);
      if (v !== undefined) values.set(v, [...(values.get(v) ?? []), basename(p.name)]);
    }
    if (values.size > 1) {
      const list = [...values].map(([v, files]) => `${v} (${files.join(', ')})`).join(' vs ');
      errors.push(`the results are of different runs: ${key} ${list}`);
    }
  }
  // The same document twice under two names would double every count.
  const fingerprints = new Map<string, string>();
  for (const p of parts) {
    const r = p.results;
    const key = `${r.startedAt}|${r.endedAt}|${r.totals.ops}|${r.service.encoded}`;
    const seen = fingerprints.get(key);
    if (seen !== undefined) errors.push(`${p.name} has the same results as ${seen}`);
    else fingerprints.set(key, p.name);
  }
  const shards = parts.map((p) => ({ name: p.name, shard: metaString(p.results, 'shard') }));
  const withShard = shards.filter((s) => s.shard !== undefined);
  if (withShard.length > 0) {
    const seen = new Map<string, string>();
    const counts = new Set<number>();
    for (const s of withShard) {
      const shard = s.shard as string;
      const parsed = parseShardText(shard);
      if (parsed) counts.add(parsed[1]);
      const other = seen.get(shard);
      if (other !== undefined) errors.push(`shard ${shard} appears twice (${other}, ${s.name})`);
      seen.set(shard, s.name);
    }
    if (counts.size > 1)
      errors.push(`the shards are of different splits: ${[...counts].map((n) => `/${n}`).join(' vs ')}`);
    if (withShard.length < parts.length) warnings.push('some results have a shard and some do not');
    const count = [...counts][0];
    if (counts.size === 1 && count !== undefined && seen.size < count) {
      const missing: string[] = [];
      for (let i = 0; i < count && missing.length < 10; i++)
        if (!seen.has(`${i}/${count}`)) missing.push(`${i}/${count}`);
      warnings.push(
        `only ${seen.size} of ${count} shards (missing ${missing.join(', ')}${seen.size + missing.length < count ? ', ...' : ''})`,
      );
    }
  }
  const spans = parts.map((p) => [Date.parse(p.results.startedAt), Date.parse(p.results.endedAt)] as const);
  const latestStart = Math.max(...spans.map((s) => s[0]));
  const earliestEnd = Math.min(...spans.map((s) => s[1]));
  if (parts.length > 1 && latestStart > earliestEnd) {
    warnings.push(
      'the parts did not all run at the same time: throughput is over the union of their time ranges',
    );
  }
  return { errors, warnings };
}

/** Per-process counters in meta that add up across parts (the rest of meta is the first part's). */
const ADDITIVE_META = ['reconnects', 'loginFailures', 'brokenUsers', 'users', 'connections'] as const;

/**
 * Merges results (checked first; `force` merges despite errors). The merged meta names every
 * shard (`shards`) instead of the first part's `shard`, and sums per-process counters.
 */
export function mergeResultParts(
  parts: readonly NamedResults[],
  options: { force?: boolean } = {},
): { results: RunResults; check: MergeCheck } {
  if (parts.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'nothing to merge');
  const check = checkMergeable(parts);
  if (check.errors.length > 0 && options.force !== true) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `cannot merge: ${check.errors.join('; ')} (--force merges anyway)`,
    );
  }
  const merged = mergeResults(parts.map((p) => p.results));
  if (parts.length === 1) return { results: merged, check };
  const meta: Record<string, unknown> = { ...merged.meta };
  const shards = parts.map((p) => metaString(p.results, 'shard')).filter((s): s is string => s !== undefined);
  if (shards.length > 0) {
    delete meta['shard'];
    meta['shards'] = shards.sort((a, b) => (parseShardText(a)?.[0] ?? 0) - (parseShardText(b)?.[0] ?? 0));
  }
  // Each part reports its own users, connections and failures, so the run's are the sums.
  for (const key of ADDITIVE_META) {
    const values = parts.map((p) => p.results.meta[key]);
    if (values.every((v) => typeof v === 'number'))
      meta[key] = (values as number[]).reduce((a, b) => a + b, 0);
  }
  meta['mergedFrom'] = parts.map((p) => basename(p.name));
  return { results: { ...merged, meta }, check };
}
