/**
 * A seeded random source for tests that draw random inputs (fuzzing, kill points), so a failure is
 * reproduced exactly from its seed: the project's own mulberry32 (src/model/prng.ts) as a
 * function returning numbers in [0, 1).
 */
import { Prng } from '../../src/model/prng.js';

export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}
