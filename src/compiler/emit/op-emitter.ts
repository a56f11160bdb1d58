/**
 * Turns settled requests into IR op records, in request order. This is where IR identities are
 * born: seqs are numbered here (so they grow with `t`), handles get their `h<n>` when their CREATE
 * is emitted (so they grow per user in op order), and deps become seqs. An op whose handle never
 * got a name (its CREATE was skipped) is skipped too, so every emitted handle use is valid.
 */
import { handleId } from '../../ir/ids.js';
import { isNtError, NtStatus, ntStatusName } from '../../smb2/nt-status.js';
import type { CompileStats, SkipReason } from '../compile-stats.js';
import type { HandleRef } from '../correlate/handle-ref.js';
import { STATUS_PENDING, type PendingOp } from '../correlate/pending-op.js';
import { depSeqs } from '../infer/dependency-tracker.js';
import type { Anonymizer } from './anonymizer.js';
import type { OpSink } from './op-sink.js';

const NO_SURVIVORS: readonly PendingOp[] = [];

export class OpEmitter {
  private nextSeq = 0;
  private lastT = 0;
  /** Capture time of t = 0, microseconds since the epoch. */
  traceStart = 0;

  constructor(
    private readonly stats: CompileStats,
    private readonly sink: OpSink,
    private readonly anonymizer: Anonymizer | undefined,
  ) {}

  /** Emits a queue entry: one op, or a whole compound chain (MS-SMB2 3.2.4.1.4) at once. */
  emit(head: PendingOp): void {
    if (head.chain === undefined) {
      // The common case, without the chain bookkeeping.
      if (head.preludes !== undefined) this.writePreludes(head);
      if (head.kind === undefined || !this.survives(head, NO_SURVIVORS)) return;
      this.write(head, this.clamp(head.tReq - this.traceStart), '', false);
      return;
    }
    // Synthesised CREATEs of pre-opened FileIds go before the chain, never inside it.
    for (const m of head.chain) if (m.preludes !== undefined) this.writePreludes(m);
    const survivors: PendingOp[] = [];
    let neededFailed: HandleRef[] | undefined;
    for (const m of head.chain) {
      if (m.kind === undefined || !this.survives(m, survivors)) continue;
      const h = m.handle;
      if (h !== undefined && h.irHandle === undefined && h.failed) (neededFailed ??= []).push(h);
      survivors.push(m);
    }
    head.chain = undefined;
    if (survivors.length === 0) return;
    const t = this.clamp(head.tReq - this.traceStart);
    const size = survivors.length;
    const chainId = size >= 2 ? this.nextSeq : -1;
    for (let i = 0; i < size; i++) {
      const m = survivors[i]!;
      const compound =
        chainId < 0
          ? ''
          : `,"compound":{"id":${chainId},"index":${i},"size":${size},"related":${i > 0 && m.related}}`;
      this.write(m, t, compound, m.newHandle !== undefined && (neededFailed?.includes(m.newHandle) ?? false));
    }
  }

  /** The synthesised ops `m` assumes, such as the CREATE of a FileId opened before the capture. */
  private writePreludes(m: PendingOp): void {
    const preludes = m.preludes!;
    m.preludes = undefined;
    for (const p of preludes) this.write(p, this.clamp(p.tReq - this.traceStart), '', false);
  }

  /** Numbers, names and writes one op. */
  private write(m: PendingOp, t: number, compound: string, keepFailedHandle: boolean): void {
    m.seq = this.nextSeq++;
    const created = m.newHandle;
    if (created !== undefined && (keepFailedHandle || !isNtError(m.status))) {
      created.irHandle = handleId(m.user!.nextHandle++);
    }
    // A fresh handle no create opens: replay sends a FileId the target never granted either.
    const neverOpened = m.unknownFileId ? handleId(m.user!.nextHandle++) : undefined;
    this.writeLine(m, t, compound, neverOpened);
    // An emitted op is needed only as someone's dependency (its seq and user): drop its links to
    // older ops, or every op would keep the whole history alive through its deps.
    m.deps = undefined;
    m.cancelTarget = undefined;
    this.stats.ops++;
    this.stats.opsByKind[m.kind!]++;
    m.user!.ops++;
  }

  /** False (and the skip counted) when the op cannot be emitted. */
  private survives(m: PendingOp, survivors: readonly PendingOp[]): boolean {
    const reason = this.skipReason(m, survivors);
    if (reason === undefined) return true;
    m.skip ??= reason;
    this.stats.skipped[reason]++;
    return false;
  }

  private skipReason(m: PendingOp, survivors: readonly PendingOp[]): SkipReason | undefined {
    if (m.skip !== undefined) return m.skip;
    if (!m.complete && !m.forced) return 'noResponse';
    if (m.forced && m.kind === 'create') return 'noResponse';
    if (m.kind === 'cancel') {
      const target = m.cancelTarget;
      return target !== undefined && target.seq >= 0 && target.user === m.user
        ? undefined
        : 'cancelWithoutTarget';
    }
    const h = m.handle;
    if (h !== undefined && h.irHandle === undefined && !survivors.includes(h.create)) return 'orphanHandle';
    // Still unanswered when emitted: whether the server knew the FileId was never learned.
    if (m.unknownFileId && m.forced) return m.neverGranted ? 'noResponse' : 'unknownHandle';
    if (m.unknownFileId && !m.neverGranted && m.status >>> 0 !== NtStatus.STATUS_FILE_CLOSED)
      return 'unknownHandle';
    return undefined;
  }

  private clamp(t: number): number {
    if (t < this.lastT) {
      this.stats.clampedTimes++;
      return this.lastT;
    }
    this.lastT = t;
    return t;
  }

  /**
   * The op's JSON line, written piece by piece into the sink's chunk: field values are written as
   * JSON.stringify would (so strings are escaped exactly as JSON requires), but neither the record
   * object nor the line as a string is ever built, which keeps the hot path free of dictionary-mode
   * objects and of a string per op to encode and collect.
   */
  private writeLine(m: PendingOp, t: number, compound: string, neverOpened: string | undefined): void {
    const out = this.sink;
    const handle = m.kind === 'create' ? m.newHandle?.irHandle : (m.handle?.irHandle ?? neverOpened);
    out.literal('{"type":"op","seq":');
    out.number(m.seq);
    out.literal(',"user":"');
    out.literal(m.user!.id);
    out.literal('","t":');
    out.number(t);
    out.literal(',"op":"');
    out.literal(m.kind!);
    out.literal('"');
    if (handle !== undefined) {
      out.literal(',"handle":"');
      out.literal(handle);
      out.literal('"');
    }
    if (neverOpened !== undefined) out.literal(',"neverOpened":true');
    const f = m.fields;
    const anon = this.anonymizer;
    for (const key in f) {
      let v = f[key];
      if (v === undefined) continue;
      if (anon !== undefined) v = anonymizeField(anon, key, v);
      out.literal(',"');
      out.literal(key);
      out.literal('":');
      if (typeof v === 'number') out.number(v);
      else out.json(v);
    }
    if (m.kind === 'cancel') {
      out.literal(',"target":');
      out.number(m.cancelTarget!.seq);
    }
    const status = m.forced ? STATUS_PENDING : m.status >>> 0;
    out.literal(',"status":');
    out.number(status);
    if (status !== 0) {
      out.literal(',"statusName":');
      out.json(ntStatusName(status));
    }
    out.literal(',"deps":[');
    if (m.deps !== undefined) {
      const deps = depSeqs(m);
      for (let i = 0; i < deps.length; i++) {
        if (i > 0) out.literal(',');
        out.number(deps[i]!);
      }
    }
    out.literal(']');
    if (compound !== '') out.literal(compound);
    if (m.complete && !m.forced && m.tResp >= m.tReq) {
      out.literal(',"latencyUs":');
      out.number(m.tResp - m.tReq);
    }
    out.literal('}');
    out.endLine();
  }
}

/** Path-bearing fields under `--anonymize` (docs/compiler.md, "Anonymisation"). */
function anonymizeField(anon: Anonymizer, key: string, v: unknown): unknown {
  if (key === 'path' && typeof v === 'string') return anon.path(v);
  if (key === 'pattern' && typeof v === 'string') return anon.pattern(v);
  if (key === 'info') {
    const info = v as Record<string, unknown>;
    if (typeof info['newPath'] === 'string') return { ...info, newPath: anon.path(info['newPath']) };
  }
  return v;
}
