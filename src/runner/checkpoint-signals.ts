/**
 * Ctrl-C and `kill` (SIGINT, SIGTERM; Kubernetes sends SIGTERM before SIGKILL) during a run:
 * the first signal stops the run (no new op starts, pending async ops are cancelled, in-flight ops
 * get replay.ts STOP_GRACE_MS before their connections are closed, handles and sessions close, the
 * results and checkpoint are written); a second one exits at once, leaving the last periodic
 * checkpoint, which is consistent at any moment (checkpoint-progress.ts).
 */

/** Exit status of a process ended by a second signal: 128 + the signal number, as shells report. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT;

export interface SignalStop {
  /** Aborted by the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Which signal stopped the run, if any. */
  readonly received: HandledSignal | undefined;
  /** Removes the handlers (the run is over). */
  dispose(): void;
}

export interface SignalStopOptions {
  /** Where the "stopping" notice goes. */
  readonly write?: (line: string) => void;
  /** How a second signal ends the process; default process.exit. */
  readonly exit?: (code: number) => void;
  /** Names the checkpoint in the notice, when there is one. */
  readonly checkpoint?: string;
}

export function stopOnSignals(opts: SignalStopOptions = {}): SignalStop {
  const controller = new AbortController();
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let received: HandledSignal | undefined;
  const handler = (name: HandledSignal): void => {
    if (received !== undefined) {
      write(
        `\n${name} again: exiting now${opts.checkpoint ? ` (the last periodic checkpoint in ${opts.checkpoint} stands)` : ''}\n`,
      );
      exit(SIGNAL_EXIT[name]);
      return;
    }
    received = name;
    write(
      `\n${name}: stopping: no new ops, cancelling pending ones, in-flight ones get a few seconds${opts.checkpoint ? `, then writing ${opts.checkpoint}` : ''} (again to exit now)\n`,
    );
    controller.abort();
  };
  const onInt = (): void => handler('SIGINT');
  const onTerm = (): void => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
