/** Every lifter, indexed by SMB2 command code (MS-SMB2 2.2.1.2); CANCEL is the correlator's own. */
import { Command } from '../../smb2/constants.js';
import { closeLifter, flushLifter } from './close-flush-lifters.js';
import { createLifter } from './create-lifter.js';
import type { Lifter } from './lifter.js';
import { ioctlLifter, lockLifter } from './lock-ioctl-lifters.js';
import { changeNotifyLifter, echoLifter } from './notify-echo-lifters.js';
import { queryDirectoryLifter } from './query-directory-lifter.js';
import { queryInfoLifter } from './query-info-lifter.js';
import { readLifter, writeLifter } from './read-write-lifters.js';
import { logoffLifter, negotiateLifter, sessionSetupLifter } from './session-lifters.js';
import { setInfoLifter } from './set-info-lifter.js';
import { oplockBreakLifter, treeConnectLifter, treeDisconnectLifter } from './tree-lifters.js';

const ALL: readonly Lifter[] = [
  negotiateLifter,
  sessionSetupLifter,
  logoffLifter,
  treeConnectLifter,
  treeDisconnectLifter,
  createLifter,
  closeLifter,
  flushLifter,
  readLifter,
  writeLifter,
  lockLifter,
  ioctlLifter,
  echoLifter,
  queryDirectoryLifter,
  changeNotifyLifter,
  queryInfoLifter,
  setInfoLifter,
  oplockBreakLifter,
];

/** LIFTERS[command] for command codes 0..0x12; undefined for CANCEL and unknown codes. */
export const LIFTERS: readonly (Lifter | undefined)[] = (() => {
  const table: (Lifter | undefined)[] = new Array<Lifter | undefined>(Command.OPLOCK_BREAK + 1).fill(
    undefined,
  );
  for (const l of ALL) table[l.command] = l;
  return table;
})();

/** Command name for the per-command counters, e.g. `CREATE`; cached so counting allocates nothing. */
export const COMMAND_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, code] of Object.entries(Command)) names[code] = name;
  return names;
})();
