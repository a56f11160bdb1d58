/**
 * One coarse timer for every request timeout in the process (undici-style): connections register
 * a sweep callback and a single unref'd interval calls them. Thousands of connections and hundreds
 * of thousands of in-flight requests cost one timer, not one each.
 */
const SWEEP_INTERVAL_MS = 250;

type Sweeper = (nowMs: number) => void;

const sweepers = new Set<Sweeper>();
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  const now = performance.now();
  for (const sweep of sweepers) sweep(now);
}

export function registerSweeper(sweep: Sweeper): () => void {
  sweepers.add(sweep);
  if (!timer) {
    timer = setInterval(tick, SWEEP_INTERVAL_MS);
    timer.unref();
  }
  return () => {
    sweepers.delete(sweep);
    if (sweepers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export const COARSE_CLOCK_RESOLUTION_MS = SWEEP_INTERVAL_MS;
