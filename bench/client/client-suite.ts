import { runImpacket, runSmbclientTransfer, runSmbtorture } from './peers.js';
import {
  CLIENT_WORKLOADS,
  runSmbenchEcho,
  runSmbenchTransfer,
  runSmbenchWorkload,
  type BenchTarget,
  type WorkloadResult,
} from './smbench-workloads.js';

export interface Comparison {
  what: string;
  smbench: WorkloadResult;
  peer: WorkloadResult;
  /** smbench / peer for the metric named in `metric`. */
  ratio: number;
  metric: 'ops per CPU-second' | 'ops/s' | 'MB/s';
  target: string;
}

export interface ClientSuiteOptions {
  seconds: number;
  qdepth: number;
  transferMiB: number;
  log: (line: string) => void;
}

const perCpu = (r: WorkloadResult): number => r.ops / Math.max(r.cpuSeconds, 1e-6);
const perSecond = (r: WorkloadResult): number => r.ops / r.seconds;
const mbPerSecond = (r: WorkloadResult): number => r.bytes / (1 << 20) / r.seconds;

/**
 * The client targets, side by side in one run against the same lab:
 * - at least 10x impacket's ops per client CPU-second (open+close, 4 KiB read, 1 MiB write);
 * - within 2x of smbtorture's throughput at the same connection count and queue depth
 *   (smb2.bench.path-contention-shared is open+close; smb2.bench.echo is ECHO);
 * - sequential MB/s next to smbclient put/get (smbtorture 4.17 has no smb2 read/write bench).
 */
export async function runClientSuite(target: BenchTarget, opts: ClientSuiteOptions): Promise<Comparison[]> {
  const out: Comparison[] = [];
  for (const workload of CLIENT_WORKLOADS) {
    opts.log(`client: ${workload} smbench (qdepth ${opts.qdepth}) vs impacket`);
    const ours = await runSmbenchWorkload(target, workload, opts.seconds, opts.qdepth);
    const theirs = await runImpacket(target, workload, opts.seconds);
    out.push({
      what: workload,
      smbench: ours,
      peer: theirs,
      metric: 'ops per CPU-second',
      ratio: perCpu(ours) / perCpu(theirs),
      target: '>= 10',
    });
  }
  for (const [test, ours] of [
    [
      'path-contention-shared',
      () => runSmbenchWorkload(target, 'stat-open-close', opts.seconds, opts.qdepth),
    ],
    ['echo', () => runSmbenchEcho(target, opts.seconds, opts.qdepth)],
  ] as const) {
    opts.log(`client: ${test} smbench vs smbtorture (1 connection, qdepth ${opts.qdepth})`);
    const a = await ours();
    const b = await runSmbtorture(target, test, opts.seconds, opts.qdepth);
    out.push({
      what: test === 'echo' ? 'echo' : `${test} (stat open+close)`,
      smbench: a,
      peer: b,
      metric: 'ops/s',
      ratio: perSecond(a) / perSecond(b),
      target: '>= 0.5',
    });
  }
  for (const direction of ['put', 'get'] as const) {
    opts.log(`client: ${direction} ${opts.transferMiB} MiB smbench vs smbclient`);
    const a = await runSmbenchTransfer(target, direction, opts.transferMiB);
    const b = await runSmbclientTransfer(target, direction, opts.transferMiB);
    out.push({
      what: `${direction} ${opts.transferMiB} MiB`,
      smbench: a,
      peer: b,
      metric: 'MB/s',
      ratio: mbPerSecond(a) / mbPerSecond(b),
      target: '>= 0.5',
    });
  }
  return out;
}

export function formatComparisons(rows: readonly Comparison[]): string {
  const lines = [
    'workload                         metric              smbench        peer               ratio  target',
  ];
  for (const r of rows) {
    const value = r.metric === 'MB/s' ? mbPerSecond : r.metric === 'ops/s' ? perSecond : perCpu;
    lines.push(
      [
        r.what.padEnd(32),
        r.metric.padEnd(19),
        value(r.smbench).toFixed(0).padStart(8),
        `${value(r.peer).toFixed(0)} (${r.peer.peer})`.padStart(18),
        `${r.ratio.toFixed(2)}x`.padStart(10),
        `  ${r.target}`,
      ].join(' '),
    );
  }
  return lines.join('\n');
}
