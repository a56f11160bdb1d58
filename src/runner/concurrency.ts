/**
 * Bounded parallelism without a dependency: `forEachLimited` runs an async function over items
 * with at most `limit` in flight (prepare, cleanup, logins), and `Semaphore` bounds ad-hoc work.
 */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`semaphore limit must be >= 1, got ${limit}`);
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * Calls `fn` for every item with at most `limit` calls in flight; rejects with the first error
 * after the calls already started have settled (no orphaned work keeps running).
 */
export async function forEachLimited<T>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure) return;
      const step = iterator.next();
      if (step.done) return;
      const i = index++;
      try {
        await fn(step.value, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.max(1, limit); w++) workers.push(worker());
  await Promise.all(workers);
  if (failure) throw failure.error;
}
