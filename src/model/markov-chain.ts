/** First-order Markov chain over string states: transition counts in, weighted next-state draws out. */
import { CategoricalBuilder, sampleWeighted, type Weighted } from './categorical.js';
import type { Prng } from './prng.js';

export class MarkovChainBuilder {
  private readonly rows = new Map<string, CategoricalBuilder<string>>();

  add(from: string, to: string): void {
    let row = this.rows.get(from);
    if (!row) {
      row = new CategoricalBuilder<string>();
      this.rows.set(from, row);
    }
    row.add(to);
  }

  build(): Record<string, Weighted<string>[]> {
    const out: Record<string, Weighted<string>[]> = {};
    for (const [from, row] of this.rows) out[from] = row.build();
    return out;
  }
}

/** The next state, or undefined when `from` was never left in the trace. */
export function nextState(
  chain: Readonly<Record<string, readonly Weighted<string>[]>>,
  from: string,
  rng: Prng,
): string | undefined {
  const row = Object.hasOwn(chain, from) ? chain[from] : undefined;
  return row === undefined ? undefined : sampleWeighted(row, rng);
}
