/**
 * Process exit codes, stable for scripts and CI. Like k6/autocannon, a run that completes but
 * breaks a threshold is distinguishable from one that could not run at all.
 */
export const ExitCode = {
  /** Everything worked (and every threshold held). */
  OK: 0,
  /** The command failed: connection, protocol, lab, I/O... */
  FAILURE: 1,
  /** Bad command line: unknown command or flag, missing or invalid value. */
  USAGE: 2,
  /**
   * The run completed but at least one threshold was exceeded; also `report compare` when the
   * candidate regressed past --threshold beyond noise.
   */
  THRESHOLD: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
