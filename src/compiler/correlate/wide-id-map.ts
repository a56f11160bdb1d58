/**
 * A Map keyed by a 64-bit wire id given as two 32-bit halves (SessionId, FileId.Volatile, AsyncId).
 * The halves fold into one number (`wideKey`), which is exact for every id a real server hands out
 * (high half below 2^21) and merely rounded above that; each entry keeps its halves, so a rounded
 * collision is resolved by comparing them instead of returning the wrong entry.
 */
import { wideKey } from '../extract/message-header.js';

interface Entry<V> {
  readonly lo: number;
  readonly hi: number;
  value: V;
  next: Entry<V> | undefined;
}

export class WideIdMap<V> {
  private readonly map = new Map<number, Entry<V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(lo: number, hi: number): V | undefined {
    for (let e = this.map.get(wideKey(lo, hi)); e !== undefined; e = e.next) {
      if (e.lo === lo && e.hi === hi) return e.value;
    }
    return undefined;
  }

  set(lo: number, hi: number, value: V): void {
    const key = wideKey(lo, hi);
    const head = this.map.get(key);
    for (let e = head; e !== undefined; e = e.next) {
      if (e.lo === lo && e.hi === hi) {
        e.value = value;
        return;
      }
    }
    this.map.set(key, { lo, hi, value, next: head });
    this.count++;
  }

  delete(lo: number, hi: number): boolean {
    const key = wideKey(lo, hi);
    let prev: Entry<V> | undefined;
    for (let e = this.map.get(key); e !== undefined; prev = e, e = e.next) {
      if (e.lo !== lo || e.hi !== hi) continue;
      if (prev) prev.next = e.next;
      else if (e.next) this.map.set(key, e.next);
      else this.map.delete(key);
      this.count--;
      return true;
    }
    return false;
  }

  *values(): IterableIterator<V> {
    for (const head of this.map.values())
      for (let e: Entry<V> | undefined = head; e; e = e.next) yield e.value;
  }

  clear(): void {
    this.map.clear();
    this.count = 0;
  }
}

/** `0x0000a8b1c0000001`-style hex of a 64-bit id given as halves, for names and messages. */
export function wideHex(lo: number, hi: number): string {
  return `0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}
