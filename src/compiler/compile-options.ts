/** What `compileCaptures` can be asked to do, and the defaults that make `{ output }` enough. */

export interface AnonymizeOptions {
  /** Key for the name hashes; random per compile when absent (names then differ every run). */
  readonly salt?: string;
}

export interface CompileOptions {
  /** Path of the `.smbw` to write. */
  readonly output: string;
  /** Keep write payloads (`payloads: "data"`); default false: sizes only. */
  readonly keepData?: boolean;
  /** Replace user names and path components with keyed hashes (keeps extensions and depth). */
  readonly anonymize?: boolean | AnonymizeOptions;
  /** Only compile this share; requests on other shares are skipped as `otherShare`. */
  readonly share?: string;
  /**
   * Supply what a capture begun mid-session assumes: a user per unknown SessionId, a tree per
   * unknown TreeId, a pre-opened file per unknown FileId (default true; false skips those requests
   * as `unknownSession` / `unknownTree` / `unknownHandle`).
   */
  readonly synthesize?: boolean;
  /** Server ports besides 445/139 (only break ties; SMB is recognised by content). */
  readonly serverPorts?: readonly number[];
  /**
   * Reorder window: an unanswered request holds later ops back for at most this much capture time
   * (default 60 s) or this many requests (default 200 000), then is emitted with STATUS_PENDING.
   */
  readonly windowSeconds?: number;
  readonly maxBufferedOps?: number;
  /** Directory for the temporary op files (default os.tmpdir()). */
  readonly tmpDir?: string;
  /**
   * `none` (default): the fast path, ops serialised once and never re-parsed (the compiler's tests
   * validate its output with validateIr). `structure` / `full`: write through IrWriter, which checks
   * every record (`full` also handles, deps and compounds) and fails at the first problem.
   */
  readonly checks?: 'none' | 'structure' | 'full';
  readonly description?: string;
  /** `generator` header field (default `smbench <version>`). */
  readonly generator?: string;
  readonly signal?: AbortSignal;
  /** Read size for captures (default 1 MiB). */
  readonly chunkSize?: number;
  /**
   * Copy every message whole, even the payload of READ responses and WRITE requests the IR never
   * looks at (extract/needed-bytes.ts). Same output, slower; tests compare the two paths.
   */
  readonly wholeMessages?: boolean;
}

export const COMPILE_DEFAULTS = {
  windowSeconds: 60,
  maxBufferedOps: 200_000,
  generator: 'smbench 0.1.0',
} as const;
