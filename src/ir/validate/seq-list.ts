/**
 * The seqs of one user's ops, in order. Seqs only grow, so membership is a binary search; a growable
 * Float64Array keeps a multi-million-op trace at 8 bytes per op instead of a Map entry per op.
 */
export class SeqList {
  private items = new Float64Array(64);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Appends a seq larger than every seq already held (the caller checked file order). */
  push(seq: number): void {
    if (this.count === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.count++] = seq;
  }

  has(seq: number): boolean {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.items[mid]!;
      if (v === seq) return true;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
