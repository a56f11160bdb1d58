/**
 * Warnings a compile wants a person to see: lossy captures, contradictions in the inferred
 * namespace, unknown sessions. A trace with a million broken packets must not produce a million
 * lines, so each kind keeps a count and only its first few examples.
 */

export const WARNING_KINDS = [
  'capture',
  'captureTime',
  'encrypted',
  'compressed',
  'malformed',
  'unknownSession',
  'unknownHandle',
  'synthesized',
  'namespace',
  'forcedEmit',
  'multipleShares',
  'kerberos',
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

export interface CompileWarning {
  readonly kind: WarningKind;
  /** How many times this kind happened (examples are capped, the count is not). */
  readonly count: number;
  readonly examples: readonly string[];
}

const EXAMPLES_PER_KIND = 5;

export class WarningLog {
  private readonly counts = new Map<WarningKind, number>();
  private readonly examples = new Map<WarningKind, string[]>();

  /** Records one occurrence; `message` is built only while examples are still being kept. */
  add(kind: WarningKind, message: string | (() => string)): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n > EXAMPLES_PER_KIND) return;
    let list = this.examples.get(kind);
    if (!list) {
      list = [];
      this.examples.set(kind, list);
    }
    list.push(typeof message === 'string' ? message : message());
  }

  /** Adds `n` occurrences at once with one example (for counters known only at the end). */
  addMany(kind: WarningKind, n: number, message: string): void {
    if (n <= 0) return;
    this.add(kind, message);
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n - 1);
  }

  get size(): number {
    return this.counts.size;
  }

  list(): CompileWarning[] {
    return WARNING_KINDS.filter((k) => this.counts.has(k)).map((kind) => ({
      kind,
      count: this.counts.get(kind) ?? 0,
      examples: this.examples.get(kind) ?? [],
    }));
  }
}
