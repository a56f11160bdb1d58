/**
 * Deterministic RunResults for report tests: `seconds` seconds of mixed ops on a fake clock, with
 * a slow phase in the middle, some errors and some fidelity mismatches.
 */
import { RunMetrics } from '../../src/observe/run-metrics.js';
import type { RunResults } from '../../src/observe/run-results.js';

export const STATUS_ACCESS_DENIED = 0xc0000022;
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
const KINDS = ['read', 'write', 'create', 'close'] as const;

export function fixtureResults(
  options: { seconds?: number; opsPerSecond?: number; startMs?: number; meta?: Record<string, unknown> } = {},
): RunResults {
  const seconds = options.seconds ?? 30;
  const perSecond = options.opsPerSecond ?? 40;
  const start = options.startMs ?? Date.UTC(2025, 0, 1, 12, 0, 0);
  let now = start;
  const metrics = new RunMetrics(start, () => now);
  let n = 0;
  for (let s = 0; s < seconds; s++) {
    // A quiet second in the middle: the time series must show a gap, not a line through it.
    const count = s === Math.floor(seconds / 2) ? 0 : perSecond;
    for (let i = 0; i < count; i++) {
      now = start + s * 1000 + Math.floor((i * 1000) / count);
      const kind = KINDS[n % KINDS.length] as string;
      const slow = s >= seconds / 3 && s < seconds / 2;
      metrics.recordOp({
        kind,
        serviceUs: (slow ? 20_000 : 1_000) + (n % 7) * 100,
        fromIntendedUs: (slow ? 40_000 : 1_200) + (n % 7) * 100,
        bytes: kind === 'read' || kind === 'write' ? 4096 : 0,
        status: n % 50 === 0 ? STATUS_ACCESS_DENIED : 0,
        expectedStatus: n % 40 === 0 ? STATUS_OBJECT_NAME_NOT_FOUND : 0,
      });
      metrics.recordLag(30 + (n % 5));
      n++;
    }
  }
  metrics.recordSkip('ioctl', 'ioctl not replayed');
  metrics.setGauge('activeUsers', 4);
  now = start + seconds * 1000;
  return metrics.toResults({
    workload: 'office.smbw',
    workloadId: 'wl-1',
    target: 'smb://127.0.0.1:4450/bench',
    users: 4,
    ...options.meta,
  });
}
