/**
 * `smbench demo`: the README's main job on built-in defaults. Starts a throwaway Samba lab on
 * loopback, compiles the bundled sample capture, shows what it contains, prepares every virtual
 * user's initial namespace, replays the workload, prints the summary, and stops the lab. Each
 * step is the real subcommand (compile, inspect, run), so the demo exercises what users run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { startSambaLab } from '../../lab/samba-lab.js';
import { formatFlagHelp, intFlag, parseFlags } from '../args.js';
import type { CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';
import { compileCommand } from './compile.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';

const FLAGS = {
  capture: {
    type: 'string',
    valueName: 'FILE',
    description: 'capture to use (default samples/office-mix.pcap)',
  },
  users: { type: 'string', valueName: 'N', description: 'virtual users (default 10)' },
  speed: { type: 'string', valueName: 'X', description: 'replay speed factor (default 1 = as recorded)' },
  max: { type: 'boolean', description: 'closed loop: as fast as dependencies allow' },
  out: { type: 'string', valueName: 'FILE', description: 'also write the run results JSON here' },
  keep: { type: 'boolean', description: 'keep the compiled workload and the lab directory' },
} as const;

/** The sample lives at <repo>/samples whether we run from src/ (tsx) or dist/src (built). */
function defaultCapture(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'samples', 'office-mix.pcap');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new SmbBenchError(
    ErrorCode.USAGE,
    'bundled sample samples/office-mix.pcap not found; pass --capture FILE',
  );
}

function step(title: string): void {
  process.stderr.write(`\n== ${title}\n`);
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the whole pipeline on the bundled sample: lab Samba, compile, prepare, run',
  usage: `smbench demo [flags]\n\n${formatFlagHelp(FLAGS)}\n`,
  async run(argv) {
    const { flags } = parseFlags(argv, FLAGS, { maxPositionals: 0 });
    const capture = resolve(flags.capture ?? defaultCapture());
    const users = intFlag(flags.users, 'users', { min: 1, max: 100_000 }) ?? 10;
    const work = await mkdtemp(join(tmpdir(), 'smbench-demo-'));
    const workload = join(work, 'workload.smbw');
    step('starting a lab Samba on 127.0.0.1');
    const lab = await startSambaLab({ keep: flags.keep });
    try {
      const account = lab.users[0]!;
      process.stderr.write(
        `lab: ${lab.url(lab.shares[0]!.name)} (Samba ${lab.smbdVersion}), user ${account.user}\n`,
      );
      step(`compiling ${capture}`);
      const compiled = await compileCommand.run([capture, '-o', workload]);
      if (compiled !== ExitCode.OK) return compiled;
      step('inspecting the workload');
      const inspected = await inspectCommand.run([workload]);
      if (inspected !== ExitCode.OK) return inspected;
      step(`preparing and replaying with ${users} virtual users`);
      const runArgs = [
        workload,
        '--target',
        lab.url(lab.shares[0]!.name),
        '--user',
        account.user,
        '--password',
        account.password,
        '--users',
        String(users),
        '--prepare',
        '--cleanup',
        ...(flags.max ? ['--max'] : ['--speed', flags.speed ?? '1']),
        ...(flags.out ? ['--out', flags.out] : []),
      ];
      const code = await runCommand.run(runArgs);
      if (flags.keep) process.stderr.write(`\nkept: workload ${workload}, lab directory ${lab.dir}\n`);
      return code;
    } finally {
      await lab.stop();
      if (!flags.keep) await rm(work, { recursive: true, force: true });
    }
  },
};
