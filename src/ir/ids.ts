/**
 * IR-local identifiers. Users and handles are `u<n>` / `h<n>` so they are safe as directory names,
 * anonymous by construction, and cheap to compare. Handle numbers only grow within a user (the
 * writer assigns them in create order), which lets a validator tell "closed" from "never opened"
 * without remembering every handle of a multi-million-op trace.
 */
import type { HandleId, UserId } from './types.js';

const USER_ID = /^u(0|[1-9][0-9]{0,15})$/;
const HANDLE_ID = /^h(0|[1-9][0-9]{0,15})$/;

export function userId(n: number): UserId {
  return `u${n}`;
}

export function handleId(n: number): HandleId {
  return `h${n}`;
}

export function isUserId(s: string): boolean {
  return USER_ID.test(s);
}

export function isHandleId(s: string): boolean {
  return HANDLE_ID.test(s);
}

/** The number inside `h<n>`; callers check `isHandleId` first. */
export function handleNumber(handle: HandleId): number {
  return Number(handle.slice(1));
}

/** A workload's short identity: the first 16 hex digits of its content hash. */
export function workloadIdFromSha256(sha256Hex: string): string {
  return sha256Hex.slice(0, 16);
}
