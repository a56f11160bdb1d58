/**
 * The correlation pass (docs/compiler.md, "Correlation"): PDUs in, settled requests out to the
 * reorder queue. Responses are matched to requests per connection by MessageId (MS-SMB2 3.2.5.1),
 * interim STATUS_PENDING responses keep the request waiting (3.3.4.2), compound chains share their
 * session, tree and (when related) FileId (3.2.4.1.4), SessionIds map to users and TreeIds to
 * shares, and FileIds to the IR handles of their CREATEs.
 */
import type { SmbPdu } from '../../capture/smb-pdu.js';
import {
  Command,
  SMB2_COMPRESSION_PROTOCOL_ID,
  SMB2_PROTOCOL_ID,
  SMB2_TRANSFORM_PROTOCOL_ID,
} from '../../smb2/constants.js';
import { SmbBenchError } from '../../errors/smbench-error.js';
import { bump, type CompileStats, type SkipReason } from '../compile-stats.js';
import type { WarningLog } from '../compile-warnings.js';
import type { ReorderQueue } from '../emit/reorder-queue.js';
import {
  createMessageHeader,
  HeaderProblem,
  isAsyncHeader,
  isRelated,
  isResponseHeader,
  isUnsolicited,
  readMessageHeader,
  wideKey,
  type MessageHeader,
} from '../extract/message-header.js';
import { onInterim, onRequest, onResponse } from '../infer/dependency-tracker.js';
import { COMMAND_NAMES, LIFTERS } from '../lift/lifter-table.js';
import type { Lifter } from '../lift/lifter.js';
import { syntheticName } from '../lift/session-lifters.js';
import { ConnectionState } from './connection-state.js';
import { MirrorFilter } from './mirror-filter.js';
import { PendingOp, STATUS_PENDING } from './pending-op.js';
import { TreeKind, type TreeState } from './session-state.js';
import { wideHex } from './wide-id-map.js';
import { CorrelationState } from './correlation-state.js';
import { implicitClose, opensClosedWithSession } from './connection-loss.js';
import { isIpcFsctl, isWellKnownPipe, synthesizedTree } from './synthesis.js';

export interface CorrelatorOptions {
  readonly keepData: boolean;
  /** Only this share is compiled (case-insensitive); others are skipped as `otherShare`. */
  readonly share?: string;
  /** Synthesise users, trees and opens a capture begun mid-session assumes (synthesis.ts). */
  readonly synthesize: boolean;
}

export class Correlator extends CorrelationState {
  private readonly connections = new Map<number, ConnectionState>();
  private readonly header: MessageHeader = createMessageHeader();
  private readonly mirrors = new MirrorFilter();
  private readonly share: string | undefined;
  private pdu: SmbPdu | undefined;

  constructor(
    stats: CompileStats,
    warnings: WarningLog,
    private readonly queue: ReorderQueue,
    private readonly onTraceStart: (micros: number) => void,
    options: CorrelatorOptions,
  ) {
    super(stats, warnings, options.keepData, options.synthesize);
    this.share = options.share?.toLowerCase();
  }

  onPdu(pdu: SmbPdu): void {
    const stats = this.stats;
    const data = pdu.data;
    const ts = pdu.timestampMicros;
    if (stats.firstTimestampMicros === 0) {
      stats.firstTimestampMicros = ts;
      this.onTraceStart(ts);
    }
    if (ts > stats.lastTimestampMicros) stats.lastTimestampMicros = ts;
    const magic = data.length >= 4 ? data.readUInt32LE(0) : 0;
    if (magic !== SMB2_PROTOCOL_ID) {
      this.otherPdu(magic, pdu);
      return;
    }
    let conn = this.connections.get(pdu.connectionId);
    if (conn === undefined) {
      conn = new ConnectionState(pdu.connectionId);
      this.connections.set(pdu.connectionId, conn);
    }
    this.connection = conn;
    this.pdu = pdu;
    conn.chainPrevious = undefined;
    const h = this.header;
    let chainHead: PendingOp | undefined;
    let start = 0;
    let index = 0;
    for (;;) {
      const problem = readMessageHeader(data, start, h);
      if (problem === HeaderProblem.TRUNCATED || problem === HeaderProblem.NOT_SMB2) {
        this.malformed(pdu, `message ${index} is not an SMB2 header`);
        break;
      }
      stats.messages++;
      const compound = index > 0 || h.nextCommand !== 0;
      if (isResponseHeader(h)) this.response(data, h, conn);
      else {
        const op = this.request(data, h, conn);
        if (op !== undefined && op.kind !== undefined && op.kind !== 'cancel') {
          if (compound) stats.compoundRequests++;
          if (!compound) this.enqueue(op);
          else if (chainHead === undefined) {
            chainHead = op;
            op.chain = [op];
            this.queue.push(op);
            stats.compoundChains++;
          } else if (op.user !== chainHead.user) {
            // A chain is one user's (docs/ir.md "Compounds"); a member of another session (an
            // unrelated request naming a different SessionId) is emitted as an op of its own.
            this.enqueue(op);
          } else chainHead.chain!.push(op);
        }
        conn.chainPrevious = op;
      }
      if (problem === HeaderProblem.BAD_NEXT_COMMAND) this.malformed(pdu, `bad NextCommand ${h.nextCommand}`);
      if (h.nextCommand === 0 || problem !== HeaderProblem.OK) break;
      start = h.end;
      index++;
    }
    this.queue.drain(ts);
  }

  /**
   * The TCP connection ended on the wire: a session left with no connection is torn down by the
   * server, which closes its opens (connection-loss.ts); those CLOSEs are emitted here, at the
   * connection's end, so later opens of the same paths see what the recorded ones saw.
   */
  onConnectionEnd(connectionId: number, tsMicros: number, frame: number): void {
    const conn = this.connections.get(connectionId);
    if (conn === undefined) return;
    this.connections.delete(connectionId);
    for (const session of conn.sessions) {
      session.connections.delete(conn);
      const user = session.user;
      if (session.connections.size > 0 || user === undefined) continue;
      const left = opensClosedWithSession(session);
      for (const handle of left) {
        const op = implicitClose(conn, session, handle, tsMicros, frame);
        this.unbindHandle(op, handle);
        if (handle.deletePending) {
          const kind = handle.isDirectory === undefined ? undefined : handle.isDirectory ? 'dir' : 'file';
          user.namespace.deleted(handle.path, kind);
          this.mutatedPath(op, handle.path);
        }
        onRequest(op, user);
        onResponse(op, user);
        this.queue.push(op);
      }
      if (left.length > 0) {
        this.warnings.add(
          'synthesized',
          () =>
            `frame ${frame}: connection ended with ${left.length} open(s) of ${user.id}; closed as the server does (MS-SMB2 3.3.7.1)`,
        );
      }
    }
    this.queue.drain(tsMicros);
  }

  /** End of input: unanswered requests are settled as skipped and everything is emitted. */
  finish(): void {
    this.queue.finish();
  }

  // ---- requests and responses --------------------------------------------------------------

  private request(data: Buffer, h: MessageHeader, conn: ConnectionState): PendingOp | undefined {
    const command = h.command;
    bump(this.stats.requestsByCommand, COMMAND_NAMES[command] ?? `UNKNOWN_0x${command.toString(16)}`);
    const pdu = this.pdu!;
    const key = wideKey(h.messageIdLo, h.messageIdHi);
    if (this.mirrors.isMirror(data, h, conn.id, pdu.timestampMicros)) {
      this.stats.mirroredRequests++;
      if (command !== Command.CANCEL) conn.mirrored.add(key);
      return undefined;
    }
    if (command === Command.CANCEL) return this.cancel(h, conn, key, pdu);
    const op = new PendingOp(conn, key, command, pdu.timestampMicros);
    op.frame = pdu.frameNumber;
    const lifter = LIFTERS[command];
    if (lifter === undefined) {
      this.skipNow(op, 'unsupported');
      this.stats.skipped.unsupported++;
      conn.pending.set(key, op);
      return undefined;
    }
    if (lifter.kind === undefined) {
      this.liftRequest(lifter, data, h, op);
      conn.pending.set(key, op);
      return op;
    }
    op.kind = lifter.kind;
    op.related = isRelated(h);
    this.placeInTree(op, h, lifter, conn);
    if (op.skip === undefined) this.liftRequest(lifter, data, h, op);
    if (op.skip === undefined && op.tree?.synthetic === true) this.probeSyntheticTree(op, op.tree);
    // A lifter clears `kind` for a request that turned out to be plumbing (see LiftContext).
    if (op.skip === undefined && op.kind !== undefined) onRequest(op, op.user!);
    conn.pending.set(key, op);
    return op;
  }

  /** Session, user and tree of an op: from the header, or from the previous op of a related chain. */
  private placeInTree(op: PendingOp, h: MessageHeader, lifter: Lifter, conn: ConnectionState): void {
    const prev = op.related ? conn.chainPrevious : undefined;
    // A related request runs in the session and tree of the previous one, whatever its header
    // says (MS-SMB2 3.3.5.2.7.2; Samba takes the previous SessionId and TreeId outright).
    let session = prev?.session ?? this.sessions.get(h.sessionIdLo, h.sessionIdHi);
    if (session === undefined && op.kind === 'echo' && conn.lastUser !== undefined) {
      op.user = conn.lastUser;
      return;
    }
    if (session === undefined) {
      // SessionId 0 is what requests without a session carry (MS-SMB2 2.2.1.2): never synthesised.
      if (!this.synthesize || (h.sessionIdLo === 0 && h.sessionIdHi === 0))
        return this.skipNow(op, 'unknownSession');
      session = this.session(h.sessionIdLo, h.sessionIdHi);
    }
    if (session.user === undefined) {
      // The SESSION_SETUP happened before the capture started: name the session itself.
      const known = this.users.length;
      session.user = this.userNamed(syntheticName(session.mechanism, session.idLo, session.idHi));
      if (this.users.length > known) {
        session.user.synthetic = true;
        this.stats.synthesized.users++;
      }
      this.warnings.add(
        'unknownSession',
        `session ${wideHex(session.idLo, session.idHi)} was set up before the capture`,
      );
    }
    op.session = session;
    op.user = session.user;
    conn.lastUser = session.user;
    if (!conn.sessions.has(session)) {
      conn.sessions.add(session);
      session.connections.add(conn);
    }
    if (!lifter.needsTree) return;
    let tree = prev?.tree ?? session.trees.get(h.treeId);
    if (tree === undefined) {
      if (!this.synthesize || h.treeId === 0) return this.skipNow(op, 'unknownTree');
      // Connected before the capture: the share the replay targets, like every disk tree.
      tree = synthesizedTree(h.treeId);
      session.trees.set(h.treeId, tree);
      this.stats.synthesized.trees++;
    }
    op.tree = tree;
    if (tree.kind !== TreeKind.DISK) return this.skipIpc(op);
    if (this.share !== undefined && tree.synthetic !== true && tree.share.toLowerCase() !== this.share)
      return this.skipNow(op, 'otherShare');
  }

  /** A synthetic tree is IPC$ if its first CREATE names a well-known pipe, or an IPC$ FSCTL is sent. */
  private probeSyntheticTree(op: PendingOp, tree: TreeState): void {
    if (op.kind === 'ioctl' && isIpcFsctl(op.fields['ctlCode'])) {
      tree.kind = TreeKind.PIPE;
      return this.skipIpc(op);
    }
    if (op.kind !== 'create' || tree.probed === true) return;
    tree.probed = true;
    const path = op.fields['path'];
    if (typeof path !== 'string' || !isWellKnownPipe(path)) return;
    tree.kind = TreeKind.PIPE;
    op.newHandle = undefined;
    this.skipIpc(op);
  }

  private cancel(h: MessageHeader, conn: ConnectionState, key: number, pdu: SmbPdu): PendingOp | undefined {
    // Sync requests are named by MessageId, async ones by AsyncId (MS-SMB2 3.2.4.24).
    const target = isAsyncHeader(h) ? conn.byAsyncId.get(h.asyncIdLo, h.asyncIdHi) : conn.pending.get(key);
    const op = new PendingOp(conn, key, Command.CANCEL, pdu.timestampMicros);
    op.kind = 'cancel';
    op.frame = pdu.frameNumber;
    op.complete = true;
    if (target === undefined || target.kind === undefined || target.skip !== undefined) {
      this.skipNow(op, 'cancelWithoutTarget');
      this.stats.skipped.cancelWithoutTarget++;
      return op;
    }
    op.user = target.user;
    op.session = target.session;
    op.cancelTarget = target;
    this.queue.push(op);
    return op;
  }

  private response(data: Buffer, h: MessageHeader, conn: ConnectionState): void {
    const stats = this.stats;
    if (isUnsolicited(h)) {
      if (h.command === Command.OPLOCK_BREAK) stats.breakNotifications++;
      else stats.unmatchedResponses++;
      return;
    }
    const key = wideKey(h.messageIdLo, h.messageIdHi);
    if (conn.mirrored.size > 0 && conn.mirrored.has(key)) {
      // The relay's copy of a response the original connection carries too.
      stats.mirroredResponses++;
      if (h.status !== STATUS_PENDING) conn.mirrored.delete(key);
      return;
    }
    const op = conn.pending.get(key);
    if (op === undefined || op.command !== h.command) {
      stats.unmatchedResponses++;
      return;
    }
    if (h.status === STATUS_PENDING) {
      stats.interimResponses++;
      if (!op.wentAsync && isAsyncHeader(h)) conn.byAsyncId.set(h.asyncIdLo, h.asyncIdHi, op);
      op.wentAsync = true;
      if (op.user !== undefined) onInterim(op, op.user);
      return;
    }
    conn.pending.delete(key);
    if (op.wentAsync) {
      stats.asyncCompletions++;
      if (isAsyncHeader(h)) conn.byAsyncId.delete(h.asyncIdLo, h.asyncIdHi);
    }
    stats.responses++;
    op.status = h.status;
    op.tResp = this.pdu!.timestampMicros;
    const lifter = LIFTERS[op.command];
    if (lifter !== undefined && (op.skip === undefined || op.kind === undefined)) {
      try {
        lifter.response(this, data, h, op);
      } catch (err) {
        this.liftFailed(err, op, 'response');
      }
    }
    if (op.tentativePreopen) this.settleUnknownFileId(op);
    else if (op.handle?.undone === true) this.settleUndonePreopen(op);
    op.complete = true;
    if (op.kind !== undefined && op.skip === undefined && op.user !== undefined) onResponse(op, op.user);
  }

  private liftRequest(lifter: Lifter, data: Buffer, h: MessageHeader, op: PendingOp): void {
    try {
      lifter.request(this, data, h, op);
    } catch (err) {
      this.liftFailed(err, op, 'request');
      if (op.skip === undefined) op.skip = 'malformed';
    }
  }

  /** A message that does not parse is counted and reported; anything else is a bug and rethrown. */
  private liftFailed(err: unknown, op: PendingOp, what: string): void {
    if (!(err instanceof SmbBenchError) && !(err instanceof RangeError)) throw err;
    this.stats.malformedMessages++;
    this.warnings.add(
      'malformed',
      () =>
        `frame ${op.frame}: ${COMMAND_NAMES[op.command] ?? op.command} ${what}: ${(err as Error).message}`,
    );
  }

  private malformed(pdu: SmbPdu, message: string): void {
    this.stats.malformedMessages++;
    this.warnings.add('malformed', () => `frame ${pdu.frameNumber}: ${message}`);
  }

  /**
   * Marks an op skipped at request time. Single ops are counted when queued (enqueue), compound
   * members when their chain is emitted, so each skip is counted exactly once.
   */
  private skipNow(op: PendingOp, reason: SkipReason): void {
    op.skip = reason;
  }

  private enqueue(op: PendingOp): void {
    if (op.skip === undefined) return this.queue.push(op);
    this.stats.skipped[op.skip]++;
    // Later requests may still use the FileId this op's synthesised CREATE opened.
    if (op.preludes !== undefined) for (const p of op.preludes) this.queue.push(p);
  }

  private otherPdu(magic: number, pdu: SmbPdu): void {
    const stats = this.stats;
    const bytes = pdu.data.length;
    if (magic === SMB2_TRANSFORM_PROTOCOL_ID) {
      stats.encryptedPdus++;
      stats.encryptedBytes += bytes;
      // SessionId is the last field of the 52-byte TRANSFORM_HEADER (MS-SMB2 2.2.41).
      const sid = bytes >= 52 ? wideHex(pdu.data.readUInt32LE(44), pdu.data.readUInt32LE(48)) : '?';
      this.warnings.add(
        'encrypted',
        () => `frame ${pdu.frameNumber}: encrypted message of session ${sid} (no keys: skipped)`,
      );
    } else if (magic === SMB2_COMPRESSION_PROTOCOL_ID) {
      stats.compressedPdus++;
      stats.compressedBytes += bytes;
      this.warnings.add('compressed', () => `frame ${pdu.frameNumber}: compressed message skipped`);
    } else {
      stats.unknownPdus++;
    }
  }
}
