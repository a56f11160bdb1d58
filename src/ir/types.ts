/**
 * The workload IR v1: what a capture compiles to and what the runner replays (docs/ir.md).
 *
 * Everything here is readonly: readers hand out frozen records, and phases that transform a workload
 * build new records instead of patching old ones. Numbers are JSON numbers and must be safe integers;
 * the one 64-bit quantity that routinely exceeds 2^53 (FILETIME) is a decimal string.
 */
import type { IR_FORMAT, IR_VERSION } from './version.js';

/** `u<n>`: IR-local user id. Also the runner's per-user directory name under the run root. */
export type UserId = string;
/** `h<n>`: IR-local handle id standing in for a wire FileId. Never reused within a user. */
export type HandleId = string;
/**
 * Share-relative path: `/`-separated, no leading or trailing `/`, no empty, `.` or `..` components,
 * case preserved as recorded. `''` is the share root. The runner prefixes `<run-root>/<user>/`.
 */
export type IrPath = string;
/** FILETIME (MS-DTYP 2.3.3, 100 ns ticks since 1601) as an unsigned 64-bit decimal string. */
export type FileTimeString = string;

/** Every operation kind, in the order of the MS-SMB2 command codes they come from. */
export const OP_KINDS = [
  'create',
  'close',
  'flush',
  'read',
  'write',
  'lock',
  'ioctl',
  'cancel',
  'echo',
  'query_directory',
  'change_notify',
  'query_info',
  'set_info',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Typed SET_INFO variants; `other` keeps the raw class for everything the runner replays generically. */
export const SET_INFO_KINDS = [
  'rename',
  'disposition',
  'end_of_file',
  'allocation',
  'basic',
  'other',
] as const;
export type SetInfoKind = (typeof SET_INFO_KINDS)[number];

/** Whether write payloads are kept (`data`, base64) or only their sizes (`sizes`, the default). */
export const PAYLOAD_MODES = ['sizes', 'data'] as const;
export type PayloadMode = (typeof PAYLOAD_MODES)[number];

export const NODE_KINDS = ['dir', 'file'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** The `type` discriminant of each JSON line, in the order they appear in a file. */
export const RECORD_TYPES = ['header', 'user', 'ns', 'op', 'end'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

// ---------------------------------------------------------------------------------------------------
// Prologue records

export interface IrSource {
  /** Capture file name (base name only, so the IR does not leak local directory layout). */
  readonly file: string;
  readonly packets: number;
  readonly bytes: number;
}

export interface IrCounts {
  readonly users: number;
  readonly ops: number;
  readonly namespace: number;
}

export interface IrHeader {
  readonly format: typeof IR_FORMAT;
  readonly version: typeof IR_VERSION;
  /** Tool and version that wrote the file, e.g. `smbench 0.1.0`. */
  readonly generator: string;
  /** ISO 8601 timestamp of when the file was written. */
  readonly createdAt: string;
  readonly sources: readonly IrSource[];
  readonly payloads: PayloadMode;
  /** True when user names and paths were replaced by synthetic ones. */
  readonly anonymized: boolean;
  /** Totals, when the writer knows them up front; a reader checks them against the records. */
  readonly counts?: IrCounts;
  /** ISO 8601 wall-clock time of `t = 0`, if known. Informational only. */
  readonly traceStart?: string;
  readonly description?: string;
  /**
   * What a capture begun mid-session assumed and the compiler supplied (docs/compiler.md): users
   * for sessions set up before it, trees for TreeIds connected before it, pre-opened FileIds.
   */
  readonly synthesized?: IrSynthesized;
}

export interface IrSynthesized {
  readonly users: number;
  readonly trees: number;
  /** Each is a `create` op with `synthetic: true` of a file in the initial namespace. */
  readonly handles: number;
}

export interface IrUser {
  readonly id: UserId;
  /** `DOMAIN\user` as seen in the capture, or a synthetic name when anonymized. */
  readonly name: string;
  /** Dialect revision the user negotiated (MS-SMB2 2.2.4), e.g. 0x0311. */
  readonly dialect?: number;
  /** How many SMB sessions the user set up during the trace. */
  readonly sessions: number;
  /** Named after a session set up before the capture (its user is unknown). */
  readonly synthetic?: boolean;
}

/** One object that exists before the trace starts (TBBT-style initial namespace). */
export interface IrNamespaceEntry {
  readonly user: UserId;
  readonly path: IrPath;
  readonly kind: NodeKind;
  /** End of file in bytes; 0 for directories. */
  readonly size: number;
  /** FileAttributes (MS-FSCC 2.6) when known. */
  readonly attributes?: number;
  /** Named alternate data streams (MS-FSCC 2.1.5) the object has before the trace. */
  readonly streams?: readonly IrNamespaceStream[];
}

/** One named stream of an `ns` object: `path:name` exists with `size` bytes. */
export interface IrNamespaceStream {
  /** Stream name without colons or `$DATA`, e.g. `AFP_AfpInfo`. */
  readonly name: string;
  readonly size: number;
}

// ---------------------------------------------------------------------------------------------------
// Operations

/** Membership of an op in an SMB2 compound chain (MS-SMB2 3.2.4.1.4). */
export interface IrCompound {
  /** Seq of the chain's first op; identifies the chain. */
  readonly id: number;
  /** Position in the chain, 0-based. */
  readonly index: number;
  /** Number of ops in the chain. */
  readonly size: number;
  /** SMB2_FLAGS_RELATED_OPERATIONS was set: this op used the FileId of the previous one. */
  readonly related: boolean;
}

export interface IrOpBase {
  /** Global sequence number, strictly increasing through the file. */
  readonly seq: number;
  readonly user: UserId;
  /** Microseconds since the start of the trace when the request was sent; non-decreasing. */
  readonly t: number;
  /** NTSTATUS the server originally returned (MS-ERREF 2.3), as an unsigned 32-bit number. */
  readonly status: number;
  /** Symbolic name of `status`, for people reading the file. */
  readonly statusName?: string;
  /** Seqs of earlier ops of the same user whose responses this op waits for (docs/ir.md). */
  readonly deps: readonly number[];
  readonly compound?: IrCompound;
  /** Original request-to-response time in microseconds. */
  readonly latencyUs?: number;
  /**
   * The op was sent on a FileId no open had (its CREATE failed, or never happened) and the server
   * answered STATUS_FILE_CLOSED. `handle` is then a fresh id no create opens; the runner sends a
   * FileId the target never granted, so the target sees what the original server saw.
   */
  readonly neverOpened?: boolean;
}

/** MS-SMB2 2.2.13. `handle` is present iff the create opened something (or failed inside a chain). */
export interface IrCreateOp extends IrOpBase {
  readonly op: 'create';
  readonly path: IrPath;
  readonly handle?: HandleId;
  readonly desiredAccess: number;
  readonly fileAttributes: number;
  readonly shareAccess: number;
  readonly createDisposition: number;
  readonly createOptions: number;
  /** RequestedOplockLevel; SMB2_OPLOCK_LEVEL_LEASE (0xFF) means a lease was requested. */
  readonly oplockLevel: number;
  readonly impersonationLevel?: number;
  /** Requested lease state (MS-SMB2 2.2.13.2.8) when a lease context was sent. */
  readonly leaseState?: number;
  /** Create context names sent, e.g. `MxAc`, `QFid`, `DH2Q`, `RqLs`. */
  readonly contexts?: readonly string[];
  /** CreateAction from the response (MS-SMB2 2.2.14). */
  readonly createAction?: number;
  /** Whether the opened object is a directory, from the response FileAttributes. */
  readonly isDirectory?: boolean;
  /** Not in the capture: opens a FileId the trace used but opened before it began. */
  readonly synthetic?: boolean;
}

/** MS-SMB2 2.2.15. Flags is SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB or 0. */
export interface IrCloseOp extends IrOpBase {
  readonly op: 'close';
  readonly handle: HandleId;
  readonly flags: number;
  /** Not in the capture: the server closed the open when its session's last connection ended. */
  readonly synthetic?: boolean;
}

/** MS-SMB2 2.2.17. */
export interface IrFlushOp extends IrOpBase {
  readonly op: 'flush';
  readonly handle: HandleId;
}

/** MS-SMB2 2.2.19. */
export interface IrReadOp extends IrOpBase {
  readonly op: 'read';
  readonly handle: HandleId;
  readonly offset: number;
  readonly length: number;
  readonly minimumCount?: number;
  /** DataLength of the response: bytes actually returned. */
  readonly dataLength?: number;
}

/** MS-SMB2 2.2.21. `data` (base64) only when the header says `payloads: 'data'`. */
export interface IrWriteOp extends IrOpBase {
  readonly op: 'write';
  readonly handle: HandleId;
  readonly offset: number;
  readonly length: number;
  readonly flags?: number;
  readonly data?: string;
  /** Count of the response: bytes the server wrote. */
  readonly written?: number;
}

/** One range of MS-SMB2 2.2.26.1 (SMB2_LOCK_ELEMENT). */
export interface IrLockRange {
  readonly offset: number;
  readonly length: number;
  /** SMB2_LOCKFLAG_SHARED_LOCK 0x1, _EXCLUSIVE_LOCK 0x2, _UNLOCK 0x4, _FAIL_IMMEDIATELY 0x10. */
  readonly flags: number;
}

/** MS-SMB2 2.2.26. */
export interface IrLockOp extends IrOpBase {
  readonly op: 'lock';
  readonly handle: HandleId;
  readonly locks: readonly IrLockRange[];
}

/** MS-SMB2 2.2.31. No `handle` when the FileId was all ones (FSCTLs not tied to an open). */
export interface IrIoctlOp extends IrOpBase {
  readonly op: 'ioctl';
  readonly handle?: HandleId;
  readonly ctlCode: number;
  /** SMB2_0_IOCTL_IS_FSCTL (0x1) or 0. */
  readonly flags: number;
  readonly inputLength: number;
  readonly maxOutputLength: number;
  readonly outputLength?: number;
}

/** MS-SMB2 2.2.30: cancels an earlier, still pending op of the same user (usually change_notify). */
export interface IrCancelOp extends IrOpBase {
  readonly op: 'cancel';
  readonly target: number;
}

/** MS-SMB2 2.2.28. */
export interface IrEchoOp extends IrOpBase {
  readonly op: 'echo';
}

/** MS-SMB2 2.2.33. */
export interface IrQueryDirectoryOp extends IrOpBase {
  readonly op: 'query_directory';
  readonly handle: HandleId;
  /** FileInformationClass (MS-FSCC 2.4), e.g. 0x25 FileIdBothDirectoryInformation. */
  readonly infoClass: number;
  /** SMB2_RESTART_SCANS 0x1, SMB2_RETURN_SINGLE_ENTRY 0x2, SMB2_INDEX_SPECIFIED 0x4, SMB2_REOPEN 0x10. */
  readonly flags: number;
  readonly fileIndex?: number;
  readonly pattern: string;
  readonly outputBufferLength: number;
  /** Entries the server returned, when the compiler counted them. */
  readonly entries?: number;
  /** Not in the capture: the start of a listing a pre-opened directory continued (docs/compiler.md). */
  readonly synthetic?: boolean;
}

/** MS-SMB2 2.2.35. */
export interface IrChangeNotifyOp extends IrOpBase {
  readonly op: 'change_notify';
  readonly handle: HandleId;
  /** SMB2_WATCH_TREE 0x1 or 0. */
  readonly flags: number;
  readonly completionFilter: number;
  readonly outputBufferLength: number;
}

/** MS-SMB2 2.2.37. */
export interface IrQueryInfoOp extends IrOpBase {
  readonly op: 'query_info';
  readonly handle: HandleId;
  /** SMB2_0_INFO_FILE 1, _FILESYSTEM 2, _SECURITY 3, _QUOTA 4. */
  readonly infoType: number;
  readonly infoClass: number;
  readonly outputBufferLength: number;
  readonly additionalInformation?: number;
  readonly flags?: number;
  /** OutputBufferLength of the response. */
  readonly outputLength?: number;
}

/** FileRenameInformation (MS-FSCC 2.4.42); `newPath` is share-relative like every IR path. */
export interface IrSetInfoRename {
  readonly kind: 'rename';
  readonly newPath: IrPath;
  readonly replaceIfExists: boolean;
}
/** FileDispositionInformation (MS-FSCC 2.4.11). */
export interface IrSetInfoDisposition {
  readonly kind: 'disposition';
  readonly deletePending: boolean;
}
/** FileEndOfFileInformation (MS-FSCC 2.4.14). */
export interface IrSetInfoEndOfFile {
  readonly kind: 'end_of_file';
  readonly size: number;
}
/** FileAllocationInformation (MS-FSCC 2.4.4). */
export interface IrSetInfoAllocation {
  readonly kind: 'allocation';
  readonly size: number;
}
/** FileBasicInformation (MS-FSCC 2.4.7); an absent time means 0, "leave unchanged". */
export interface IrSetInfoBasic {
  readonly kind: 'basic';
  readonly attributes: number;
  readonly times: {
    readonly creation?: FileTimeString;
    readonly lastAccess?: FileTimeString;
    readonly lastWrite?: FileTimeString;
    readonly change?: FileTimeString;
  };
}
/** Any other class: replayed as a buffer of `length` bytes (security descriptors, EAs, quotas...). */
export interface IrSetInfoOther {
  readonly kind: 'other';
  readonly infoType: number;
  readonly infoClass: number;
  readonly length: number;
  readonly additionalInformation?: number;
}
export type IrSetInfo =
  | IrSetInfoRename
  | IrSetInfoDisposition
  | IrSetInfoEndOfFile
  | IrSetInfoAllocation
  | IrSetInfoBasic
  | IrSetInfoOther;

/** MS-SMB2 2.2.39. */
export interface IrSetInfoOp extends IrOpBase {
  readonly op: 'set_info';
  readonly handle: HandleId;
  readonly info: IrSetInfo;
}

export type IrOp =
  | IrCreateOp
  | IrCloseOp
  | IrFlushOp
  | IrReadOp
  | IrWriteOp
  | IrLockOp
  | IrIoctlOp
  | IrCancelOp
  | IrEchoOp
  | IrQueryDirectoryOp
  | IrChangeNotifyOp
  | IrQueryInfoOp
  | IrSetInfoOp;

/** The op record of one kind, e.g. `IrOpOf<'read'>`. */
export type IrOpOf<K extends OpKind> = Extract<IrOp, { readonly op: K }>;

// ---------------------------------------------------------------------------------------------------
// Trailer and whole documents

/** Last line: op count and SHA-256 (hex) of every preceding line's UTF-8 bytes including its `\n`. */
export interface IrEnd {
  readonly ops: number;
  readonly sha256: string;
}

/** Everything before the ops; small enough to hold in memory (the runner `prepare`s from it). */
export interface IrPrologue {
  readonly header: IrHeader;
  readonly users: readonly IrUser[];
  readonly namespace: readonly IrNamespaceEntry[];
}

/** A whole workload in memory, for small files and tests. */
export interface IrDocument extends IrPrologue {
  readonly ops: readonly IrOp[];
  readonly end: IrEnd;
  /** First 16 hex digits of `end.sha256`: the workload's short, stable identity. */
  readonly workloadId: string;
}
