/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniformly random delay up to the
 * exponential cap), so thousands of sessions that lost the same server do not all come back in
 * the same millisecond and knock it over again.
 */
export interface BackoffPolicy {
  /** Cap for the first retry; doubles each attempt. */
  readonly baseMs: number;
  /** Never wait longer than this. */
  readonly maxMs: number;
  /** Attempts before giving up (the first connect counts as attempt 0). */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 10_000, maxAttempts: 8 };

/**
 * The delay before retry number `attempt` (1-based): uniform in [cap/2, cap] with
 * cap = min(maxMs, baseMs * 2^(attempt-1)). Half the cap is kept as a floor so a retry never
 * comes back instantly after a server restart.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  if (attempt <= 0) return 0;
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}
