/**
 * Every `smbench` subcommand, in the order `smbench --help` lists them. Adding a command is one
 * file under commands/ exporting a CliCommand, plus one line here.
 */
import type { CliCommand } from './cli-command.js';
import { labCommand } from './commands/lab.js';

export const COMMANDS: readonly CliCommand[] = [labCommand];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
