import { MalformedMessageError, SmbBenchError } from '../errors/smbench-error.js';
import { decryptMessage } from '../crypto/encryption.js';
import { verifyMessage } from '../crypto/signing.js';
import type { CommandCodec } from '../smb2/command-codec.js';
import {
  Command,
  commandName,
  HeaderFlags,
  SMB2_COMPRESSION_PROTOCOL_ID,
  SMB2_HEADER_SIZE,
  SMB2_PROTOCOL_ID,
  SMB2_TRANSFORM_PROTOCOL_ID,
  UNSOLICITED_MESSAGE_ID,
  Dialect,
} from '../smb2/constants.js';
import { decodeErrorResponse, hasCommandBody } from '../smb2/error-response.js';
import { decodeHeader, isAsync, type Smb2Header } from '../smb2/header.js';
import { decodeTransformHeader } from '../smb2/transform-header.js';
import { NtStatus } from '../smb2/nt-status.js';
import { BreakHandler } from './break-handler.js';
import { registerSweeper } from './coarse-clock.js';
import { CreditAccount, creditChargeFor } from './credits.js';
import { AbortedError, SmbStatusError, TimeoutError, TransportError } from './errors.js';
import { encodeChain, encryptChain, signChain, type OutboundMessage } from './outbound.js';
import type { Reply } from './reply.js';
import type { SessionSecurity } from './session-security.js';
import { ServerLiveness } from './server-liveness.js';
import { Transport } from './transport.js';
import { cancelCodec } from '../smb2/commands/cancel.js';
import { encodeHeader, newHeader } from '../smb2/header.js';

export interface RequestContext {
  /** The session the request runs in; its keys decide signing and encryption. */
  session?: SessionSecurity;
  treeId?: number;
  /** Encrypt even if the session does not demand it (a share with SMB2_SHAREFLAG_ENCRYPT_DATA). */
  encrypt?: boolean;
  /** Sign even if the session does not require it (TREE_CONNECT on 3.1.1, MS-SMB2 3.2.4.1.1). */
  sign?: boolean;
  /** Bytes sent or expected back beyond the fixed body, for CreditCharge (MS-SMB2 3.2.4.1.5). */
  payloadSize?: number;
  /** Overrides the connection's request timeout. */
  timeoutMs?: number;
  /**
   * Time to keep waiting once the server said STATUS_PENDING; default: the connection's
   * asyncTimeoutMs (no limit unless set). On expiry the request is cancelled and rejects with TimeoutError.
   */
  asyncTimeoutMs?: number;
  /** Aborting sends SMB2 CANCEL (MS-SMB2 3.2.4.24) and rejects with AbortedError. */
  signal?: AbortSignal;
  /** Extra header flags, e.g. SMB2_FLAGS_DFS_OPERATIONS or SMB2_FLAGS_REPLAY_OPERATION. */
  flags?: number;
  /** Called with the plaintext request bytes once encoded (preauth integrity hashing). */
  onEncoded?: (message: Buffer) => void;
}

export interface CompoundItem {
  codec: CommandCodec<unknown, unknown>;
  request: unknown;
  payloadSize?: number;
}

export interface ConnectionSettings {
  host: string;
  port: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** Credits to keep available: enough for the pipelining the caller wants. */
  creditTarget: number;
  /**
   * Longest wait after an interim STATUS_PENDING (CHANGE_NOTIFY, blocking LOCK, a CREATE waiting
   * for an oplock break, a pipe READ): default no limit. Requests can override it.
   */
  asyncTimeoutMs?: number;
}

/** What NEGOTIATE established; filled by negotiate.ts. */
export interface NegotiatedState {
  dialect: Dialect;
  /** Whether large MTU / multi-credit requests are allowed (2.1+ with SMB2_GLOBAL_CAP_LARGE_MTU). */
  multiCredit: boolean;
  cipherId: number;
}

interface Pending {
  readonly messageId: bigint;
  readonly command: number;
  readonly codec: CommandCodec<unknown, unknown>;
  readonly charge: number;
  readonly session: SessionSecurity | undefined;
  readonly sessionId: bigint;
  readonly treeId: number;
  resolve: (reply: Reply<unknown>) => void;
  reject: (error: Error) => void;
  /** performance.now() when sent: a connection silent since then is stalled (server-liveness.ts). */
  readonly sentAt: number;
  deadline: number;
  asyncDeadline: number;
  asyncId: bigint | undefined;
  /** SMB2 CANCEL was sent for it (MS-SMB2 3.2.4.24). */
  cancelled: boolean;
  readonly stack: Error | undefined;
}

/** SMBENCH_CALLER_STACKS=1 appends the stack of the code that issued a failed request. */
const CAPTURE_CALLER_STACKS = process.env.SMBENCH_CALLER_STACKS === '1';

/** Counters a connection keeps about things it dropped rather than crash on. */
export interface ConnectionStats {
  requests: number;
  unmatchedResponses: number;
  malformedMessages: number;
  badSignatures: number;
  timeouts: number;
  breaks: number;
}

export type UnsolicitedHandler = (header: Smb2Header, message: Buffer) => void;

/**
 * One TCP connection to an SMB2/3 server: message ids and credits, many outstanding requests
 * (pipelining), compounds, async (STATUS_PENDING) responses, CANCEL, signing and encryption of
 * requests, verification and decryption of responses, and timeouts. Sessions, trees and files sit
 * on top (session.ts, tree.ts, open-file.ts) and are many per connection.
 */
export class Connection {
  readonly credits = new CreditAccount(1);
  readonly stats: ConnectionStats = {
    requests: 0,
    unmatchedResponses: 0,
    malformedMessages: 0,
    badSignatures: 0,
    timeouts: 0,
    breaks: 0,
  };
  negotiated: NegotiatedState = { dialect: Dialect.SMB2_0_2, multiCredit: false, cipherId: 0 };
  private readonly pending = new Map<bigint, Pending>();
  private readonly sessions = new Map<bigint, SessionSecurity>();
  private readonly closeListeners: ((error: Error | undefined) => void)[] = [];
  private unsolicited: UnsolicitedHandler | undefined;
  private readonly liveness = new ServerLiveness();
  private inFlightCharge = 0;
  private transport!: Transport;
  /** Acknowledges oplock/lease breaks for the opens of every session on this connection. */
  breaks!: BreakHandler;
  private closedError: Error | undefined;
  private closedByUs = false;
  private unregisterSweeper: () => void = () => {};

  private constructor(readonly settings: ConnectionSettings) {}

  /** Opens the TCP connection; NEGOTIATE is the caller's next step (see negotiate.ts). */
  static async open(settings: ConnectionSettings): Promise<Connection> {
    const conn = new Connection(settings);
    conn.transport = await Transport.connect(
      { host: settings.host, port: settings.port, connectTimeoutMs: settings.connectTimeoutMs },
      { onFrame: (frame) => conn.onFrame(frame), onClose: (err) => conn.onTransportClose(err) },
    );
    conn.unregisterSweeper = registerSweeper((now) => conn.sweep(now));
    conn.breaks = new BreakHandler(conn);
    return conn;
  }

  get isClosed(): boolean {
    return this.closedError !== undefined;
  }

  get outstanding(): number {
    return this.pending.size;
  }

  onClose(listener: (error: Error | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  /** Oplock/lease break notifications (MessageId 0xFFFFFFFFFFFFFFFF) go here. */
  setUnsolicitedHandler(handler: UnsolicitedHandler): void {
    this.unsolicited = handler;
  }

  registerSession(security: SessionSecurity): void {
    this.sessions.set(security.sessionId, security);
  }

  unregisterSession(sessionId: bigint): void {
    this.sessions.delete(sessionId);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Sends one request and resolves with its decoded response (or rejects with SmbStatusError etc).
   * With credits at hand and the socket not congested (the usual case when pipelining) it
   * returns the response's own promise: no async wrapper and no allSettled per request, each
   * of which costs a microtask hop between a response arriving and the caller's next request.
   */
  request<Req, Res>(
    codec: CommandCodec<Req, Res>,
    request: Req,
    ctx: RequestContext = {},
  ): Promise<Reply<Res>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const items = [{ codec: codec as CommandCodec<unknown, unknown>, request, payloadSize: ctx.payloadSize }];
    const charges = [this.chargeFor(ctx.payloadSize)];
    const firstId = this.credits.tryAcquire(charges[0]!);
    if (firstId === undefined) return this.requestAfterCredits(items, charges, ctx) as Promise<Reply<Res>>;
    let reply: Promise<Reply<unknown>>;
    try {
      reply = this.transmit(items, charges, firstId, ctx, false)[0]!;
    } catch (err) {
      // A request that cannot be encoded fails like any other: as a rejection, never a throw.
      return Promise.reject(err as Error);
    }
    if (!this.transport.congested) return reply as Promise<Reply<Res>>;
    // Mark it handled now: it may settle while we wait for the socket to drain.
    reply.catch(() => undefined);
    return this.transport.drained().then(() => reply) as Promise<Reply<Res>>;
  }

  private async requestAfterCredits(
    items: readonly CompoundItem[],
    charges: readonly number[],
    ctx: RequestContext,
  ): Promise<Reply<unknown>> {
    const [result] = await this.send(items, ctx, false, charges);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Sends a compound chain (MS-SMB2 3.2.4.1.4). With `related`, requests after the first share the
   * first one's session, tree and FileId (use RELATED_FILE_ID). Each element settles on its own.
   */
  compound(
    items: readonly CompoundItem[],
    ctx: RequestContext = {},
    related = true,
  ): Promise<PromiseSettledResult<Reply<unknown>>[]> {
    return this.send(items, ctx, related);
  }

  /** Closes the TCP connection; outstanding requests are rejected. */
  close(): void {
    this.closedByUs = true;
    this.transport.close();
  }

  private chargeFor(payloadSize: number | undefined): number {
    if (!this.negotiated.multiCredit) return 1;
    return creditChargeFor(payloadSize ?? 0);
  }

  private creditRequestFor(charge: number): number {
    const deficit = this.settings.creditTarget - this.credits.available - this.inFlightCharge;
    return charge + Math.max(0, Math.min(deficit, 512));
  }

  private async send(
    items: readonly CompoundItem[],
    ctx: RequestContext,
    related: boolean,
    charges: readonly number[] = items.map((it) => this.chargeFor(it.payloadSize)),
  ): Promise<PromiseSettledResult<Reply<unknown>>[]> {
    if (this.closedError) throw this.closedError;
    let total = 0;
    for (const c of charges) total += c;
    const firstId = this.credits.tryAcquire(total) ?? (await this.credits.acquire(total));
    if (this.closedError) throw this.closedError;
    const promises = this.transmit(items, charges, firstId, ctx, related);
    if (this.transport.congested) await this.transport.drained();
    return Promise.allSettled(promises);
  }

  /** Encodes, signs or encrypts and sends a chain whose credits are paid; one promise per message. */
  private transmit(
    items: readonly CompoundItem[],
    charges: readonly number[],
    firstId: bigint,
    ctx: RequestContext,
    related: boolean,
  ): Promise<Reply<unknown>>[] {
    // Capturing the caller's stack costs microseconds per request; opt in when debugging.
    const stack = CAPTURE_CALLER_STACKS ? new Error('request issued here') : undefined;
    const session = ctx.session;
    const encrypt = Boolean(session && (ctx.encrypt || session.encryptData));
    const sign = Boolean(!encrypt && session?.signingKey && (ctx.sign || session.signingRequired));
    const isV202 = this.negotiated.dialect === Dialect.SMB2_0_2;

    let total = 0;
    let messageId = firstId;
    const outbound: OutboundMessage[] = items.map((it, i) => {
      const m: OutboundMessage = {
        codec: it.codec,
        request: it.request,
        messageId,
        // SMB 2.0.2 has no multi-credit requests: CreditCharge must be 0 (MS-SMB2 2.2.1.2).
        creditCharge: isV202 ? 0 : charges[i]!,
        creditRequest: this.creditRequestFor(charges[i]!),
        treeId: ctx.treeId ?? 0,
        sessionId: session?.sessionId ?? 0n,
        flags: (ctx.flags ?? 0) | (related && i > 0 ? HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS : 0),
      };
      messageId += BigInt(charges[i]!);
      total += charges[i]!;
      return m;
    });

    // Unsigned, unencrypted large writes go out from the caller's buffer (no copy).
    const chain = encodeChain(outbound, !sign && !encrypt && !ctx.onEncoded);
    if (sign) signChain(chain, session!);
    if (ctx.onEncoded) ctx.onEncoded(chain.plain);

    const now = performance.now();
    const timeoutMs = ctx.timeoutMs ?? this.settings.requestTimeoutMs;
    const asyncDeadline = ctx.asyncTimeoutMs ?? this.settings.asyncTimeoutMs ?? Number.POSITIVE_INFINITY;
    const promises = outbound.map(
      (m, i) =>
        new Promise<Reply<unknown>>((resolve, reject) => {
          this.pending.set(m.messageId, {
            messageId: m.messageId,
            command: m.codec.command,
            codec: m.codec,
            charge: charges[i]!,
            session,
            sessionId: m.sessionId,
            treeId: m.treeId,
            resolve,
            reject,
            sentAt: now,
            deadline: now + timeoutMs,
            asyncDeadline,
            asyncId: undefined,
            cancelled: false,
            stack,
          });
        }),
    );
    this.inFlightCharge += total;
    this.stats.requests += items.length;
    try {
      if (encrypt) this.transport.send([encryptChain(chain, session!, this.negotiated.cipherId)]);
      else if (chain.framed) this.transport.sendFramed(chain.framed, chain.trailer);
      else this.transport.send(chain.trailer ? [chain.plain, chain.trailer] : [chain.plain]);
    } catch (err) {
      for (const m of outbound) this.fail(m.messageId, err as Error);
    }
    if (ctx.signal) this.wireAbort(ctx.signal, outbound, ctx);
    return promises;
  }

  private wireAbort(signal: AbortSignal, outbound: readonly OutboundMessage[], ctx: RequestContext): void {
    const onAbort = (): void => {
      for (const m of outbound) this.cancel(m.messageId, ctx.session);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }

  /**
   * SMB2 CANCEL (MS-SMB2 3.2.4.24): same MessageId as the target (or its AsyncId once the server
   * went async), no credits consumed, no response of its own. The target later completes with
   * STATUS_CANCELLED, which rejects its promise like any failure. A server that never answers
   * does not hold the caller forever: once cancelled, the request waits at most one request
   * timeout more (an interim response no longer extends it), then rejects with TimeoutError.
   */
  cancel(messageId: bigint, session?: SessionSecurity): void {
    const p = this.pending.get(messageId);
    if (!p || this.closedError) return;
    if (!p.cancelled) {
      p.cancelled = true;
      p.deadline = Math.min(p.deadline, performance.now() + this.settings.requestTimeoutMs);
    }
    const msg = Buffer.alloc(SMB2_HEADER_SIZE + cancelCodec.requestSize({}));
    const h = newHeader(Command.CANCEL);
    h.messageId = p.asyncId === undefined ? messageId : 0n;
    h.sessionId = p.sessionId;
    h.treeId = p.treeId;
    if (p.asyncId !== undefined) {
      h.flags |= HeaderFlags.SMB2_FLAGS_ASYNC_COMMAND;
      h.asyncId = p.asyncId;
    }
    encodeHeader(h, msg);
    cancelCodec.encodeRequest({}, msg);
    const chain = { plain: msg, offsets: [0] };
    const encrypt = Boolean(session?.encryptData);
    if (!encrypt && session?.signingKey && session.signingRequired) signChain(chain, session);
    try {
      this.transport.send([encrypt ? encryptChain(chain, session!, this.negotiated.cipherId) : msg]);
    } catch {
      // The connection is closing; the target is rejected by onTransportClose.
    }
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 4) {
      this.stats.malformedMessages++;
      return;
    }
    const protocolId = frame.readUInt32LE(0);
    let plain = frame;
    let encrypted = false;
    if (protocolId === SMB2_TRANSFORM_PROTOCOL_ID) {
      const decrypted = this.decrypt(frame);
      if (!decrypted) return;
      plain = decrypted;
      encrypted = true;
    } else if (protocolId === SMB2_COMPRESSION_PROTOCOL_ID || protocolId !== SMB2_PROTOCOL_ID) {
      // We never negotiate compression (MS-SMB2 2.2.3.1.3), and SMB1 is not spoken here.
      this.stats.malformedMessages++;
      return;
    }
    this.walkChain(plain, encrypted);
  }

  private decrypt(frame: Buffer): Buffer | undefined {
    try {
      const th = decodeTransformHeader(frame);
      const session = this.sessions.get(th.sessionId);
      if (!session?.decryptionKey)
        throw new MalformedMessageError(`encrypted message for unknown session ${th.sessionId}`);
      return decryptMessage(this.negotiated.cipherId, session.decryptionKey, frame);
    } catch {
      // MS-SMB2 3.2.5.1.1.1: a message that fails to decrypt is discarded; its request times out.
      this.stats.malformedMessages++;
      return undefined;
    }
  }

  private walkChain(plain: Buffer, encrypted: boolean): void {
    let offset = 0;
    for (;;) {
      let header: Smb2Header;
      try {
        header = decodeHeader(plain, offset);
      } catch {
        this.stats.malformedMessages++;
        return;
      }
      const next = header.nextCommand;
      if (next !== 0 && (next < SMB2_HEADER_SIZE || next % 8 !== 0 || offset + next > plain.length)) {
        this.stats.malformedMessages++;
        return;
      }
      const end = next === 0 ? plain.length : offset + next;
      this.onMessage(header, plain.subarray(offset, end), encrypted);
      if (next === 0) return;
      offset = end;
    }
  }

  private onMessage(header: Smb2Header, message: Buffer, encrypted: boolean): void {
    // Only a readable SMB2 message is a sign of life: well-framed junk does not keep a stall open.
    this.liveness.received();
    this.credits.grant(header.credits);
    if (header.messageId === UNSOLICITED_MESSAGE_ID && header.command === Command.OPLOCK_BREAK) {
      this.stats.breaks++;
      this.unsolicited?.(header, message);
      return;
    }
    const p = this.pending.get(header.messageId);
    if (!p) {
      // A late answer to a request that timed out or was cancelled; its credits are already counted.
      this.stats.unmatchedResponses++;
      return;
    }
    if (header.status === NtStatus.STATUS_PENDING && isAsync(header)) {
      // Interim response (MS-SMB2 3.2.5.1.5): remember AsyncId for CANCEL and keep waiting.
      p.asyncId = header.asyncId;
      if (!p.cancelled) p.deadline = performance.now() + p.asyncDeadline;
      return;
    }
    if (!encrypted && !this.signatureAcceptable(header, message, p)) {
      this.stats.badSignatures++;
      this.fail(
        p.messageId,
        new MalformedMessageError(`response to message ${p.messageId} has a bad or missing signature`),
      );
      return;
    }
    this.settle(p, header, message);
  }

  /**
   * MS-SMB2 3.2.5.1.3: verify signed responses; when the session requires signing, an unsigned
   * successful response is discarded. SESSION_SETUP is verified by the session itself because its
   * keys only exist once the exchange completes.
   */
  private signatureAcceptable(header: Smb2Header, message: Buffer, p: Pending): boolean {
    if (p.command === Command.SESSION_SETUP) return true;
    const security = this.sessions.get(header.sessionId) ?? p.session;
    const signed = (header.flags & HeaderFlags.SMB2_FLAGS_SIGNED) !== 0;
    if (signed && security?.signingKey)
      return verifyMessage(security.signingAlgorithm, security.signingKey, message);
    if (
      !signed &&
      security?.signingRequired &&
      security.signingKey &&
      header.status === NtStatus.STATUS_SUCCESS
    )
      return false;
    return true;
  }

  private settle(p: Pending, header: Smb2Header, message: Buffer): void {
    this.pending.delete(p.messageId);
    this.inFlightCharge -= p.charge;
    try {
      if (hasCommandBody(header.command, header.status) && !isErrorBody(header, message)) {
        p.resolve({
          header,
          status: header.status >>> 0,
          body: p.codec.decodeResponse(message),
          raw: message,
        });
      } else {
        const error = new SmbStatusError(header.status, header.command);
        try {
          Object.assign(error, { errorData: decodeErrorResponse(message).errorData });
        } catch {
          // Some servers send an empty ERROR body; the status alone is the answer.
        }
        if (p.stack) error.stack = `${error.stack}\n${p.stack.stack ?? ''}`;
        p.reject(error);
      }
    } catch (err) {
      this.stats.malformedMessages++;
      p.reject(
        err instanceof SmbBenchError
          ? err
          : new MalformedMessageError(`bad ${p.command} response`, { cause: err }),
      );
    }
  }

  private fail(messageId: bigint, error: Error): void {
    const p = this.pending.get(messageId);
    if (!p) return;
    this.pending.delete(messageId);
    this.inFlightCharge -= p.charge;
    p.reject(error);
  }

  private sweep(now: number): void {
    if (this.closedError) return;
    for (const p of this.pending.values()) {
      if (p.deadline <= now && this.liveness.silentSince(p.sentAt)) {
        this.stats.timeouts++;
        const waited = Math.round(now - p.sentAt);
        const error = new TransportError(
          `no SMB2 message from the server for ${waited} ms (waiting for ${commandName(p.command)} response): connection stalled, closed`,
        );
        // Every request on the connection fails with this one error; the socket goes too.
        this.onTransportClose(error);
        this.transport.destroy(error);
        return;
      }
    }
    for (const p of this.pending.values()) {
      if (p.deadline <= now) {
        this.stats.timeouts++;
        // A request the server holds (it went async) is cancelled, so the server lets it go too.
        if (p.asyncId !== undefined && !p.cancelled) this.cancel(p.messageId, p.session);
        this.fail(
          p.messageId,
          new TimeoutError(`no response to message ${p.messageId} (${commandName(p.command)}) in time`),
        );
      }
    }
  }

  private onTransportClose(error: TransportError | undefined): void {
    // A stalled connection is failed before its socket has finished closing (sweep).
    if (this.closedError) return;
    // Our own close() aborts what is outstanding; anything else is the server or network going away.
    const reason =
      error ??
      (this.closedByUs
        ? new AbortedError('connection closed by the client')
        : new TransportError('server closed the connection'));
    this.closedError = reason;
    this.unregisterSweeper();
    this.credits.abort(reason);
    for (const id of [...this.pending.keys()]) this.fail(id, reason);
    for (const l of this.closeListeners) l(error);
  }
}

/**
 * An ERROR body (StructureSize 9) where the command's own body was also possible, e.g. an IOCTL
 * failing with STATUS_BUFFER_OVERFLOW. SESSION_SETUP and QUERY_INFO responses are StructureSize 9
 * themselves (MS-SMB2 2.2.6, 2.2.38), so for them the status alone decides.
 */
function isErrorBody(header: Smb2Header, message: Buffer): boolean {
  if (header.status === NtStatus.STATUS_SUCCESS) return false;
  if (header.command === Command.SESSION_SETUP || header.command === Command.QUERY_INFO) return false;
  return message.length >= SMB2_HEADER_SIZE + 2 && message.readUInt16LE(SMB2_HEADER_SIZE) === 9;
}
