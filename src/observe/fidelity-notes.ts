/**
 * Known reasons a replayed status differs from the recorded one (docs/runner.md, "Fidelity"). An
 * op carries at most one note. An *equivalence* is a difference the protocol allows either way: it
 * counts towards the match ratio but is tallied on its own, never hidden among matches. An
 * *explained* difference is still a mismatch, tallied by cause so one cause reads as one line
 * instead of a wall of mismatches.
 */
export const FidelityNote = {
  /**
   * A related compound op after a CREATE that failed: the recorded server answered
   * STATUS_FILE_CLOSED, the target the CREATE's own error, as MS-SMB2 3.3.5.2.7.2 says a server
   * SHOULD ("the server SHOULD fail the request with the same error").
   */
  relatedAfterFailedCreate: 'related op after a failed CREATE got the CREATE status (MS-SMB2 3.3.5.2.7.2)',
  /** The target refuses `file:stream` names (no alternate data streams support, stream-refusal.ts). */
  streamsRefused: 'target share does not support alternate data streams',
} as const;
export type FidelityNote = (typeof FidelityNote)[keyof typeof FidelityNote];

const EQUIVALENCES: ReadonlySet<string> = new Set<string>([FidelityNote.relatedAfterFailedCreate]);

export function isEquivalence(note: string): boolean {
  return EQUIVALENCES.has(note);
}

/** What fidelity results carry about notes; fields are present only when non-zero. */
export interface FidelityNoteCounts {
  /** Ops whose status differed in a spec-sanctioned way (counted towards the match ratio). */
  readonly equivalent?: number;
  /** Equivalence reason -> count. */
  readonly equivalences?: Record<string, number>;
  /** Mismatches with a known cause: cause -> count (included in `mismatched`). */
  readonly explained?: Record<string, number>;
}

/** Sums the note counts of several fidelity records (kinds of one run, or parts of a merge). */
export function sumNoteCounts(parts: readonly FidelityNoteCounts[]): FidelityNoteCounts {
  let equivalent = 0;
  const equivalences: Record<string, number> = {};
  const explained: Record<string, number> = {};
  for (const p of parts) {
    equivalent += p.equivalent ?? 0;
    for (const [k, n] of Object.entries(p.equivalences ?? {})) equivalences[k] = (equivalences[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.explained ?? {})) explained[k] = (explained[k] ?? 0) + n;
  }
  return noteCountFields(equivalent, equivalences, explained);
}

export function noteCountFields(
  equivalent: number,
  equivalences: Record<string, number>,
  explained: Record<string, number>,
): FidelityNoteCounts {
  return {
    ...(equivalent > 0 ? { equivalent, equivalences } : {}),
    ...(Object.keys(explained).length > 0 ? { explained } : {}),
  };
}
