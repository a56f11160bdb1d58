import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Metric } from 'prom-client';
import { ntStatusName } from '../smb2/nt-status.js';
import type { OpSample } from './kind-metrics.js';
import {
  CumulativeBuckets,
  LAG_BUCKETS_SECONDS,
  LATENCY_BUCKETS_SECONDS,
  type PromSample,
} from './prometheus-buckets.js';
import { matchRatio } from './run-results.js';
import type { GaugeName, RunMetricsListener } from './run-metrics.js';
import type { PoolCounters } from './run-observer.js';

/**
 * The run's Prometheus metrics. Fed by RunMetrics' listener (a few increments per op, no
 * allocation after a kind's or status's first sample) and rendered into samples only on scrape,
 * through prom-client's Registry so the text format, escaping and default labels (shard) are its.
 * Metric names follow the Prometheus conventions: base units (seconds, bytes), `_total` counters.
 */
export const PromMetricName = {
  ops: 'smbench_ops_total',
  errors: 'smbench_errors_total',
  latency: 'smbench_op_latency_seconds',
  bytes: 'smbench_bytes_total',
  retries: 'smbench_retries_total',
  skips: 'smbench_skipped_ops_total',
  activeUsers: 'smbench_active_users',
  targetUsers: 'smbench_target_users',
  sessions: 'smbench_sessions',
  connections: 'smbench_connections',
  lag: 'smbench_schedule_lag_seconds',
  fidelityRatio: 'smbench_fidelity_ratio',
  fidelityChecked: 'smbench_fidelity_checked_total',
  reconnects: 'smbench_reconnects_total',
  breaks: 'smbench_breaks_total',
} as const;

type Outcome = number | string;
type PromType = 'counter' | 'gauge' | 'histogram';

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** An NT status name (MS-ERREF 2.3) or the error code of an op that got no status. */
const outcomeLabel = (o: Outcome): string => (typeof o === 'string' ? o : ntStatusName(o));

class KindSeries {
  readonly latency = new CumulativeBuckets(LATENCY_BUCKETS_SECONDS);
  readonly outcomes = new Map<Outcome, number>();
  readonly errors = new Map<Outcome, number>();
  retries = 0;
}

/**
 * A metric whose samples are computed at scrape time. Registry only calls get() and reads
 * name/help/type, so this stands in for prom-client's own classes (hence the cast on register).
 */
class ScrapeMetric {
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: PromType,
    private readonly compute: () => PromSample[],
  ) {}

  get(): Promise<{ name: string; help: string; type: PromType; aggregator: string; values: PromSample[] }> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.compute(),
    });
  }
}

export interface PrometheusCollectorOptions {
  /** Constant labels on every sample, e.g. `{ shard: '2/8' }` for a sharded run. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Node process metrics (CPU, memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

export class PrometheusRunCollector implements RunMetricsListener {
  readonly registry = new Registry();
  private readonly kinds = new Map<string, KindSeries>();
  private readonly skips = new Map<string, Map<string, number>>();
  private readonly lag = new CumulativeBuckets(LAG_BUCKETS_SECONDS);
  private readonly gauges: Record<GaugeName, number> = {
    activeUsers: 0,
    targetUsers: 0,
    sessions: 0,
    connections: 0,
  };
  private bytesRead = 0;
  private bytesWritten = 0;
  private matched = 0;
  private mismatched = 0;
  private pool: PoolCounters | undefined;

  constructor(options: PrometheusCollectorOptions = {}) {
    if (options.labels && Object.keys(options.labels).length > 0) {
      this.registry.setDefaultLabels({ ...options.labels });
    }
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.registerAll();
  }

  /** Reads reconnects, breaks and open connections from the pool on each scrape. */
  attachPool(pool: PoolCounters): void {
    this.pool = pool;
  }

  onOp(s: OpSample, isError: boolean): void {
    let kind = this.kinds.get(s.kind);
    if (kind === undefined) {
      kind = new KindSeries();
      this.kinds.set(s.kind, kind);
    }
    kind.latency.record(s.serviceUs);
    const outcome: Outcome = s.error ?? s.status >>> 0;
    increment(kind.outcomes, outcome);
    if (isError) increment(kind.errors, outcome);
    // Same direction rule as RunMetrics: writes send bytes, everything else brings bytes back.
    if (s.kind === 'write') this.bytesWritten += s.bytes;
    else this.bytesRead += s.bytes;
    if (s.expectedStatus !== undefined) {
      if (s.error === undefined && s.status >>> 0 === s.expectedStatus >>> 0) this.matched++;
      else this.mismatched++;
    }
  }

  onLag(lagUs: number): void {
    this.lag.record(lagUs);
  }

  onSkip(kind: string, reason: string): void {
    let byReason = this.skips.get(kind);
    if (byReason === undefined) {
      byReason = new Map();
      this.skips.set(kind, byReason);
    }
    increment(byReason, reason);
  }

  onRetry(kind: string): void {
    const series = this.kinds.get(kind);
    if (series !== undefined) series.retries++;
    else {
      const created = new KindSeries();
      created.retries = 1;
      this.kinds.set(kind, created);
    }
  }

  onGauge(name: GaugeName, value: number): void {
    this.gauges[name] = value;
  }

  /** The exposition text (what GET /metrics returns). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private register(name: string, help: string, type: PromType, compute: () => PromSample[]): void {
    this.registry.registerMetric(new ScrapeMetric(name, help, type, compute) as unknown as Metric);
  }

  private perOutcome(pick: (k: KindSeries) => ReadonlyMap<Outcome, number>): PromSample[] {
    const out: PromSample[] = [];
    for (const [op, series] of this.kinds) {
      // Several numeric outcomes never share a name, but an error code and a status could: sum.
      const byLabel = new Map<string, number>();
      for (const [o, n] of pick(series)) {
        const label = outcomeLabel(o);
        byLabel.set(label, (byLabel.get(label) ?? 0) + n);
      }
      for (const [status, n] of byLabel) out.push({ value: n, labels: { op, status } });
    }
    return out;
  }

  private registerAll(): void {
    const N = PromMetricName;
    const gauge = (value: number): PromSample[] => [{ value, labels: {} }];
    this.register(
      N.ops,
      'Completed SMB ops by op kind and outcome (NT status or error code).',
      'counter',
      () => this.perOutcome((k) => k.outcomes),
    );
    this.register(
      N.errors,
      'Failed ops (transport errors, timeouts, error statuses the capture did not record) by op and status.',
      'counter',
      () => this.perOutcome((k) => k.errors),
    );
    this.register(N.latency, 'Service latency (request sent to response) by op kind.', 'histogram', () =>
      [...this.kinds].flatMap(([op, k]) => (k.latency.count > 0 ? k.latency.samples(N.latency, { op }) : [])),
    );
    this.register(N.bytes, 'Payload bytes: written to the server, or read back from it.', 'counter', () => [
      { value: this.bytesRead, labels: { direction: 'read' } },
      { value: this.bytesWritten, labels: { direction: 'write' } },
    ]);
    this.register(N.retries, 'Replay-safe ops retried after a transport error or timeout.', 'counter', () =>
      [...this.kinds].flatMap(([op, k]) => (k.retries > 0 ? [{ value: k.retries, labels: { op } }] : [])),
    );
    this.register(N.skips, 'Ops the runner did not issue, by op and reason.', 'counter', () =>
      [...this.skips].flatMap(([op, byReason]) =>
        [...byReason].map(([reason, n]) => ({ value: n, labels: { op, reason } })),
      ),
    );
    this.register(N.activeUsers, 'Virtual users logged in and replaying.', 'gauge', () =>
      gauge(this.gauges.activeUsers),
    );
    this.register(N.targetUsers, 'Virtual users the run will have after ramp-up.', 'gauge', () =>
      gauge(this.gauges.targetUsers),
    );
    this.register(N.sessions, 'Authenticated SMB sessions.', 'gauge', () => gauge(this.gauges.sessions));
    this.register(N.connections, 'Open TCP connections to the target.', 'gauge', () =>
      gauge(this.pool?.openConnections ?? this.gauges.connections),
    );
    this.register(N.lag, 'Schedule lag: actual op start minus intended start.', 'histogram', () =>
      this.lag.samples(N.lag),
    );
    this.register(
      N.fidelityRatio,
      'Share of compared ops whose status matched the capture (1 when none compared yet).',
      'gauge',
      () => gauge(matchRatio({ matched: this.matched, mismatched: this.mismatched })),
    );
    this.register(N.fidelityChecked, 'Ops whose status was compared with the capture.', 'counter', () => [
      { value: this.matched, labels: { result: 'matched' } },
      { value: this.mismatched, labels: { result: 'mismatched' } },
    ]);
    this.register(N.reconnects, 'Connections re-established after being lost.', 'counter', () =>
      gauge(this.pool?.reconnects ?? 0),
    );
    this.register(N.breaks, 'Oplock and lease breaks from the server (MS-SMB2 3.2.5.19).', 'counter', () => {
      const b = this.pool?.breaks;
      return [
        { value: b?.received ?? 0, labels: { event: 'received' } },
        { value: b?.acknowledged ?? 0, labels: { event: 'acknowledged' } },
        { value: b?.failedAcks ?? 0, labels: { event: 'ack_failed' } },
      ];
    });
  }
}
