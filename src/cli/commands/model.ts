/**
 * `smbench model learn|synth|compare` (docs/model.md): learn a user model from a workload,
 * synthesise N distinct users from it, and measure how close two workloads' distributions are.
 */
import { assertValidIr, readIr } from '../../ir/index.js';
import {
  compareWorkloads,
  formatProfileComparison,
  learnModel,
  readModel,
  synthesizeWorkload,
  writeModel,
} from '../../model/index.js';
import { parseDurationMs } from '../../runner/duration.js';
import { formatFlagHelp, intFlag, parseFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import type { CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';

const FLAGS = {
  output: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description: 'model (learn) or workload (synth) to write',
  },
  users: { type: 'string', valueName: 'N', description: 'synth: users to draw (default 100)' },
  duration: {
    type: 'string',
    valueName: 'D',
    description: 'synth: keep users busy this long, e.g. 2s or 10m (default: each walks the chain once)',
  },
  seed: {
    type: 'string',
    valueName: 'S',
    description: 'synth: PRNG seed, same seed = same bytes (default 1)',
  },
  'max-ops-per-user': {
    type: 'string',
    valueName: 'N',
    description: 'synth: cap on ops per user (default 100000)',
  },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
} as const;

const USAGE = `Usage: smbench model learn WORKLOAD.smbw -o MODEL.json
       smbench model synth MODEL.json --users N [--duration D] [--seed S] -o SYNTH.smbw
       smbench model compare REFERENCE.smbw OTHER.smbw [--json]

learn    a model of the workload's users: a Markov chain over op kinds with path roles (same file,
         sibling, child of the directory just listed, new file, directory...), think-time and size
         distributions, session lengths and the shape of the initial namespace.
synth    a valid workload of N distinct users drawn from the model, with their initial namespace;
         reproducible byte for byte for the same model, options and seed.
compare  per distribution (op mix, think time, read/write/file sizes, ops per session) a distance
         and the level sampling noise alone would reach (also: smbench inspect W --compare REF).

Options:
${formatFlagHelp(FLAGS)}

Example:
  smbench compile office.pcapng -o office.smbw
  smbench model learn office.smbw -o office-model.json
  smbench model synth office-model.json --users 1000 --duration 5m --seed 7 -o office-1000.smbw
  smbench inspect office-1000.smbw --compare office.smbw`;

async function learn(
  positionals: readonly string[],
  out: string | undefined,
  json: boolean,
): Promise<ExitCode> {
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) throw usageError('model learn needs one WORKLOAD.smbw');
  if (out === undefined) throw usageError('--output (-o) is required');
  await assertValidIr(input);
  const ir = await readIr(input);
  let model;
  try {
    model = await learnModel(ir);
  } finally {
    await ir.close();
  }
  await writeModel(out, model);
  const states = Object.keys(model.chain).length;
  const skipped = Object.entries(model.source.skipped).map(([k, n]) => `${k} ${n}`);
  process.stderr.write(
    `smbench: learned ${out} from ${model.source.users} users, ${model.source.ops} ops: ${states} chain states` +
      `${skipped.length === 0 ? '' : `; not modelled (counted, skipped): ${skipped.join(', ')}`}\n`,
  );
  if (json)
    process.stdout.write(`${JSON.stringify({ model: out, source: model.source, states }, null, 2)}\n`);
  return ExitCode.OK;
}

export const modelCommand: CliCommand = {
  name: 'model',
  summary: 'learn a user model from a workload, synthesise N users from it, compare workloads',
  usage: USAGE,
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, FLAGS);
    const [sub, ...rest] = positionals;
    if (sub === 'learn') return learn(rest, flags.output, flags.json);
    if (sub === 'compare') {
      if (rest.length !== 2) throw usageError('model compare needs REFERENCE.smbw and OTHER.smbw');
      const comparison = await compareWorkloads(rest[0]!, rest[1]!);
      if (flags.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
      else process.stdout.write(formatProfileComparison(rest[0]!, rest[1]!, comparison));
      return ExitCode.OK;
    }
    if (sub !== 'synth') throw usageError('expected learn, synth or compare');
    const input = rest[0];
    if (input === undefined || rest.length > 1) throw usageError('model synth needs one MODEL.json');
    if (flags.output === undefined) throw usageError('--output (-o) is required');
    const users = intFlag(flags.users, 'users', { min: 1, max: 10_000_000 }) ?? 100;
    const seed = intFlag(flags.seed, 'seed', { min: 0, max: 0xffffffff }) ?? 1;
    const maxOps = intFlag(flags['max-ops-per-user'], 'max-ops-per-user', { min: 1 });
    const durationUs = flags.duration === undefined ? undefined : parseDurationMs(flags.duration) * 1000;
    const model = await readModel(input);
    const result = await synthesizeWorkload(model, {
      users,
      seed,
      output: flags.output,
      ...(durationUs === undefined ? {} : { durationUs }),
      ...(maxOps === undefined ? {} : { maxOpsPerUser: maxOps }),
    });
    process.stderr.write(
      `smbench: wrote ${flags.output} (id ${result.workloadId}): ${result.users} users, ${result.ops} ops, ` +
        `${result.namespace} namespace entries` +
        `${result.fallbacks === 0 ? '' : `; ${result.fallbacks} sessions used another path role (namespace could not honour it)`}\n`,
    );
    if (flags.json) process.stdout.write(`${JSON.stringify({ output: flags.output, ...result }, null, 2)}\n`);
    return ExitCode.OK;
  },
};
