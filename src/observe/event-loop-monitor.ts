/**
 * How busy and how blocked the replaying thread's event loop was over a run, reported beside the
 * schedule lag (results.meta.eventLoop): lag says how late ops started, this says why. A loop that
 * is mostly idle but has long stalls (GC pauses, one long synchronous task) gives a lag tail that
 * more CPU would not fix; a loop near 100% utilisation gives lag everywhere.
 *
 * Three sources from node:perf_hooks, all cheap enough to leave on in every run:
 * - `performance.eventLoopUtilization()`: share of the time the loop was running code, not waiting;
 * - `monitorEventLoopDelay()`: how late a repeating timer fired (the loop's longest stalls);
 * - `PerformanceObserver` of `gc` entries: count and pause time of each collection, by kind.
 */
import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type EventLoopUtilization,
  type IntervalHistogram,
} from 'node:perf_hooks';

/** Sampling period of the delay monitor (ms): 100 wake-ups per second, nothing next to the ops. */
const DELAY_RESOLUTION_MS = 10;

export interface GcPauses {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

export interface EventLoopReport {
  /** Share of the monitored time the loop was busy, 0..1. */
  readonly utilization: number;
  /** How late the delay monitor's timer fired, µs (beyond its own period). */
  readonly delayP50Us: number;
  readonly delayP99Us: number;
  readonly delayMaxUs: number;
  /** Scavenges (young generation). */
  readonly gcMinor: GcPauses;
  /** Mark-compacts and the rest (old generation, incremental steps, weak callbacks). */
  readonly gcMajor: GcPauses;
}

class PauseTally {
  count = 0;
  totalMs = 0;
  maxMs = 0;

  add(ms: number): void {
    this.count++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  toJSON(): GcPauses {
    return { count: this.count, totalMs: round(this.totalMs), maxMs: round(this.maxMs) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export class EventLoopMonitor {
  private readonly startElu: EventLoopUtilization;
  private readonly delay: IntervalHistogram;
  private readonly observer: PerformanceObserver;
  private readonly minor = new PauseTally();
  private readonly major = new PauseTally();
  private stopped: EventLoopReport | undefined;

  constructor() {
    this.startElu = performance.eventLoopUtilization();
    this.delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
    this.delay.enable();
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.recordGc(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** The report so far; after stop(), the report at the stop. */
  report(): EventLoopReport {
    if (this.stopped) return this.stopped;
    const elu = performance.eventLoopUtilization(this.startElu);
    // The histogram holds whole timer periods (ns); the delay is what exceeds the period.
    const lateUs = (ns: number): number => Math.max(0, Math.round(ns / 1000) - DELAY_RESOLUTION_MS * 1000);
    return {
      utilization: Math.round(elu.utilization * 10_000) / 10_000,
      delayP50Us: lateUs(this.delay.percentile(50)),
      delayP99Us: lateUs(this.delay.percentile(99)),
      delayMaxUs: lateUs(this.delay.max),
      gcMinor: this.minor.toJSON(),
      gcMajor: this.major.toJSON(),
    };
  }

  /** Stops sampling and returns the final report. */
  stop(): EventLoopReport {
    if (this.stopped) return this.stopped;
    // Entries of the last collections may still sit in the observer's buffer.
    for (const entry of this.observer.takeRecords()) this.recordGc(entry);
    const report = this.report();
    this.observer.disconnect();
    this.delay.disable();
    this.stopped = report;
    return report;
  }

  private recordGc(entry: PerformanceEntry): void {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.minor.add(entry.duration);
    else this.major.add(entry.duration);
  }
}
