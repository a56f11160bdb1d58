/**
 * The FileIds a session closed most recently. A request on one of them is not on a file opened
 * before the capture but on a closed open (a client bug answered STATUS_FILE_CLOSED, MS-SMB2
 * 3.3.5.10, or a duplicated packet), so it must not be synthesised as a pre-opened file. Bounded:
 * a capture with millions of opens keeps only the last few per session.
 */
const CAPACITY = 32;

export class RecentFileIds {
  private readonly keys: string[] = [];
  private readonly set = new Set<string>();
  private next = 0;

  add(pLo: number, pHi: number, vLo: number, vHi: number): void {
    const key = fileIdKey(pLo, pHi, vLo, vHi);
    if (this.set.has(key)) return;
    if (this.keys.length < CAPACITY) this.keys.push(key);
    else {
      this.set.delete(this.keys[this.next]!);
      this.keys[this.next] = key;
      this.next = (this.next + 1) % CAPACITY;
    }
    this.set.add(key);
  }

  has(pLo: number, pHi: number, vLo: number, vHi: number): boolean {
    return this.set.has(fileIdKey(pLo, pHi, vLo, vHi));
  }

  /** A FileId bound again (the server reused it for a new open) is no longer a closed one. */
  delete(pLo: number, pHi: number, vLo: number, vHi: number): void {
    this.set.delete(fileIdKey(pLo, pHi, vLo, vHi));
  }
}

function fileIdKey(pLo: number, pHi: number, vLo: number, vHi: number): string {
  return `${pHi}:${pLo}:${vHi}:${vLo}`;
}
