/**
 * Requests wait here, in the order they were sent, until they are settled (answered or skipped), so
 * ops leave in request order with their final status (docs/compiler.md, "Correlation"). A request
 * that stays unanswered would hold everything behind it, so the head is forced out once the window
 * holds more than `maxOps` requests or spans more than `windowMicros` of capture time: memory stays
 * bounded whatever the trace (an unanswered CHANGE_NOTIFY can wait for hours).
 */
import type { CompileStats } from '../compile-stats.js';
import type { WarningLog } from '../compile-warnings.js';
import type { PendingOp } from '../correlate/pending-op.js';
import type { OpEmitter } from './op-emitter.js';

const COMPACT_AT = 4096;

function settled(op: PendingOp): boolean {
  if (!(op.complete || op.forced || op.skip !== undefined)) return false;
  const chain = op.chain;
  if (chain === undefined) return true;
  for (const m of chain)
    if (!(m.complete || m.forced || m.skip !== undefined || m.kind === undefined)) return false;
  return true;
}

export class ReorderQueue {
  private items: (PendingOp | undefined)[] = [];
  private head = 0;

  constructor(
    private readonly emitter: OpEmitter,
    private readonly stats: CompileStats,
    private readonly warnings: WarningLog,
    private readonly maxOps: number,
    private readonly windowMicros: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(op: PendingOp): void {
    this.items.push(op);
  }

  /** Emits every settled op at the head; forces the head out when the window is exceeded. */
  drain(nowMicros: number): void {
    const items = this.items;
    while (this.head < items.length) {
      const op = items[this.head]!;
      if (!settled(op)) {
        const full = items.length - this.head > this.maxOps || nowMicros - op.tReq > this.windowMicros;
        if (!full) break;
        this.force(op);
      }
      items[this.head++] = undefined;
      this.emitter.emit(op);
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  /** End of the capture: everything left is emitted; unanswered ops are skipped as `noResponse`. */
  finish(): void {
    const items = this.items;
    while (this.head < items.length) {
      const op = items[this.head]!;
      items[this.head++] = undefined;
      this.emitter.emit(op);
    }
    this.items = [];
    this.head = 0;
  }

  private force(op: PendingOp): void {
    for (const m of op.chain ?? [op]) {
      if (m.complete || m.skip !== undefined || m.kind === undefined) continue;
      m.forced = true;
      this.stats.forcedEmits++;
      this.warnings.add(
        'forcedEmit',
        () =>
          `frame ${m.frame}: ${m.kind} still unanswered when the reorder window filled; emitted with STATUS_PENDING`,
      );
    }
  }
}
