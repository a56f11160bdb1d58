/**
 * A test that crashes, or forgets stop(), must not leave a lab server running: live labs (file
 * server and AD DC alike) are killed synchronously on process exit, and on SIGINT/SIGTERM (which
 * skip 'exit' handlers) before the signal is re-raised with its default action.
 */

/** What a lab offers the exit hooks: a synchronous kill of its server process group. */
export interface KillableLab {
  killSync(): void;
}

const liveLabs = new Set<KillableLab>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function killAllSync(): void {
  for (const lab of liveLabs) {
    try {
      lab.killSync();
    } catch {
      // Exiting anyway; nothing better to do.
    }
  }
  liveLabs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  uninstallHooks();
  process.kill(process.pid, signal);
}

function installHooks(): void {
  process.on('exit', killAllSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstallHooks(): void {
  process.off('exit', killAllSync);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

export function trackForExitCleanup(lab: KillableLab): void {
  if (liveLabs.size === 0) installHooks();
  liveLabs.add(lab);
}

export function untrackForExitCleanup(lab: KillableLab): void {
  if (liveLabs.delete(lab) && liveLabs.size === 0) uninstallHooks();
}
