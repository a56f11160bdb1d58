/**
 * An open as the compiler tracks it: created by a CREATE request, bound to the FileId of its
 * response, and named `h<n>` only when its CREATE is emitted, so handle numbers grow in op order
 * per user (docs/ir.md, "Handles") even when responses arrive out of order.
 */
import type { IrPath } from '../../ir/types.js';
import type { PendingOp } from './pending-op.js';

export class HandleRef {
  /** IR handle id, assigned when the CREATE is emitted; undefined if it never was. */
  irHandle: string | undefined = undefined;
  /** Whether the opened object is a directory (from the CREATE response). */
  isDirectory: boolean | undefined = undefined;
  /** FileId halves from the CREATE response (MS-SMB2 2.2.14.1). */
  persistentLo = 0;
  persistentHi = 0;
  volatileLo = 0;
  volatileHi = 0;
  /** Bound to a FileId by a successful CREATE response. */
  bound = false;
  /** The CREATE failed (the handle exists only for the rest of its compound chain). */
  failed = false;
  /** Latest op on this handle whose response has arrived: the handle-chain dependency. */
  lastCompleted: PendingOp | undefined = undefined;
  /** Delete-on-close requested (FILE_DELETE_ON_CLOSE or FileDispositionInformation). */
  deletePending = false;
  /** The file was written or truncated through this handle. */
  modified = false;
  /** A CLOSE was sent; later requests with this FileId are not this open. */
  closed = false;
  /** A pre-open the server's STATUS_FILE_CLOSED undid (settleUnknownFileId): nothing was open. */
  undone = false;

  constructor(
    /** Share-relative path it was opened with (before anonymisation). */
    public path: IrPath,
    readonly create: PendingOp,
    /** On IPC$ or a pipe: its ops are counted, never emitted. */
    readonly ipc: boolean,
  ) {}
}
