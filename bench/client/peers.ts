import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from '../lib/child-cpu.js';
import type { BenchTarget, ClientWorkload, WorkloadResult } from './smbench-workloads.js';

const IMPACKET_SCRIPT = fileURLToPath(new URL('../peers/impacket_bench.py', import.meta.url));

/** impacket is synchronous: one connection, one request in flight. */
export async function runImpacket(
  target: BenchTarget,
  workload: ClientWorkload,
  seconds: number,
): Promise<WorkloadResult> {
  const run = await runMeasured(
    [
      '/usr/bin/python3',
      IMPACKET_SCRIPT,
      target.host,
      String(target.port),
      target.user,
      target.password,
      target.share,
      workload,
      String(seconds),
    ],
    (seconds + 60) * 1000,
  );
  if (run.exitCode !== 0) throw new Error(`impacket ${workload} failed: ${run.stderr.slice(-400)}`);
  const line = run.stdout.trim().split('\n').pop() ?? '{}';
  const r = JSON.parse(line) as { ops: number; bytes: number; seconds: number; cpuSeconds: number };
  return {
    peer: 'impacket',
    workload,
    connections: 1,
    qdepth: 1,
    ops: r.ops,
    bytes: r.bytes,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
  };
}

/**
 * smbtorture's smb2.bench tests (samba-testsuite) keep `qdepth` requests in flight on each of
 * `nprocs` connections for `timelimit` seconds and print per-second rates.
 * path-contention-shared is open+close of one path; echo is SMB2 ECHO.
 */
export async function runSmbtorture(
  target: BenchTarget,
  test: 'path-contention-shared' | 'echo',
  seconds: number,
  qdepth: number,
): Promise<WorkloadResult> {
  const argv = [
    'smbtorture',
    `//${target.host}/${target.share}`,
    `--smb-ports=${target.port}`,
    `-U${target.user}%${target.password}`,
    '--option=torture:nprocs=1',
    `--option=torture:qdepth=${qdepth}`,
    `--option=torture:timelimit=${seconds}`,
    '--option=client min protocol=SMB3_11',
    `smb2.bench.${test}`,
  ];
  const run = await runMeasured(argv, (seconds + 60) * 1000);
  if (run.exitCode !== 0)
    throw new Error(`smbtorture ${test} failed (${run.exitCode}): ${(run.stdout + run.stderr).slice(-600)}`);
  const ops = Math.round(parseSmbtortureRate(run.stdout + run.stderr) * seconds);
  return {
    peer: 'smbtorture',
    workload: test,
    connections: 1,
    qdepth,
    ops,
    bytes: 0,
    seconds,
    cpuSeconds: run.cpuSeconds,
  };
}

/**
 * The bench tests print one progress record per second, e.g.
 * `1.00 second: open[num/s=3552,avslat=...] close[num/s=3552,...]`; the first operation named is
 * the loop's unit (one open+close pair, one echo). Returns the mean of those per-second rates.
 */
export function parseSmbtortureRate(output: string): number {
  const rates: number[] = [];
  let unit: string | undefined;
  for (const m of output.matchAll(/(\w+)\[num\/s=(\d+)/g)) {
    unit ??= m[1];
    if (m[1] === unit) rates.push(Number(m[2]));
  }
  if (rates.length === 0)
    throw new Error(`could not find a num/s rate in smbtorture output:\n${output.slice(-800)}`);
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}

/** smbclient `put`/`get` of one large file: sequential MB/s with Samba's own client library. */
export async function runSmbclientTransfer(
  target: BenchTarget,
  direction: 'put' | 'get',
  sizeMiB: number,
): Promise<WorkloadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'smbench-bench-'));
  try {
    const local = join(dir, 'blob');
    if (direction === 'put') await writeFile(local, Buffer.alloc(sizeMiB << 20, 0x61));
    const remote = 'smbclient-bench.dat';
    const command = direction === 'put' ? `put ${local} ${remote}` : `get ${remote} ${local}`;
    const run = await runMeasured(
      [
        'smbclient',
        `//${target.host}/${target.share}`,
        '-p',
        String(target.port),
        '-U',
        `${target.user}%${target.password}`,
        '-m',
        'SMB3',
        '-c',
        command,
      ],
      600_000,
    );
    if (run.exitCode !== 0)
      throw new Error(`smbclient ${command} failed: ${(run.stdout + run.stderr).slice(-400)}`);
    const bytes = sizeMiB << 20;
    return {
      peer: 'smbclient',
      workload: `${direction}-${sizeMiB}m`,
      connections: 1,
      qdepth: 0,
      ops: sizeMiB,
      bytes,
      seconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
