/**
 * A binary min-heap of values keyed by a number (a time in µs), with FIFO order among equal keys.
 *
 * Why parallel arrays instead of `{ key, seq, value }` nodes: the scheduler pushes one entry per
 * simulated op for thousands of users, so a node object per push would be garbage on the hot path.
 * Three growable arrays cost nothing per push once they have grown to the working-set size.
 *
 * Why a sequence number: two ops of the same user (or of users started together) often share an
 * intended time; running them in the order they were scheduled keeps replay deterministic.
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: (T | undefined)[] = [];
  private nextSeq = 0;
  private length = 0;

  get size(): number {
    return this.length;
  }

  /** The smallest key, or undefined when empty. */
  peekKey(): number | undefined {
    return this.length > 0 ? this.keys[0] : undefined;
  }

  /** The value with the smallest key, or undefined when empty. */
  peek(): T | undefined {
    return this.length > 0 ? this.values[0] : undefined;
  }

  push(key: number, value: T): void {
    const i = this.length++;
    this.keys[i] = key;
    this.seqs[i] = this.nextSeq++;
    this.values[i] = value;
    this.siftUp(i);
  }

  /** Removes and returns the value with the smallest key (oldest first among equals). */
  pop(): T | undefined {
    if (this.length === 0) return undefined;
    const top = this.values[0];
    const last = --this.length;
    if (last > 0) {
      this.move(last, 0);
      this.siftDown(0);
    }
    // Drop the reference so a finished task (and what it closes over) can be collected.
    this.values[last] = undefined;
    if (this.length === 0) this.nextSeq = 0;
    return top;
  }

  clear(): void {
    this.keys.length = 0;
    this.seqs.length = 0;
    this.values.length = 0;
    this.length = 0;
    this.nextSeq = 0;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka < kb || (ka === kb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.values[to] = this.values[from];
  }

  private siftUp(start: number): void {
    // Hole technique: hold the new entry aside and shift parents down, one write per level.
    const key = this.keys[start] as number;
    const seq = this.seqs[start] as number;
    const value = this.values[start];
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = this.keys[parent] as number;
      if (pk < key || (pk === key && (this.seqs[parent] as number) < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.keys[i] = key;
    this.seqs[i] = seq;
    this.values[i] = value;
  }

  private siftDown(start: number): void {
    const n = this.length;
    const key = this.keys[start] as number;
    const seq = this.seqs[start] as number;
    const value = this.values[start];
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(right, left) ? right : left;
      const ck = this.keys[child] as number;
      if (key < ck || (key === ck && seq < (this.seqs[child] as number))) break;
      this.move(child, i);
      i = child;
    }
    this.keys[i] = key;
    this.seqs[i] = seq;
    this.values[i] = value;
  }
}
