/**
 * Checks a stream of IR records in file order, one record at a time, in bounded memory per user.
 *
 * The same checker serves three callers with different appetites: the writer (throws on the first
 * problem, so a compiler bug never reaches disk), the reader (structure only: order, seq, time, users,
 * counts) and the validator (everything, collecting every problem). Content-hash comparison is the
 * caller's job because only the caller sees the bytes.
 */
import type { IrRecord } from '../schema/record-schema.js';
import type { IrEnd, IrHeader, IrNamespaceEntry, IrOp, IrUser, RecordType } from '../types.js';
import { NamespaceCheck } from './namespace-check.js';
import { UserOpState } from './user-op-state.js';

export type ReportAt = (line: number, message: string) => void;

export interface StreamCheckOptions {
  /** Also check handles, deps, cancel targets, compounds, payload mode and the namespace. */
  readonly semantics: boolean;
}

const PHASE = { start: 0, users: 1, ns: 2, ops: 3, ended: 4 } as const;
type Phase = (typeof PHASE)[keyof typeof PHASE];

const PHASE_OF_TYPE: Record<RecordType, Phase> = {
  header: PHASE.start,
  user: PHASE.users,
  ns: PHASE.ns,
  op: PHASE.ops,
  end: PHASE.ended,
};

const PLURAL: Record<RecordType, string> = {
  header: 'the header',
  user: 'user records',
  ns: 'ns records',
  op: 'op records',
  end: 'the end record',
};

export class IrStreamChecker {
  private phase: Phase = PHASE.start;
  /** Type of the last record accepted, so "users after ns" is reported with the right names. */
  private lastType: RecordType | undefined;
  private header: IrHeader | undefined;
  private readonly users = new Map<string, UserOpState | undefined>();
  private readonly namespace: NamespaceCheck | undefined;
  private nsCount = 0;
  private opCount = 0;
  private lastSeq = -1;
  private lastT = 0;

  constructor(
    private readonly report: ReportAt,
    private readonly options: StreamCheckOptions,
  ) {
    this.namespace = options.semantics ? new NamespaceCheck() : undefined;
  }

  get ops(): number {
    return this.opCount;
  }

  /**
   * Checks the next record. `parsed` is undefined when the record failed its schema but its `type`
   * could be read; then only its position is checked.
   */
  record(line: number, type: RecordType, parsed: IrRecord | undefined): void {
    if (!this.checkOrder(line, type)) return;
    // Counted even when the record failed its schema, so end.ops is not reported twice over.
    if (type === 'op') this.opCount++;
    else if (type === 'ns') this.nsCount++;
    if (!parsed) return;
    switch (parsed.type) {
      case 'header':
        this.header = parsed.record;
        return;
      case 'user':
        return this.user(parsed.record, line);
      case 'ns':
        return this.ns(parsed.record, line);
      case 'op':
        return this.op(parsed.record, line);
      case 'end':
        return this.end(parsed.record, line);
    }
  }

  /** Call after the last record; `lines` is how many lines the file had. */
  finish(lines: number): void {
    if (this.phase !== PHASE.ended) {
      this.report(lines + 1, 'missing end record (the file is truncated)');
      this.leavePrologue();
    }
    for (const state of this.users.values()) state?.finish(this.report);
  }

  private checkOrder(line: number, type: RecordType): boolean {
    const want = PHASE_OF_TYPE[type];
    if (this.phase === PHASE.ended) {
      this.report(line, `${type} record after the end record`);
      return false;
    }
    if (this.phase === PHASE.start && type !== 'header') {
      this.report(line, 'the first record must be the header');
      this.phase = PHASE.users;
    }
    if (type === 'header' && this.lastType !== undefined) {
      this.report(line, 'duplicate header');
      return false;
    }
    if (want < this.phase) {
      this.report(line, `${PLURAL[type]} must come before ${PLURAL[this.lastType ?? 'header']}`);
      return false;
    }
    if (want > PHASE.ns && this.phase <= PHASE.ns) this.leavePrologue();
    this.phase = want === PHASE.start ? PHASE.users : want;
    this.lastType = type;
    return true;
  }

  private leavePrologue(): void {
    this.namespace?.finish(this.report);
  }

  private user(user: IrUser, line: number): void {
    if (this.users.has(user.id)) {
      this.report(line, `user.id ${user.id} is already defined`);
      return;
    }
    this.users.set(user.id, this.options.semantics ? new UserOpState(user.id) : undefined);
  }

  private ns(entry: IrNamespaceEntry, line: number): void {
    if (!this.users.has(entry.user)) {
      this.report(line, `ns.user ${entry.user} is not a defined user`);
      return;
    }
    this.namespace?.add(entry, line, this.report);
  }

  private op(op: IrOp, line: number): void {
    if (op.seq <= this.lastSeq) this.report(line, `op.seq ${op.seq} must be greater than ${this.lastSeq}`);
    else this.lastSeq = op.seq;
    if (op.t < this.lastT)
      this.report(line, `op.t ${op.t} must not be less than ${this.lastT} (ops are in time order)`);
    else this.lastT = op.t;
    if (!this.users.has(op.user)) {
      this.report(line, `op.user ${op.user} is not a defined user`);
      return;
    }
    if (!this.options.semantics) return;
    if (op.op === 'write' && op.data !== undefined && this.header?.payloads !== 'data') {
      this.report(line, 'op.data must be absent when header.payloads is "sizes"');
    }
    this.users.get(op.user)?.check(op, line, (message) => this.report(line, message));
  }

  private end(end: IrEnd, line: number): void {
    if (end.ops !== this.opCount) {
      this.report(line, `end.ops is ${end.ops} but the file has ${this.opCount} op records`);
    }
    const counts = this.header?.counts;
    if (!counts) return;
    const actual = { users: this.users.size, ops: this.opCount, namespace: this.nsCount };
    for (const key of ['users', 'ops', 'namespace'] as const) {
      if (counts[key] !== actual[key]) {
        this.report(1, `header.counts.${key} is ${counts[key]} but the file has ${actual[key]}`);
      }
    }
  }
}
