/**
 * One virtual user's open handles: IR handle (`h<n>`, docs/ir.md "Handles") -> the FileId the
 * target gave it in this replay. A handle whose create failed is remembered as unavailable, so the
 * ops that use it are skipped with a counted reason instead of being sent with a bogus FileId.
 */
import type { Tree } from '../client/tree.js';
import type { HandleId } from '../ir/types.js';
import type { CreateRequest } from '../smb2/commands/create.js';
import type { FileId } from '../smb2/constants.js';
import { SkipReason } from './skip-reasons.js';

/** What a durable v2 open needs to be reclaimed after a reconnect (MS-SMB2 3.2.4.4, DH2C). */
export interface DurableState {
  readonly createGuid: Buffer;
  /** The original CREATE, replayed with a DH2C context instead of DH2Q. */
  readonly request: CreateRequest;
}

export interface OpenHandle {
  readonly fileId: FileId;
  /** The tree (hence session and connection) the handle was opened on. */
  readonly tree: Tree;
  readonly leaseKey: Buffer | undefined;
  readonly isDirectory: boolean;
  /** End of file as far as this replay knows: the create's EndOfFile, grown by writes (FSCTL inputs need it). */
  size: bigint;
  readonly durable: DurableState | undefined;
  /** The workload path of the create, for mismatch examples (op-path.ts). */
  readonly path?: string;
  /** Name of the alternate data stream opened (MS-FSCC 2.1.5), if the path named one. */
  readonly streamName?: string;
}

type Slot = { readonly open: OpenHandle } | { readonly unavailable: SkipReason };

export class HandleTable {
  private readonly handles = new Map<HandleId, Slot>();
  /** Open handles, kept as a count so checkpoints can test "nothing open" in O(1) per op. */
  private openSlots = 0;

  opened(id: HandleId, handle: OpenHandle): void {
    if (!this.isOpen(id)) this.openSlots++;
    this.handles.set(id, { open: handle });
  }

  /** The create for `id` failed or was skipped: later ops on it are skipped with `reason`. */
  unavailable(id: HandleId, reason: SkipReason = SkipReason.HANDLE_UNAVAILABLE): void {
    if (this.isOpen(id)) this.openSlots--;
    this.handles.set(id, { unavailable: reason });
  }

  /** The open handle, or why there is none. A handle never seen is unavailable too. */
  resolve(id: HandleId): OpenHandle | SkipReason {
    const slot = this.handles.get(id);
    if (!slot) return SkipReason.HANDLE_UNAVAILABLE;
    return 'open' in slot ? slot.open : slot.unavailable;
  }

  /** A close (sent or skipped) ends the handle either way (docs/ir.md: "A close ends the handle whatever its status"). */
  closed(id: HandleId): void {
    if (this.isOpen(id)) this.openSlots--;
    this.handles.delete(id);
  }

  /** Handles currently open, for closing at the end of a stream or reclaiming after a reconnect. */
  openHandles(): [HandleId, OpenHandle][] {
    const out: [HandleId, OpenHandle][] = [];
    for (const [id, slot] of this.handles) if ('open' in slot) out.push([id, slot.open]);
    return out;
  }

  get size(): number {
    return this.handles.size;
  }

  /** How many handles are open right now (unavailable ones do not count). */
  get openCount(): number {
    return this.openSlots;
  }

  clear(): void {
    this.handles.clear();
    this.openSlots = 0;
  }

  private isOpen(id: HandleId): boolean {
    const slot = this.handles.get(id);
    return slot !== undefined && 'open' in slot;
  }
}
