/**
 * `smbench run`'s live observability: the flags, and the glue that starts the Prometheus
 * endpoint and the run log before the run, attaches both to it, logs its start and end, and shuts
 * them down afterwards (docs/observability.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDurationMs } from '../runner/duration.js';
import type { Logger } from 'pino';
import { choiceFlag, intFlag, type ParsedFlags } from './args.js';
import { LOG_FORMATS, LOG_LEVELS, openRunLogger, redactSecrets, type RunLogger } from '../observe/logger.js';
import { errorFields, RunLogObserver } from '../observe/logger-run-observer.js';
import { DEFAULT_METRICS_HOST, PrometheusExporter } from '../observe/prometheus-exporter.js';
import { combineObservers } from '../observe/run-observer.js';
import type { RunOutcome } from '../runner/runner.js';
import type { RunOptions } from '../runner/run-options.js';
import { formatTarget } from '../runner/target.js';

export const OBSERVABILITY_FLAGS = {
  'metrics-port': {
    type: 'string',
    valueName: 'PORT',
    description: 'serve Prometheus metrics on http://HOST:PORT/metrics during the run (0: any free port)',
  },
  'metrics-linger': {
    type: 'string',
    valueName: 'DURATION',
    description: 'keep serving the final metrics this long after the run ends, for a last scrape (default 0)',
  },
  'metrics-host': {
    type: 'string',
    valueName: 'HOST',
    description: `address the metrics endpoint binds to (default ${DEFAULT_METRICS_HOST}; 0.0.0.0 in a pod)`,
  },
  'log-file': {
    type: 'string',
    valueName: 'FILE',
    description: 'append structured JSON logs to FILE (warnings are also shown on stderr)',
  },
  'log-level': {
    type: 'string',
    valueName: 'LEVEL',
    description: `${LOG_LEVELS.join('|')} (default info with --log-file, else warn)`,
  },
  'log-format': {
    type: 'string',
    valueName: 'FORMAT',
    description: 'json|pretty (default: json in files, pretty on a terminal)',
  },
} as const;

export type ObservabilityFlags = ParsedFlags<typeof OBSERVABILITY_FLAGS> & {
  /** `--shard i/N` when the run has one: labels every metric and log record. */
  readonly shard?: string | undefined;
};

export interface RunObservability {
  readonly log: Logger;
  readonly metricsUrl: string | undefined;
  /** Runs `run` with the observer attached, logging its start and end; always shuts down. */
  observe(options: RunOptions, run: (options: RunOptions) => Promise<RunOutcome>): Promise<RunOutcome>;
}

/** `i/N` normalized (spaces dropped), or undefined; the runner validates the value itself. */
function shardLabel(text: string | undefined): string | undefined {
  const m = text === undefined ? null : /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  return m ? `${Number(m[1])}/${Number(m[2])}` : undefined;
}

/** What the run was asked to do, for the start record: no password, no NT hash, ever. */
export function describeRunOptions(options: RunOptions): Record<string, unknown> {
  return redactSecrets({
    workload: options.workload,
    target: formatTarget(options.target),
    accounts: options.credentials.length,
    firstAccount: options.credentials[0]?.user,
    users: options.users,
    runRoot: options.runRoot,
    pacing: options.pacing,
    rampUpMs: options.rampUpMs,
    durationMs: options.durationMs,
    iterations: options.iterations,
    sessionsPerConnection: options.sessionsPerConnection,
    retries: options.retries,
    durable: options.durable,
    minFidelity: options.minFidelity,
    requestTimeoutMs: options.requestTimeoutMs,
    requireSigning: options.requireSigning,
    prepare: options.prepare,
    cleanup: options.cleanup,
    maxOpsInMemory: options.maxOpsInMemory,
  }) as Record<string, unknown>;
}

/** The end record: what a reader of the log needs to judge the run without the results file. */
function describeOutcome(outcome: RunOutcome): Record<string, unknown> {
  const { results, fidelity } = outcome;
  const meta = results.meta;
  return {
    durationMs: results.durationMs,
    ops: results.totals.ops,
    errors: results.totals.errors,
    opsPerSecond: Math.round(results.totals.opsPerSecond * 10) / 10,
    p50Us: results.service.p50,
    p99Us: results.service.p99,
    errorsByStatus: results.errorsByStatus,
    fidelity: { ok: fidelity.ok, matchRatio: fidelity.matchRatio, reason: fidelity.reason },
    ...(results.mismatches?.length ? { mismatches: results.mismatches.slice(0, 10) } : {}),
    reconnects: meta['reconnects'],
    breaks: meta['breaks'],
    loginFailures: meta['loginFailures'],
    brokenUsers: meta['brokenUsers'],
    ...(outcome.interrupted ? { interrupted: true, checkpoint: outcome.checkpoint } : {}),
  };
}

export async function startRunObservability(
  flags: ObservabilityFlags,
  stderr: { write(chunk: string): unknown; readonly isTTY?: boolean } = process.stderr,
): Promise<RunObservability> {
  const level = choiceFlag(flags['log-level'], 'log-level', LOG_LEVELS);
  const format = choiceFlag(flags['log-format'], 'log-format', LOG_FORMATS);
  const port = intFlag(flags['metrics-port'], 'metrics-port', { min: 0, max: 65_535 });
  // A scrape interval longer than the tail of the run would otherwise miss the final values.
  const lingerMs =
    flags['metrics-linger'] === undefined ? 0 : parseDurationMs(flags['metrics-linger'], 'metrics-linger');
  const shard = shardLabel(flags.shard);
  const labels: Record<string, string> = shard === undefined ? {} : { shard };

  const logger: RunLogger = await openRunLogger({
    ...(flags['log-file'] === undefined ? {} : { file: flags['log-file'] }),
    ...(level === undefined ? {} : { level }),
    ...(format === undefined ? {} : { format }),
    stderr,
    base: labels,
  });
  let exporter: PrometheusExporter | undefined;
  try {
    if (port !== undefined) {
      exporter = await PrometheusExporter.start({ port, host: flags['metrics-host'], labels });
      stderr.write(`smbench: metrics on ${exporter.url}\n`);
    } else if (flags['metrics-host'] !== undefined) {
      stderr.write('smbench: --metrics-host has no effect without --metrics-port\n');
    }
  } catch (err) {
    await logger.close();
    throw err;
  }
  const log = logger.log;
  const metricsUrl = exporter?.url;
  return {
    log,
    metricsUrl,
    async observe(options, run) {
      const runLog = new RunLogObserver(log);
      const observer = combineObservers(options.observer, exporter, runLog);
      log.info({ options: describeRunOptions(options), metricsUrl }, 'run starting');
      try {
        const outcome = await run(observer === undefined ? options : { ...options, observer });
        runLog.stop();
        const fields = describeOutcome(outcome);
        if (outcome.fidelity.ok) log.info(fields, 'run finished');
        else log.warn(fields, 'run finished: fidelity below the minimum');
        return outcome;
      } catch (err) {
        runLog.stop();
        log.error({ error: errorFields(err) }, 'run failed');
        throw err;
      } finally {
        if (exporter && lingerMs > 0) await sleep(lingerMs);
        await exporter?.close();
        await logger.close();
      }
    },
  };
}
