/**
 * The per-virtual-user state op executors read and update: the current tree, the handle table,
 * the path mapper, lease keys and the last server-side-copy source.
 */
import { randomBytes } from 'node:crypto';
import type { Tree } from '../../client/tree.js';
import type { HandleTable } from '../handle-table.js';
import type { UserPaths } from '../user-paths.js';

export interface CopySource {
  /** From FSCTL_SRV_REQUEST_RESUME_KEY (MS-SMB2 2.2.32.3). */
  readonly resumeKey: Buffer;
  readonly size: bigint;
}

export interface UserOpStateInit {
  readonly handles: HandleTable;
  readonly paths: UserPaths;
  /** Request durable v2 handles on every create (`--durable`). */
  readonly requestDurable: boolean;
  /** How long an async op (blocking lock) may wait beyond its recorded latency. */
  readonly asyncSlackMs: number;
  readonly currentTree: () => Tree;
}

export class UserOpState {
  readonly handles: HandleTable;
  /** Changes between passes when each pass has its own directory (pass-namespace.ts). */
  paths: UserPaths;
  readonly requestDurable: boolean;
  readonly asyncSlackMs: number;
  copySource: CopySource | undefined;
  private readonly leaseKeys = new Map<string, Buffer>();
  private readonly currentTree: () => Tree;

  constructor(init: UserOpStateInit) {
    this.handles = init.handles;
    this.paths = init.paths;
    this.requestDurable = init.requestDurable;
    this.asyncSlackMs = init.asyncSlackMs;
    this.currentTree = init.currentTree;
  }

  get tree(): Tree {
    return this.currentTree();
  }

  /**
   * One lease key per path, as a real client keeps one per file (MS-SMB2 3.2.4.3.8), so a user's
   * own second open of a file does not break its first open's lease.
   */
  leaseKeyFor(path: string): Buffer {
    let key = this.leaseKeys.get(path);
    if (!key) {
      key = randomBytes(16);
      this.leaseKeys.set(path, key);
    }
    return key;
  }

  /** Forgets per-iteration state. */
  reset(): void {
    this.leaseKeys.clear();
    this.copySource = undefined;
  }
}
