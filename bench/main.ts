import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { startSambaLab } from '../src/lab/samba-lab.js';
import { formatComparisons, runClientSuite } from './client/client-suite.js';
import { formatPathContentionRounds, runPathContentionRounds } from './client/path-contention-suite.js';
import { formatCompileRows, runCompileSuite } from './compile/compile-suite.js';
import { formatScaleRows, runScaleSuite } from './scale/scale-suite.js';

/**
 * `npm run bench`: every speed target of the project, measured against real peers on this
 * machine in one run and reported as ratios (no timing asserts live in the tests).
 *   --suite client|compile|scale|all   which suites to run (default all)
 *   --suite path-contention  smbtorture's smb2.bench.path-contention-shared vs smbench, alternating
 *   --rounds N           rounds of the path-contention suite (default 5)
 *   --real-packets N     packets of the real smbclient recording compiled (default 300000; 0: none)
 *   --compile-mib N      size of the synthetic small-op capture (default 500; bulk: --bulk-mib, 500)
 *   --data-dir DIR       where the compile suite writes its captures (default $TMPDIR/smbench-bench)
 *   --seconds N          duration of each timed workload (default 5)
 *   --qdepth N           requests in flight per connection for smbench and smbtorture (default 16)
 *   --scale-users N      virtual users of the scale suite (default 5000; --scale-ops N ops each, 200)
 *   --scale-workers LIST worker threads per scale run, comma-separated (default 1; e.g. 1,2)
 *   --scale-pacing P     recorded (one op per user every 1.25 s; default) or max (closed loop)
 *   --json FILE          also write the raw results
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      suite: { type: 'string', default: 'all' },
      seconds: { type: 'string', default: '5' },
      qdepth: { type: 'string', default: '16' },
      'transfer-mib': { type: 'string', default: '512' },
      'real-packets': { type: 'string', default: '300000' },
      'compile-mib': { type: 'string', default: '500' },
      'bulk-mib': { type: 'string', default: '500' },
      'data-dir': { type: 'string', default: `${tmpdir()}/smbench-bench` },
      'scale-users': { type: 'string', default: '5000' },
      'scale-ops': { type: 'string', default: '200' },
      'scale-workers': { type: 'string', default: '1' },
      'scale-pacing': { type: 'string', default: 'recorded' },
      rounds: { type: 'string', default: '5' },
      json: { type: 'string' },
    },
  });
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), host: process.platform };
  if (values.suite === 'client' || values.suite === 'all') {
    log('starting a Samba lab on loopback');
    const lab = await startSambaLab({ shares: ['bench'] });
    try {
      const user = lab.users[0]!;
      const rows = await runClientSuite(
        { host: lab.host, port: lab.port, user: user.user, password: user.password, share: 'bench' },
        {
          seconds: Number(values.seconds),
          qdepth: Number(values.qdepth),
          transferMiB: Number(values['transfer-mib']),
          log,
        },
      );
      results.client = rows;
      process.stdout.write(
        `\nSMB client (one connection each; CPU = the client process only)\n${formatComparisons(rows)}\n`,
      );
    } finally {
      await lab.stop();
    }
  }
  if (values.suite === 'path-contention') {
    log('starting a Samba lab on loopback');
    const lab = await startSambaLab({ shares: ['bench'] });
    try {
      const user = lab.users[0]!;
      const rounds = await runPathContentionRounds(
        { host: lab.host, port: lab.port, user: user.user, password: user.password, share: 'bench' },
        {
          seconds: Number(values.seconds),
          qdepth: Number(values.qdepth),
          rounds: Number(values.rounds),
          smbdPid: lab.pid,
          log,
        },
      );
      results.pathContention = rounds;
      process.stdout.write(
        `\nopen+close pairs/s, one connection (CPU = each client process; smbd = the server)\n${formatPathContentionRounds(rounds)}\n`,
      );
    } finally {
      await lab.stop();
    }
  }
  if (values.suite === 'compile' || values.suite === 'all') {
    const rows = await runCompileSuite({
      dir: values['data-dir'],
      smallOpMiB: Number(values['compile-mib']),
      bulkMiB: Number(values['bulk-mib']),
      realPackets: Number(values['real-packets']),
      log,
    });
    results.compile = rows;
    process.stdout.write(
      `\nCapture compile (wall time of the whole process; RSS = peak)\n${formatCompileRows(rows)}\n`,
    );
  }
  if (values.suite === 'scale' || values.suite === 'all') {
    const rows = await runScaleSuite({
      dir: values['data-dir'],
      users: Number(values['scale-users']),
      opsPerUser: Number(values['scale-ops']),
      workers: values['scale-workers'].split(',').map(Number),
      sessionsPerConnection: 64,
      pacing: values['scale-pacing'] === 'max' ? 'max' : 'recorded',
      log,
    });
    results.scale = rows;
    process.stdout.write(
      `\nScale (lag = how late the generator started ops; RSS/CPU = the smbench process)\n${formatScaleRows(rows)}\n`,
    );
  }
  if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
