/**
 * Several captures are merged by timestamp (capture/capture-merge.ts), which is right when their
 * clocks agree: rotated files follow each other closely, files of several interfaces overlap.
 * A long stretch where no file has packets is suspicious: either the traffic really paused (the
 * workload idles as long at recorded pacing) or the files come from machines whose clocks differ,
 * and then the merged order, hence the op order, is wrong. Both deserve a warning naming the files.
 */
import { basename } from 'node:path';
import type { CaptureInputSpan } from '../capture/capture-merge.js';
import type { WarningLog } from './compile-warnings.js';

/** Gaps up to this are normal between rotated files (tcpdump -G/-C opens the next file at once). */
export const ADJACENT_GAP_MICROS = 60 * 1e6;
/** Beyond this the clocks look unrelated rather than the traffic paused. */
export const UNRELATED_GAP_MICROS = 24 * 3600 * 1e6;

function duration(us: number): string {
  const s = us / 1e6;
  if (s < 3600) return `${s.toFixed(1)} s`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

function iso(us: number): string {
  return new Date(us / 1000).toISOString();
}

export function captureTimeWarnings(spans: readonly CaptureInputSpan[], warnings: WarningLog): void {
  const timed = spans.filter((s) => s.packets > 0).sort((a, b) => a.firstMicros - b.firstMicros);
  if (timed.length < 2) return;
  let coveredUntil = timed[0]!.lastMicros;
  let latest = timed[0]!;
  for (const next of timed.slice(1)) {
    const gap = next.firstMicros - coveredUntil;
    if (gap > ADJACENT_GAP_MICROS) {
      const what =
        gap > UNRELATED_GAP_MICROS
          ? 'their clocks look unrelated; the merged order of their packets is probably wrong'
          : 'the workload idles as long at recorded pacing; if the files were captured at the same time, their clocks differ';
      warnings.add(
        'captureTime',
        `${basename(next.path)} starts ${duration(gap)} after ${basename(latest.path)} ends ` +
          `(${iso(coveredUntil)} .. ${iso(next.firstMicros)}): ${what}`,
      );
    }
    if (next.lastMicros > coveredUntil) {
      coveredUntil = next.lastMicros;
      latest = next;
    }
  }
}
