/**
 * Every `smbench` subcommand, in the order `smbench --help` lists them. Adding a command is one
 * file under commands/ exporting a CliCommand, plus one entry here.
 *
 * An entry carries only what `smbench --help` prints; the command's module is imported when the
 * command is used. `compile` of a small capture was dominated by loading the runner, client, lab
 * and report modules it never calls; now each command loads only its own import graph.
 */
import type { CliCommand } from './cli-command.js';

export interface CommandEntry {
  /** The word after `smbench`; equal to the loaded command's name (test/cli checks it). */
  readonly name: string;
  /** One line for `smbench --help`; equal to the loaded command's summary. */
  readonly summary: string;
  /** Imports the command's module. */
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'the whole pipeline on the bundled sample: lab Samba, compile, prepare, run',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  {
    name: 'compile',
    summary: 'compile SMB2/3 captures into a workload (.smbw)',
    load: async () => (await import('./commands/compile.js')).compileCommand,
  },
  {
    name: 'inspect',
    summary: 'show what a workload (.smbw) contains',
    load: async () => (await import('./commands/inspect.js')).inspectCommand,
  },
  {
    name: 'lab',
    summary: 'start/stop a throwaway local Samba server (up|down|status)',
    load: async () => (await import('./commands/lab.js')).labCommand,
  },
  {
    name: 'prepare',
    summary: "create (or --cleanup-only remove) the virtual users' initial namespace on a share",
    load: async () => (await import('./commands/prepare.js')).prepareCommand,
  },
  {
    name: 'run',
    summary: 'replay a workload against an SMB share with N virtual users',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  {
    name: 'report',
    summary: 'render results as a self-contained HTML report, or merge shard results',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  {
    name: 'model',
    summary: 'learn a user model from a workload, synthesise N users from it, compare workloads',
    load: async () => (await import('./commands/model.js')).modelCommand,
  },
  {
    name: 'users',
    summary: 'provision/deprovision load-test users in Active Directory over LDAPS',
    load: async () => (await import('./commands/users.js')).usersCommand,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}
