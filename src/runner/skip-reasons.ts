/**
 * Why an op was not sent. Every skip is counted under one of these reasons (RunMetrics.recordSkip)
 * and reported, so a replay that silently did less than the workload is impossible.
 */
export const SkipReason = {
  /** The op names a handle whose create failed in this replay (or was itself skipped). */
  HANDLE_UNAVAILABLE: 'handle unavailable',
  /** The handle's connection or session was lost and it was not durable (or the reopen failed). */
  HANDLE_LOST: 'handle lost on reconnect',
  /** An IOCTL/FSCTL that is unsafe or meaningless to replay (DFS referral, pipe transceive...). */
  IOCTL_NOT_REPLAYED: 'ioctl not replayed',
  /** FSCTL_SRV_COPYCHUNK with no resume key obtained earlier by this user. */
  NO_RESUME_KEY: 'copychunk without resume key',
  /** SMB2_0_INFO_QUOTA needs a SID list the IR does not keep. */
  QUOTA_NOT_REPLAYED: 'quota info not replayed',
  /** The user's session could not be (re-)established: its remaining ops are skipped. */
  SESSION_UNAVAILABLE: 'session unavailable',
  /** A CANCEL whose target had already completed in this replay: nothing left to cancel. */
  CANCEL_TARGET_DONE: 'cancel target already completed',
  /** A path in the op is not a valid IR path (cannot be confined to the user's directory). */
  BAD_PATH: 'invalid path',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Thrown by op builders to skip an op with a reason. */
export class OpSkipped extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}
