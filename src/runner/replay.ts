/**
 * The replay proper: virtual users over one scheduler, fed by the op feed, started over the
 * ramp-up, stopped at the end of their streams or of --duration. Returns the metrics and the
 * run's facts for results.meta; runner.ts wraps it with credential checks, prepare and cleanup.
 */
import type { IrReader } from '../ir/ir-reader.js';
import { EventLoopMonitor } from '../observe/event-loop-monitor.js';
import { ProgressLine, type ProgressStream } from '../observe/progress-line.js';
import { RunMetrics, type MetricsSnapshot } from '../observe/run-metrics.js';
import type { RunResults } from '../observe/run-results.js';
import { rampUpOffsetUs, type Pacing } from '../scheduler/pacing.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { UserCheckpoint } from './checkpoint-format.js';
import { UserProgress } from './checkpoint-progress.js';
import { Semaphore } from './concurrency.js';
import type { ConnectionPool } from './connection-pool.js';
import { loginCredentials } from './credential-sessions.js';
import { DEFAULT_FILL_THRESHOLD, FillMode } from './namespace-ops.js';
import { EMPTY_PLAN, planNamespaces } from './namespace-plan.js';
import { OpFeed } from './op-feed.js';
import { emptyPassTally, PassNamespace, passTallyMeta, UserPasses } from './pass-namespace.js';
import { DEFAULT_PREPARE_CONCURRENCY } from './prepare.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import { waitForStart, type StartBarrier } from './shard-start.js';
import type { VirtualUserSpec } from './user-mapping.js';
import { UserPaths } from './user-paths.js';
import { UserSession } from './user-session.js';
import { VirtualUser } from './virtual-user.js';
import { ArrivalGate } from './arrival-gate.js';

/**
 * After a stop (signal, Ctrl-C), in-flight ops get this long to finish before every connection is
 * closed, which fails whatever is still outstanding: a stopped run ends within seconds even when
 * the server holds requests or does not answer (issue #11: shutdown is bounded, about 10 s).
 */
export const STOP_GRACE_MS = 5_000;

export interface ReplayContext {
  readonly runRoot: string;
  readonly pacing: Pacing;
  readonly spc: number;
  readonly sessionOptions: { requireSigning?: boolean };
  readonly progressStream: ProgressStream | false;
  /**
   * Virtual users of the whole run (all shards and workers): user k starts at k·ramp/total, so
   * split runs ramp up together like one. Default: the users given (by their position).
   */
  readonly totalUsers?: number;
  /** Keep per-user progress for checkpoints (checkpoint-progress.ts). */
  readonly trackProgress?: boolean;
  /** Resume points (by user index) of the users that progressed in earlier segments. */
  readonly resume?: ReadonlyMap<number, UserCheckpoint>;
  /** Wall-clock instant (Unix ms) at which users start (--start-at), after the ops are loaded. */
  readonly startAtMs?: number;
  /**
   * Aborting it stops the replay (like ReplayControl.stop), also during the start wait; what is
   * still in flight STOP_GRACE_MS later is failed by closing the connections.
   */
  readonly signal?: AbortSignal;
  /** Receives the replay's controls once the users exist (graceful stop, snapshots). */
  readonly onControl?: (control: ReplayControl) => void;
}

/** Every user's progress and the results so far, taken at one instant (consistent with each other). */
export interface ReplaySnapshot {
  /** Users that progressed (the others would start from the beginning). */
  readonly users: UserCheckpoint[];
  readonly results: RunResults;
}

export interface ReplayControl {
  /** Graceful stop: no new op starts, in-flight ops finish, handles and sessions are closed. */
  stop(): void;
  /** Checkpoint material; empty `users` when progress is not tracked. */
  snapshot(): ReplaySnapshot;
  /** Totals for a progress line (each call starts a new ops/s interval). */
  progress(): MetricsSnapshot;
}

export interface ReplayOutcome {
  readonly metrics: RunMetrics;
  readonly meta: Record<string, unknown>;
  /** Final progress of the users that progressed (for the last checkpoint). */
  readonly users: UserCheckpoint[];
}

export async function replayUsers(
  reader: IrReader,
  specs: readonly VirtualUserSpec[],
  pool: ConnectionPool,
  options: RunOptions,
  ctx: ReplayContext,
): Promise<ReplayOutcome> {
  const tracked =
    ctx.trackProgress === true || ctx.resume !== undefined
      ? specs.map((spec) => new UserProgress(spec.index, ctx.resume?.get(spec.index)))
      : undefined;
  // Users whose stream was entirely replayed in earlier segments neither log in nor read ops.
  const live = specs
    .map((spec, i) => ({ spec, progress: tracked?.[i] }))
    .filter((u) => u.progress?.isDone !== true);
  const consumers = new Map<string, number>();
  for (const { spec: s } of live) consumers.set(s.irUser.id, (consumers.get(s.irUser.id) ?? 0) + 1);
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
  // Before the metrics exist: waiting for the other shards is neither run time nor ops/s.
  const barrier: StartBarrier | undefined =
    ctx.startAtMs === undefined ? undefined : await waitForStart(ctx.startAtMs, ctx.signal);
  const scheduler = new Scheduler();
  const metrics = new RunMetrics();
  // Beside the lag: whether late ops came from a busy loop, stalls or GC pauses.
  const eventLoop = new EventLoopMonitor();
  // Warm units (measured before the crash, replayed to rebuild handles) land here, not in `metrics`.
  const warmMetrics = ctx.resume !== undefined ? new RunMetrics() : undefined;
  options.observer?.attach(metrics, pool);
  const loginLimiter = new Semaphore(options.loginConcurrency ?? RUN_DEFAULTS.loginConcurrency);
  const credentials = options.credentials.map((c) => loginCredentials(c, options.login));
  const userOptions = {
    pacing: ctx.pacing,
    retries: options.retries ?? RUN_DEFAULTS.retries,
    window: options.window ?? RUN_DEFAULTS.window,
    asyncSlackMs: options.asyncSlackMs ?? RUN_DEFAULTS.asyncSlackMs,
    requestDurable: options.durable ?? false,
  };
  // Each pass from the initial namespace (pass-namespace.ts); one pass needs nothing.
  const passMode = options.passNamespace ?? RUN_DEFAULTS.passNamespace;
  const passTally = emptyPassTally();
  const passesFor = ((): ((spec: VirtualUserSpec) => UserPasses) | undefined => {
    if (iterations <= 1 || passMode === PassNamespace.reuse) return undefined;
    const plans = planNamespaces(reader.namespace);
    const limiter = new Semaphore(options.prepareConcurrency ?? DEFAULT_PREPARE_CONCURRENCY);
    return (spec) =>
      new UserPasses({
        mode: passMode,
        runRoot: ctx.runRoot,
        dirName: spec.dirName,
        plan: plans.get(spec.irUser.id) ?? EMPTY_PLAN,
        fill: options.fill ?? FillMode.auto,
        fillThreshold: DEFAULT_FILL_THRESHOLD,
        limiter,
        tally: passTally,
      });
  })();
  // Open model: the gate's clock starts with the scheduler's (below); the run ends at durationMs.
  const arrivals =
    options.arrivalRate === undefined
      ? undefined
      : new ArrivalGate(scheduler, options.arrivalRate, options.durationMs ?? 0);
  const users = live.map(
    ({ spec, progress }) =>
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
        ...(progress ? { progress } : {}),
        ...(warmMetrics ? { warmMetrics } : {}),
        ...(passesFor ? { passes: passesFor(spec) } : {}),
        ...(arrivals ? { arrivals } : {}),
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
    arrivals?.close();
    feed.stop();
    for (const u of users) u.stop();
  };
  let feedError: unknown;
  feedDone.catch((err: unknown) => {
    feedError = err;
    stopAll();
  });

  const buildMeta = (): Record<string, unknown> => ({
    command: 'run',
    users: specs.length,
    capturedUsers: reader.users.length,
    credentials: options.credentials.length,
    connections: Math.ceil(specs.length / ctx.spc),
    sessionsPerConnection: ctx.spc,
    pacing: ctx.pacing,
    rampUpMs: options.rampUpMs ?? 0,
    durationLimitMs: options.durationMs,
    iterations,
    passNamespace: passMode,
    ...(arrivals && options.arrivalRate
      ? { arrivals: { stages: options.arrivalRate, virtualUsers: users.length, ...arrivals.counts() } }
      : {}),
    ...(passesFor ? { passPrepare: passTallyMeta(passTally) } : {}),
    retries: userOptions.retries,
    durable: userOptions.requestDurable,
    feed: feed.inMemory ? 'memory' : 'streaming',
    breaks: { ...pool.breaks },
    reconnects: pool.reconnects,
    handlesAfterRecovery: {
      reopened: users.reduce((n, u) => n + u.handlesAfterRecovery.reopened, 0),
      lost: users.reduce((n, u) => n + u.handlesAfterRecovery.lost, 0),
    },
    loginFailures,
    ...(firstLoginError ? { firstLoginError } : {}),
    brokenUsers: users.filter((u) => u.broken).length,
    asyncCancelledAtEnd: users.reduce((n, u) => n + u.cancelledAtEnd, 0),
    ...(forcedStop ? { forcedStop: true } : {}),
    ...(barrier ? { startBarrier: barrier } : {}),
    ...(tracked && ctx.resume ? { resumed: resumeFacts(tracked, warmMetrics) } : {}),
    eventLoop: eventLoop.report(),
  });
  const snapshotUsers = (): UserCheckpoint[] =>
    tracked ? tracked.filter((p) => p.hasProgress).map((p) => p.snapshot()) : [];
  ctx.onControl?.({
    stop: stopAll,
    snapshot: () => {
      updateGauges();
      return { users: snapshotUsers(), results: metrics.toResults(buildMeta()) };
    },
    progress: () => {
      updateGauges();
      return metrics.snapshot();
    },
  });
  let forceTimer: NodeJS.Timeout | undefined;
  let forcedStop = false;
  const stopBounded = (): void => {
    stopAll();
    forceTimer ??= setTimeout(() => {
      forcedStop = true;
      pool.close();
    }, STOP_GRACE_MS);
  };
  if (ctx.signal?.aborted) stopBounded();
  else ctx.signal?.addEventListener('abort', stopBounded, { once: true });
  // Under --arrival-rate the run's time starts with the arrivals, once every user has logged in
  // (k6 likewise initialises its VUs first): an arrival during the logins would find none free.
  let durationTimer =
    options.durationMs !== undefined && arrivals === undefined
      ? setTimeout(stopAll, options.durationMs)
      : undefined;
  let loginsSettled = 0;
  const loginSettled = (): void => {
    if (arrivals === undefined || ++loginsSettled < users.length) return;
    arrivals.start(scheduler.now);
    durationTimer = setTimeout(stopAll, options.durationMs ?? 0);
  };

  scheduler.start();
  const startUs = scheduler.now;
  const rampUs = (options.rampUpMs ?? 0) * 1000;
  const rampTotal = ctx.totalUsers ?? users.length;
  users.forEach((user, position) => {
    const k = ctx.totalUsers === undefined ? position : live[position]!.spec.index;
    scheduler.schedule(startUs + rampUpOffsetUs(k, rampTotal, rampUs), () => {
      let loggedIn = false;
      void user
        .run((err) => {
          if (err === undefined) {
            loggedIn = true;
            active++;
          } else {
            loginFailures++;
            firstLoginError ??= (err as Error).message;
            options.observer?.onUserError?.(k, err);
          }
          updateGauges();
          loginSettled();
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
    if (forceTimer) clearTimeout(forceTimer);
    ctx.signal?.removeEventListener('abort', stopBounded);
    updateGauges();
    progress?.tick();
    progress?.stop();
    scheduler.stop();
    eventLoop.stop();
  }
  if (feedError) throw feedError;
  return { metrics, meta: buildMeta(), users: snapshotUsers() };
}

/** What a resumed segment passed over and replayed without measuring (results.meta.resumed). */
function resumeFacts(
  tracked: readonly UserProgress[],
  warm: RunMetrics | undefined,
): Record<string, unknown> {
  const warmTotals = warm?.snapshot();
  return {
    usersDone: tracked.filter((p) => p.wasDoneBefore).length,
    unitsPassedOver: tracked.reduce((n, p) => n + p.passedOver, 0),
    warmOps: warmTotals?.ops ?? 0,
    warmSkips: warmTotals?.skips ?? 0,
  };
}
