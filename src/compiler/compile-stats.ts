/**
 * What a compile saw, lifted, and left out. Nothing the compiler does not turn into an op is
 * dropped silently: every message lands in exactly one counter here (docs/compiler.md, "What is
 * skipped"), and `requestsByCommand` counts requests the way tshark's `smb2.cmd` field does, one per
 * SMB2 header, compounds included, so the two can be compared on the same capture.
 */
import type { CaptureStats } from '../capture/capture-stats.js';
import type { OpKind } from '../ir/types.js';
import { OP_KINDS } from '../ir/types.js';

/** Why an op (or a whole message) did not become an IR op. */
export const SKIP_REASONS = [
  /** A request on IPC$ or a named pipe (DCE/RPC), or a print share. */
  'ipc',
  /** The command is not one the IR replays, or not an SMB2 command at all. */
  'unsupported',
  /** A request whose FileId was opened before the capture began (no CREATE seen; `synthesize: false`). */
  'unknownHandle',
  /** A request on a session whose SESSION_SETUP was not seen (`synthesize: false`, or SessionId 0). */
  'unknownSession',
  /** A request on a tree whose TREE_CONNECT was not seen (`synthesize: false`). */
  'unknownTree',
  /** The capture ended (or lost the bytes) before the response. */
  'noResponse',
  /** The request or its response did not parse. */
  'malformed',
  /** A name with `..` components, which a replay could not keep inside its directory. */
  'badPath',
  /** A CANCEL whose target was not an emitted op. */
  'cancelWithoutTarget',
  /** An op on a handle whose CREATE was itself skipped. */
  'orphanHandle',
  /** A share other than the one selected with `--share`. */
  'otherShare',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What a capture that began mid-session assumed and the compiler supplied (correlate/synthesis.ts). */
export interface SynthesizedCounts {
  /** Users named after a session whose SESSION_SETUP was not in the capture. */
  users: number;
  /** Trees for TreeIds whose TREE_CONNECT was not in the capture (mapped to the replay's share). */
  trees: number;
  /** FileIds opened before the capture: a pre-existing file and a CREATE that opens it. */
  handles: number;
}

export interface CompileStats {
  /** Capture-level counters, summed over every input file. */
  capture: CaptureStats;
  /** SMB2 messages (a compound counts once per header). */
  messages: number;
  /** Requests per SMB2 command name (NEGOTIATE, CREATE, ...), one per header like tshark. */
  requestsByCommand: Record<string, number>;
  /** Final responses matched to a request. */
  responses: number;
  /** Responses whose MessageId matched no outstanding request of the connection. */
  unmatchedResponses: number;
  /** Interim STATUS_PENDING responses (MS-SMB2 3.3.4.2). */
  interimResponses: number;
  /** Requests that had gone async and later completed. */
  asyncCompletions: number;
  /** Compound chains (MS-SMB2 3.2.4.1.4) among the requests, and the requests inside them. */
  compoundChains: number;
  compoundRequests: number;
  /** Server-initiated oplock/lease break notifications (MessageId 0xFFFFFFFFFFFFFFFF). */
  breakNotifications: number;
  /** Client break acknowledgments (OPLOCK_BREAK requests); the runner acknowledges by itself. */
  breakAcknowledgments: number;
  /**
   * Requests (and their responses) dropped because a relay captured on both sides carried the
   * same request on another connection moments before (correlate/mirror-filter.ts). Not ops, not skips.
   */
  mirroredRequests: number;
  mirroredResponses: number;
  /**
   * FSCTL_VALIDATE_NEGOTIATE_INFO IOCTLs (MS-SMB2 3.2.5.14.12): connection setup the runner's
   * client performs by itself, like NEGOTIATE and TREE_CONNECT. Not ops, not skips.
   */
  validateNegotiates: number;
  /** PDUs with a TRANSFORM_HEADER (MS-SMB2 2.2.41): encrypted, not decodable without keys. */
  encryptedPdus: number;
  encryptedBytes: number;
  /** PDUs with a COMPRESSION_TRANSFORM_HEADER (MS-SMB2 2.2.42). */
  compressedPdus: number;
  compressedBytes: number;
  /** PDUs that start with neither an SMB2 nor a transform protocol id. */
  unknownPdus: number;
  /** Messages that did not parse (also counted per op in `skipped.malformed` when an op was lost). */
  malformedMessages: number;
  /** Sessions set up, by authentication mechanism. */
  sessions: { ntlm: number; kerberos: number; anonymous: number; unknown: number; failed: number };
  /** Sessions, trees and opens the capture assumed but never showed (unless `synthesize: false`). */
  synthesized: SynthesizedCounts;
  /** Ops that went into the workload, by kind. */
  opsByKind: Record<OpKind, number>;
  ops: number;
  /** Ops or requests that did not become ops, by reason. */
  skipped: Record<SkipReason, number>;
  /** Requests on IPC$/named pipes, per command name (a subset of `skipped.ipc`). */
  ipcByCommand: Record<string, number>;
  /** Ops emitted before their final response arrived, because the reorder window was full. */
  forcedEmits: number;
  /** Request times pulled forward so `t` never decreases (a PDU completed after a later one began). */
  clampedTimes: number;
  /** Bytes read and written by successful ops. */
  bytesRead: number;
  bytesWritten: number;
  /** Capture time of the first and last SMB message, microseconds since the Unix epoch. */
  firstTimestampMicros: number;
  lastTimestampMicros: number;
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  return out;
}

export function createCompileStats(capture: CaptureStats): CompileStats {
  return {
    capture,
    messages: 0,
    requestsByCommand: {},
    responses: 0,
    unmatchedResponses: 0,
    interimResponses: 0,
    asyncCompletions: 0,
    compoundChains: 0,
    compoundRequests: 0,
    breakNotifications: 0,
    breakAcknowledgments: 0,
    mirroredRequests: 0,
    mirroredResponses: 0,
    validateNegotiates: 0,
    encryptedPdus: 0,
    encryptedBytes: 0,
    compressedPdus: 0,
    compressedBytes: 0,
    unknownPdus: 0,
    malformedMessages: 0,
    sessions: { ntlm: 0, kerberos: 0, anonymous: 0, unknown: 0, failed: 0 },
    synthesized: { users: 0, trees: 0, handles: 0 },
    opsByKind: zeroes(OP_KINDS),
    ops: 0,
    skipped: zeroes(SKIP_REASONS),
    ipcByCommand: {},
    forcedEmits: 0,
    clampedTimes: 0,
    bytesRead: 0,
    bytesWritten: 0,
    firstTimestampMicros: 0,
    lastTimestampMicros: 0,
  };
}

/** Adds one to a by-name counter (the maps that are keyed by command name). */
export function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Whether anything was synthesised for a capture begun mid-session. */
export function synthesizedAny(stats: CompileStats): boolean {
  const s = stats.synthesized;
  return s.users + s.trees + s.handles > 0;
}

/** Total of the `skipped` counters. */
export function totalSkipped(stats: CompileStats): number {
  let n = 0;
  for (const reason of SKIP_REASONS) n += stats.skipped[reason];
  return n;
}
