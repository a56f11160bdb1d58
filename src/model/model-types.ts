/**
 * The user model JSON (`format: smbench-model, version: 1`, docs/model.md): what `model learn`
 * writes and `model synth` reads. Everything is an empirical distribution (quantile tables or
 * weighted lists), so a model is small, diffable, and holds no paths or names from the trace.
 */
import type { IrCreateOp, IrLockRange, IrSource } from '../ir/index.js';
import type { QuantileTable } from './quantile-table.js';
import type { Weighted } from './categorical.js';
import type { ChainState } from './path-role.js';

export const MODEL_FORMAT = 'smbench-model';
export const MODEL_VERSION = 1;

/** The CREATE request fields a synthesised open copies (MS-SMB2 2.2.13); the path is chosen by role. */
export type CreateTemplate = Pick<
  IrCreateOp,
  | 'desiredAccess'
  | 'fileAttributes'
  | 'shareAccess'
  | 'createDisposition'
  | 'createOptions'
  | 'oplockLevel'
  | 'impersonationLevel'
  | 'leaseState'
  | 'contexts'
>;

/** QUERY_INFO request (MS-SMB2 2.2.37) with the status the server gave it. */
export interface QueryInfoTemplate {
  readonly infoType: number;
  readonly infoClass: number;
  readonly outputBufferLength: number;
  readonly additionalInformation?: number;
  readonly status: number;
}

/** QUERY_DIRECTORY request (MS-SMB2 2.2.33); a pattern naming one file is generalised to `*`. */
export interface QueryDirectoryTemplate {
  readonly infoClass: number;
  readonly flags: number;
  readonly pattern: string;
  readonly outputBufferLength: number;
}

/** A locking range (MS-SMB2 2.2.26.1); unlocks are generated to match the lock held. */
export type LockTemplate = IrLockRange;

export interface UserModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly generator: string;
  /** Copied from the source workload's header, so synthesis from one model is byte-reproducible. */
  readonly createdAt: string;
  readonly source: {
    readonly workloadId: string;
    readonly sources: readonly IrSource[];
    readonly users: number;
    readonly ops: number;
    /** Ops the model has no state for (echo, cancel, ioctl, change_notify, set_info other...). */
    readonly skipped: Readonly<Record<string, number>>;
  };
  /** Markov chain over `role:action` states; `^` starts a user, `$` ends one. */
  readonly chain: Readonly<Record<ChainState, readonly Weighted<ChainState>[]>>;
  readonly templates: {
    /** Per path role. */
    readonly create: Readonly<Record<string, readonly Weighted<CreateTemplate>[]>>;
    readonly close: readonly Weighted<number>[];
    readonly queryInfo: readonly Weighted<QueryInfoTemplate>[];
    readonly queryDirectory: readonly Weighted<QueryDirectoryTemplate>[];
    readonly lock: readonly Weighted<LockTemplate>[];
  };
  /** Microseconds between consecutive requests of one user. */
  readonly think: {
    /** Before an op on an open handle. */
    readonly withinSession: QuantileTable;
    /** Before a create: the pause between file sessions. */
    readonly betweenSessions: QuantileTable;
    /** First request of each user, from t = 0. */
    readonly userStart: QuantileTable;
  };
  /** Bytes. */
  readonly sizes: {
    readonly read: QuantileTable;
    readonly write: QuantileTable;
    readonly endOfFile: QuantileTable;
  };
  /** Shape of each user's initial namespace. */
  readonly namespace: {
    readonly filesPerUser: QuantileTable;
    readonly fileSize: QuantileTable;
    /** Directories above a file (0 = in the user's root). */
    readonly fileDepth: QuantileTable;
    /** Files in each directory that holds files (fan-out). */
    readonly filesPerDir: QuantileTable;
    /** Share of directory opens that opened the root. */
    readonly rootDirShare: number;
    /** File name extensions (with the dot, `''` for none). */
    readonly extensions: readonly Weighted<string>[];
  };
  /** Per-user figures, for comparison and --duration defaults. */
  readonly users: {
    readonly dialects: readonly Weighted<number>[];
    readonly opsPerUser: QuantileTable;
    readonly durationUs: QuantileTable;
    readonly opsPerSession: QuantileTable;
  };
}
