/**
 * The replay proper: virtual users over one scheduler, fed by the op feed, started over the
 * ramp-up, stopped at the end of their streams or of --duration. Returns the metrics and the
 * run's facts for results.meta; runner.ts wraps it with credential checks, prepare and cleanup.
 */
import type { IrReader } from '../ir/ir-reader.js';
import { ProgressLine, type ProgressStream } from '../observe/progress-line.js';
import { RunMetrics } from '../observe/run-metrics.js';
import { rampUpOffsetUs, type Pacing } from '../scheduler/pacing.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { Semaphore } from './concurrency.js';
import type { ConnectionPool } from './connection-pool.js';
import { ntlmCredentials } from './credential-sessions.js';
import { OpFeed } from './op-feed.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import type { VirtualUserSpec } from './user-mapping.js';
import { UserPaths } from './user-paths.js';
import { UserSession } from './user-session.js';
import { VirtualUser } from './virtual-user.js';

export interface ReplayContext {
  readonly runRoot: string;
  readonly pacing: Pacing;
  readonly spc: number;
  readonly sessionOptions: { requireSigning?: boolean };
  readonly progressStream: ProgressStream | false;
}

export async function replayUsers(
  reader: IrReader,
  specs: readonly VirtualUserSpec[],
  pool: ConnectionPool,
  options: RunOptions,
  ctx: ReplayContext,
): Promise<{ metrics: RunMetrics; meta: Record<string, unknown> }> {
  const consumers = new Map<string, number>();
  for (const s of specs) consumers.set(s.irUser.id, (consumers.get(s.irUser.id) ?? 0) + 1);
  const iterations = options.iterations ?? RUN_DEFAULTS.iterations;
  const feed = new OpFeed({
    reader,
    consumers,
    iterations,
    opCount: reader.end?.ops ?? reader.header.counts?.ops,
    maxOpsInMemory: options.maxOpsInMemory,
    lookahead: options.lookahead,
  });
  const { done: feedDone } = await feed.load();
  const scheduler = new Scheduler();
  const metrics = new RunMetrics();
  const loginLimiter = new Semaphore(options.loginConcurrency ?? RUN_DEFAULTS.loginConcurrency);
  const credentials = options.credentials.map(ntlmCredentials);
  const userOptions = {
    pacing: ctx.pacing,
    retries: options.retries ?? RUN_DEFAULTS.retries,
    window: options.window ?? RUN_DEFAULTS.window,
    asyncSlackMs: options.asyncSlackMs ?? RUN_DEFAULTS.asyncSlackMs,
    requestDurable: options.durable ?? false,
  };
  const users = specs.map(
    (spec) =>
      new VirtualUser({
        index: spec.index,
        session: new UserSession({
          pool,
          connectionIndex: spec.connectionIndex,
          share: options.target.share,
          credentials: credentials[spec.credentialIndex]!,
          sessionOptions: ctx.sessionOptions,
        }),
        paths: new UserPaths(ctx.runRoot, spec.dirName),
        cursor: feed.cursor(spec.irUser.id),
        scheduler,
        metrics,
        options: userOptions,
        loginLimiter,
      }),
  );
  let loginFailures = 0;
  let firstLoginError: string | undefined;
  // Gauges move on events (login, end of stream), not by scanning 5,000 users every second.
  let active = 0;
  const updateGauges = (): void => {
    metrics.setGauge('activeUsers', active);
    metrics.setGauge('sessions', active);
    metrics.setGauge('connections', pool.openConnections);
  };
  metrics.setGauge('targetUsers', users.length);
  const progress = ctx.progressStream === false ? undefined : new ProgressLine(ctx.progressStream);
  progress?.start(() => {
    updateGauges();
    return metrics.snapshot();
  });

  const stopAll = (): void => {
    feed.stop();
    for (const u of users) u.stop();
  };
  const durationTimer =
    options.durationMs !== undefined ? setTimeout(stopAll, options.durationMs) : undefined;
  let feedError: unknown;
  feedDone.catch((err: unknown) => {
    feedError = err;
    stopAll();
  });

  scheduler.start();
  const startUs = scheduler.now;
  const rampUs = (options.rampUpMs ?? 0) * 1000;
  users.forEach((user, k) => {
    scheduler.schedule(startUs + rampUpOffsetUs(k, users.length, rampUs), () => {
      let loggedIn = false;
      void user
        .run((err) => {
          if (err === undefined) {
            loggedIn = true;
            active++;
          } else {
            loginFailures++;
            firstLoginError ??= (err as Error).message;
          }
          updateGauges();
        })
        .finally(() => {
          if (loggedIn) active--;
          updateGauges();
        });
    });
  });
  try {
    await Promise.all(users.map((u) => u.done));
    feed.stop();
    await feedDone.catch(() => undefined);
  } finally {
    if (durationTimer) clearTimeout(durationTimer);
    updateGauges();
    progress?.tick();
    progress?.stop();
    scheduler.stop();
  }
  if (feedError) throw feedError;
  const meta: Record<string, unknown> = {
    command: 'run',
    users: users.length,
    capturedUsers: reader.users.length,
    credentials: options.credentials.length,
    connections: Math.ceil(users.length / ctx.spc),
    sessionsPerConnection: ctx.spc,
    pacing: ctx.pacing,
    rampUpMs: options.rampUpMs ?? 0,
    durationLimitMs: options.durationMs,
    iterations,
    retries: userOptions.retries,
    durable: userOptions.requestDurable,
    feed: feed.inMemory ? 'memory' : 'streaming',
    breaks: { ...pool.breaks },
    reconnects: pool.reconnects,
    loginFailures,
    ...(firstLoginError ? { firstLoginError } : {}),
    brokenUsers: users.filter((u) => u.broken).length,
  };
  return { metrics, meta };
}
