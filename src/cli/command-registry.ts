/**
 * Every `smbench` subcommand, in the order `smbench --help` lists them. Adding a command is one
 * file under commands/ exporting a CliCommand, plus one line here.
 */
import type { CliCommand } from './cli-command.js';
import { compileCommand } from './commands/compile.js';
import { demoCommand } from './commands/demo.js';
import { inspectCommand } from './commands/inspect.js';
import { labCommand } from './commands/lab.js';
import { modelCommand } from './commands/model.js';
import { prepareCommand } from './commands/prepare.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { usersCommand } from './commands/users.js';

export const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  compileCommand,
  inspectCommand,
  labCommand,
  prepareCommand,
  runCommand,
  reportCommand,
  modelCommand,
  usersCommand,
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
