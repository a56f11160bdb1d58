import { readFileSync } from 'node:fs';
import { runSmbtorture } from './peers.js';
import { runSmbenchWorkload, type BenchTarget, type WorkloadResult } from './smbench-workloads.js';

export interface PathContentionRound {
  smbtorture: WorkloadResult;
  smbench: WorkloadResult;
  /** smbench pairs/s over smbtorture pairs/s, both measured in this round. */
  ratio: number;
  /** CPU microseconds per open+close pair: each client process, and smbd (the server side). */
  clientCpuUsPerPair: { smbtorture: number; smbench: number };
  smbdCpuUsPerPair: { smbtorture: number; smbench: number };
}

export interface PathContentionOptions {
  seconds: number;
  qdepth: number;
  rounds: number;
  /** The lab's smbd parent: it reaps the per-connection children, so their CPU lands in its cutime. */
  smbdPid: number;
  log: (line: string) => void;
}

/**
 * smb2.bench.path-contention-shared against smbench's identical loop, alternating within each
 * round on the same lab, so that the load other processes put on this machine hits both alike.
 * A single pairs/s figure varies by 2x here from run to run; the per-round ratio and the CPU
 * spent per pair (client and server) are what to compare.
 */
export async function runPathContentionRounds(
  target: BenchTarget,
  opts: PathContentionOptions,
): Promise<PathContentionRound[]> {
  const rounds: PathContentionRound[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    opts.log(`path-contention round ${r + 1}/${opts.rounds} (1 connection, qdepth ${opts.qdepth})`);
    let before = smbdCpuSeconds(opts.smbdPid);
    const smbtorture = await runSmbtorture(target, 'path-contention-shared', opts.seconds, opts.qdepth);
    await settle();
    const smbtortureSmbd = smbdCpuSeconds(opts.smbdPid) - before;
    before = smbdCpuSeconds(opts.smbdPid);
    const smbench = await runSmbenchWorkload(target, 'stat-open-close', opts.seconds, opts.qdepth);
    await settle();
    const smbenchSmbd = smbdCpuSeconds(opts.smbdPid) - before;
    const perUs = (cpu: number, w: WorkloadResult): number => (cpu * 1e6) / Math.max(w.ops, 1);
    rounds.push({
      smbtorture,
      smbench,
      ratio: smbench.ops / smbench.seconds / (smbtorture.ops / smbtorture.seconds),
      clientCpuUsPerPair: {
        smbtorture: perUs(smbtorture.cpuSeconds, smbtorture),
        smbench: perUs(smbench.cpuSeconds, smbench),
      },
      // smbtorture's includes its login and tree connect (it runs as its own process).
      smbdCpuUsPerPair: {
        smbtorture: perUs(smbtortureSmbd, smbtorture),
        smbench: perUs(smbenchSmbd, smbench),
      },
    });
  }
  return rounds;
}

export function formatPathContentionRounds(rounds: readonly PathContentionRound[]): string {
  const lines = [
    'round  smbtorture pairs/s  smbench pairs/s   ratio  client CPU us/pair (torture/smbench)  smbd CPU us/pair (torture/smbench)',
  ];
  rounds.forEach((r, i) => {
    lines.push(
      [
        String(i + 1).padStart(5),
        (r.smbtorture.ops / r.smbtorture.seconds).toFixed(0).padStart(19),
        (r.smbench.ops / r.smbench.seconds).toFixed(0).padStart(16),
        `${r.ratio.toFixed(2)}x`.padStart(7),
        `${r.clientCpuUsPerPair.smbtorture.toFixed(0)} / ${r.clientCpuUsPerPair.smbench.toFixed(0)}`.padStart(
          37,
        ),
        `${r.smbdCpuUsPerPair.smbtorture.toFixed(0)} / ${r.smbdCpuUsPerPair.smbench.toFixed(0)}`.padStart(35),
      ].join(' '),
    );
  });
  const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
  if (ratios.length > 0) {
    const median = ratios[Math.floor(ratios.length / 2)]!;
    lines.push(
      `ratio range ${ratios[0]!.toFixed(2)}x-${ratios[ratios.length - 1]!.toFixed(2)}x, median ${median.toFixed(2)}x`,
    );
  }
  return lines.join('\n');
}

/** utime + stime + cutime + cstime of the process, in seconds (proc(5): fields 14-17, 100 Hz). */
function smbdCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

/** The per-connection smbd child exits after logoff; give the parent time to reap it. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 500));
}
