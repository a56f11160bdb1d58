/**
 * Freezes a parsed JSON value and everything inside it. IR records are shared between the scheduler,
 * workers and reports; freezing makes an accidental mutation throw (in strict mode) instead of
 * silently changing what another user replays. `for...in` avoids allocating a key array per object,
 * which matters at millions of records.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const inner = obj[key];
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
  return Object.freeze(value);
}
