import { EventEmitter } from 'node:events';
import {
  decodeBreakNotification,
  leaseBreakAckCodec,
  oplockBreakAckCodec,
  type BreakNotification,
} from '../smb2/commands/oplock-break.js';
import type { FileId } from '../smb2/constants.js';
import type { Smb2Header } from '../smb2/header.js';
import { fileIdKey } from '../smb2/file-id.js';
import type { Connection, RequestContext } from './connection.js';

/** MS-SMB2 2.2.23.2: the server wants an acknowledgment for this lease break. */
const SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED = 0x01;

/** Where a break's acknowledgment must go: the tree (and so session and keys) of the open. */
export interface BreakTarget {
  context(): RequestContext;
}

export interface BreakEvent {
  notification: BreakNotification;
  acknowledged: boolean;
  error?: Error;
}

/**
 * Acknowledges oplock and lease breaks automatically (MS-SMB2 3.2.5.19), so an open held by one
 * simulated user never stalls another user's conflicting open for the server's 35 s break
 * timeout. Opens register here when the server grants them an oplock or lease; the handler looks
 * the break up by FileId (oplock) or LeaseKey (lease), acknowledges with the level the server
 * asked for, and emits a 'break' event for metrics.
 */
export class BreakHandler extends EventEmitter<{ break: [BreakEvent] }> {
  private readonly byFileId = new Map<string, BreakTarget>();
  /**
   * Leases by key, with the number of opens holding each: opens of one client on the same file
   * share a lease key and so one lease (MS-SMB2 3.3.1.4 LeaseTable), which lives until the last of
   * them closes. Forgetting it at the first CLOSE would leave the next break unacknowledged.
   */
  private readonly byLeaseKey = new Map<string, { target: BreakTarget; opens: number }>();
  /** Breaks that arrived for opens this handler does not know (counted, not dropped silently). */
  unknownBreaks = 0;
  acknowledged = 0;
  failedAcks = 0;

  constructor(private readonly connection: Connection) {
    super();
    connection.setUnsolicitedHandler((header, message) => this.onBreak(header, message));
  }

  registerOplock(fileId: FileId, target: BreakTarget): void {
    this.byFileId.set(fileIdKey(fileId), target);
  }

  registerLease(leaseKey: Buffer, target: BreakTarget): void {
    const key = leaseKey.toString('hex');
    const lease = this.byLeaseKey.get(key);
    this.byLeaseKey.set(key, { target, opens: (lease?.opens ?? 0) + 1 });
  }

  /** Called when an open is closed; its lease is forgotten with the last open that holds it. */
  forget(fileId: FileId, leaseKey?: Buffer): void {
    // Building the key costs two bigint-to-hex conversions per CLOSE; skip it when no open holds an oplock.
    if (this.byFileId.size > 0) this.byFileId.delete(fileIdKey(fileId));
    if (!leaseKey) return;
    const key = leaseKey.toString('hex');
    const lease = this.byLeaseKey.get(key);
    if (lease === undefined) return;
    if (lease.opens > 1) lease.opens--;
    else this.byLeaseKey.delete(key);
  }

  private onBreak(_header: Smb2Header, message: Buffer): void {
    let notification: BreakNotification;
    try {
      notification = decodeBreakNotification(message);
    } catch {
      this.connection.stats.malformedMessages++;
      return;
    }
    void this.acknowledge(notification);
  }

  private async acknowledge(notification: BreakNotification): Promise<void> {
    const event: BreakEvent = { notification, acknowledged: false };
    try {
      if (notification.kind === 'oplock') {
        const target = this.byFileId.get(fileIdKey(notification.fileId));
        if (!target) {
          this.unknownBreaks++;
        } else {
          // MS-SMB2 3.2.4.25: acknowledge with the level the server broke us to.
          await this.connection.request(
            oplockBreakAckCodec,
            { oplockLevel: notification.oplockLevel, fileId: notification.fileId },
            target.context(),
          );
          event.acknowledged = true;
        }
      } else {
        const target = this.byLeaseKey.get(notification.leaseKey.toString('hex'))?.target;
        if (!target) {
          this.unknownBreaks++;
        } else if ((notification.flags & SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED) !== 0) {
          // MS-SMB2 3.2.4.26: the ack carries the new state the server offered (or less).
          await this.connection.request(
            leaseBreakAckCodec,
            {
              flags: 0,
              leaseKey: notification.leaseKey,
              leaseState: notification.newLeaseState,
              leaseDuration: 0n,
            },
            target.context(),
          );
          event.acknowledged = true;
        }
      }
      if (event.acknowledged) this.acknowledged++;
    } catch (err) {
      // The open may have been closed meanwhile (STATUS_FILE_CLOSED) or the connection dropped.
      this.failedAcks++;
      event.error = err as Error;
    }
    this.emit('break', event);
  }
}
