/**
 * `npm run bench -- --suite scale`: many concurrent virtual users against the Samba lab, by
 * default 5,000 users x 200 ops = 1,000,000 ops. Reported per configuration: peak RSS and CPU of
 * the smbench process, peak concurrently active users, ops/s, service latency, and schedule lag
 * (how late the load generator started ops: its own overhead, which must stay small).
 *
 * Pacing (`--scale-pacing`):
 * - `recorded` (default): each user does one op every 1.25 s (scale-workload.ts), 4,000 ops/s for
 *   5,000 users, the open-loop load of a real office; users ramp up over 30 s, and since logging
 *   5,000 users in takes longer than a closed-loop user needs for its 200 ops, only this keeps all
 *   5,000 active at once. Lag here is lateness against the recorded schedule;
 * - `max`: closed loop, each user's next op as soon as the previous one answered: the most ops/s,
 *   with users finishing at different times.
 *
 * Every TCP connection is served by its own smbd process, so 5,000 users at 64 sessions per
 * connection spread over 79 smbd processes; on a small machine smbd, not smbench, sets the pace
 * (compare smbench's CPU share). `--scale-users/--scale-ops` shrink the run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSambaLab } from '../../src/lab/samba-lab.js';
import { formatUs } from '../../src/observe/format-units.js';
import type { EventLoopReport } from '../../src/observe/event-loop-monitor.js';
import type { RunResults } from '../../src/observe/run-results.js';
import { measure, type Measured } from '../compile/measure.js';
import { writeScaleWorkload } from './scale-workload.js';

export interface ScaleBenchOptions {
  readonly dir: string;
  readonly users: number;
  readonly opsPerUser: number;
  /** One run per entry: worker threads of the smbench process. */
  readonly workers: readonly number[];
  readonly sessionsPerConnection: number;
  readonly pacing: 'recorded' | 'max';
  readonly log: (line: string) => void;
}

export interface ScaleBenchRow {
  readonly users: number;
  readonly pacing: string;
  readonly workers: number;
  /** Most users logged in and replaying at the same moment. */
  readonly peakUsers: number;
  readonly connections: number;
  readonly ops: number;
  readonly errors: number;
  readonly fidelity: number;
  readonly wallSeconds: number;
  /** The run's own duration (logins included, process start-up excluded). */
  readonly runSeconds: number;
  readonly opsPerSecond: number;
  readonly serviceP50Us: number;
  readonly serviceP99Us: number;
  readonly lagP50Us: number;
  readonly lagP99Us: number;
  readonly lagMaxUs: number;
  readonly peakRssMiB: number;
  /** CPU of the smbench process as a share of one core, over the wall time. */
  readonly cpuPercent: number;
  readonly prepareSeconds: number;
  /** CPU (user + sys) of the smbench process per op, µs. */
  readonly cpuUsPerOp: number;
  /** Event-loop utilisation of the replaying thread (perf_hooks), 0..1; NaN if not reported. */
  readonly eventLoopUtilization: number;
  /** The loop's longest stall (monitorEventLoopDelay), µs. */
  readonly loopDelayMaxUs: number;
  /** GC pause time over the replay (scavenges + mark-compacts), ms, and the longest pause. */
  readonly gcPauseMs: number;
  readonly gcMaxPauseMs: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The run of 5,000 users must fit in this on the bench machine. */
const RUN_TIMEOUT_MS = 30 * 60_000;

/** User + system CPU seconds of the measured process (`/usr/bin/time -v`). */
function cpuSeconds(m: Measured): number {
  const user = /User time \(seconds\): ([\d.]+)/.exec(m.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(m.stderr);
  return user && sys ? Number(user[1]) + Number(sys[1]) : NaN;
}

function cpuPercent(m: Measured): number {
  const match = /Percent of CPU this job got: (\d+)%/.exec(m.stderr);
  return match ? Number(match[1]) : NaN;
}

export async function runScaleSuite(opts: ScaleBenchOptions): Promise<ScaleBenchRow[]> {
  mkdirSync(opts.dir, { recursive: true });
  const workload = join(opts.dir, 'scale.smbw');
  const opsPerUser = await writeScaleWorkload(workload, 10, opts.opsPerUser);
  opts.log(`scale: ${opts.users} users x ${opsPerUser} ops = ${opts.users * opsPerUser} ops per run`);
  opts.log('scale: starting a Samba lab on loopback');
  const lab = await startSambaLab({ shares: ['bench'] });
  const rows: ScaleBenchRow[] = [];
  try {
    const user = lab.users[0]!;
    const cli = (args: readonly string[]): string[] => [
      process.execPath,
      '--import',
      'tsx',
      join(ROOT, 'src/cli/main.ts'),
      ...args,
      workload,
      '--target',
      lab.url(),
      '-u',
      user.user,
      '--password',
      user.password,
      '--users',
      String(opts.users),
      '--sessions-per-connection',
      String(opts.sessionsPerConnection),
    ];
    opts.log("scale: preparing every user's file");
    const prepared = await measure([...cli(['prepare']), '--quiet', '--concurrency', '64'], RUN_TIMEOUT_MS);
    if (prepared.exitCode !== 0) throw new Error(`prepare failed:\n${prepared.stderr}`);
    for (const workers of opts.workers) {
      const out = join(opts.dir, `scale-w${workers}.json`);
      opts.log(`scale: run with --workers ${workers}`);
      const pacing = opts.pacing === 'max' ? ['--max'] : ['--ramp-up', '30s'];
      const m = await measure(
        [...cli(['run']), ...pacing, '--workers', String(workers), '--out', out, '--quiet'],
        RUN_TIMEOUT_MS,
      );
      if (m.exitCode !== 0 && m.exitCode !== 3) throw new Error(`run failed (${m.exitCode}):\n${m.stderr}`);
      const r = JSON.parse(readFileSync(out, 'utf8')) as RunResults;
      const loop = r.meta['eventLoop'] as EventLoopReport | undefined;
      rows.push({
        users: opts.users,
        pacing: opts.pacing,
        workers,
        peakUsers: r.peak.activeUsers,
        connections: r.peak.connections,
        ops: r.totals.ops,
        errors: r.totals.errors,
        fidelity: r.fidelity.matchRatio,
        wallSeconds: m.wallSeconds,
        runSeconds: r.durationMs / 1000,
        opsPerSecond: r.totals.opsPerSecond,
        serviceP50Us: r.service.p50,
        serviceP99Us: r.service.p99,
        lagP50Us: r.lag.p50,
        lagP99Us: r.lag.p99,
        lagMaxUs: r.lag.max,
        peakRssMiB: m.maxRssMiB,
        cpuPercent: cpuPercent(m),
        prepareSeconds: prepared.wallSeconds,
        cpuUsPerOp: r.totals.ops > 0 ? (cpuSeconds(m) * 1e6) / r.totals.ops : NaN,
        eventLoopUtilization: loop?.utilization ?? NaN,
        loopDelayMaxUs: loop?.delayMaxUs ?? NaN,
        gcPauseMs: loop ? loop.gcMinor.totalMs + loop.gcMajor.totalMs : NaN,
        gcMaxPauseMs: loop ? Math.max(loop.gcMinor.maxMs, loop.gcMajor.maxMs) : NaN,
      });
      opts.log(
        `scale: ${r.totals.ops} ops in ${(r.durationMs / 1000).toFixed(1)} s, peak RSS ${m.maxRssMiB.toFixed(0)} MiB`,
      );
    }
  } finally {
    await lab.stop();
  }
  return rows;
}

export function formatScaleRows(rows: readonly ScaleBenchRow[]): string {
  const header = [
    'users',
    'pacing',
    'workers',
    'peak users',
    'conns',
    'ops',
    'ops/s',
    'svc p50',
    'svc p99',
    'lag p50',
    'lag p99',
    'lag max',
    'peak RSS',
    'CPU',
    'CPU/op',
    'ELU',
    'stall max',
    'GC pauses',
    'run',
    'errors',
    'fidelity',
  ];
  const body = rows.map((r) => [
    String(r.users),
    r.pacing,
    String(r.workers),
    String(r.peakUsers),
    String(r.connections),
    String(r.ops),
    r.opsPerSecond.toFixed(0),
    formatUs(r.serviceP50Us),
    formatUs(r.serviceP99Us),
    formatUs(r.lagP50Us),
    formatUs(r.lagP99Us),
    formatUs(r.lagMaxUs),
    `${r.peakRssMiB.toFixed(0)} MiB`,
    `${r.cpuPercent}%`,
    formatUs(r.cpuUsPerOp),
    `${(r.eventLoopUtilization * 100).toFixed(1)}%`,
    formatUs(r.loopDelayMaxUs),
    `${r.gcPauseMs.toFixed(0)} ms (max ${r.gcMaxPauseMs.toFixed(1)})`,
    `${r.runSeconds.toFixed(1)} s`,
    String(r.errors),
    `${(r.fidelity * 100).toFixed(2)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const prepare = rows[0]
    ? `\nprepare of ${rows[0].users} users: ${rows[0].prepareSeconds.toFixed(1)} s`
    : '';
  return [line(header), ...body.map(line)].join('\n') + prepare;
}
