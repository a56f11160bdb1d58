/**
 * `model learn`: one streaming pass over a workload builds its user model (docs/model.md): the
 * Markov chain over `role:action` states, request templates, think-time and size distributions,
 * session lengths and the shape of the initial namespace. Nothing path- or name-specific is kept.
 */
import { irParentPath } from '../ir/index.js';
import type { IrNamespaceEntry, IrOp, IrPrologue, UserId } from '../ir/index.js';
import { LockFlags } from '../smb2/commands/lock.js';
import { hasWildcard } from '../smb2/fscc/search-pattern.js';
import { CategoricalBuilder } from './categorical.js';
import { MarkovChainBuilder } from './markov-chain.js';
import type {
  CreateTemplate,
  LockTemplate,
  QueryDirectoryTemplate,
  QueryInfoTemplate,
  UserModel,
} from './model-types.js';
import { MODEL_FORMAT, MODEL_VERSION } from './model-types.js';
import { CHAIN_END, CHAIN_START, chainState } from './path-role.js';
import { quantileTable } from './quantile-table.js';
import { UserTrace } from './user-trace.js';

export interface LearnSource extends IrPrologue {
  readonly workloadId: string | undefined;
  ops(): AsyncIterable<IrOp>;
}

class TemplateTally {
  readonly create = new Map<string, CategoricalBuilder<CreateTemplate>>();
  readonly close = new CategoricalBuilder<number>();
  readonly queryInfo = new CategoricalBuilder<QueryInfoTemplate>();
  readonly queryDirectory = new CategoricalBuilder<QueryDirectoryTemplate>();
  readonly lock = new CategoricalBuilder<LockTemplate>();
  readonly reads: number[] = [];
  readonly writes: number[] = [];
  readonly endOfFile: number[] = [];

  add(op: IrOp, role: string | undefined): void {
    switch (op.op) {
      case 'create': {
        if (role === undefined) return;
        let row = this.create.get(role);
        if (!row) this.create.set(role, (row = new CategoricalBuilder<CreateTemplate>()));
        row.add(createTemplate(op));
        return;
      }
      case 'close':
        return this.close.add(op.flags);
      case 'read':
        return void this.reads.push(op.length);
      case 'write':
        return void this.writes.push(op.length);
      case 'query_info':
        return this.queryInfo.add({
          infoType: op.infoType,
          infoClass: op.infoClass,
          outputBufferLength: op.outputBufferLength,
          ...(op.additionalInformation === undefined
            ? {}
            : { additionalInformation: op.additionalInformation }),
          status: op.status,
        });
      case 'query_directory':
        return this.queryDirectory.add({
          infoClass: op.infoClass,
          flags: op.flags,
          // A pattern naming one file would not match anything in a generated namespace.
          pattern: hasWildcard(op.pattern) ? op.pattern : '*',
          outputBufferLength: op.outputBufferLength,
        });
      case 'lock':
        // An unlock (MS-SMB2 2.2.26.1) only releases what a lock took: not a template to replay.
        for (const l of op.locks)
          if ((l.flags & LockFlags.SMB2_LOCKFLAG_UNLOCK) === 0) this.lock.add({ ...l });
        return;
      case 'set_info':
        if (op.info.kind === 'end_of_file' || op.info.kind === 'allocation')
          this.endOfFile.push(op.info.size);
        return;
      default:
        return;
    }
  }
}

function createTemplate(op: IrOp & { op: 'create' }): CreateTemplate {
  return {
    desiredAccess: op.desiredAccess,
    fileAttributes: op.fileAttributes,
    shareAccess: op.shareAccess,
    createDisposition: op.createDisposition,
    createOptions: op.createOptions,
    oplockLevel: op.oplockLevel,
    ...(op.impersonationLevel === undefined ? {} : { impersonationLevel: op.impersonationLevel }),
    ...(op.leaseState === undefined ? {} : { leaseState: op.leaseState }),
    ...(op.contexts === undefined ? {} : { contexts: [...op.contexts] }),
  };
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function learnNamespace(entries: readonly IrNamespaceEntry[], users: readonly UserId[]) {
  const filesPerUser = new Map<UserId, number>(users.map((u) => [u, 0]));
  const sizes: number[] = [];
  const depths: number[] = [];
  const perDir = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'file') continue;
    filesPerUser.set(e.user, (filesPerUser.get(e.user) ?? 0) + 1);
    sizes.push(e.size);
    depths.push(e.path.split('/').length - 1);
    const dirKey = `${e.user}\0${irParentPath(e.path) ?? ''}`;
    perDir.set(dirKey, (perDir.get(dirKey) ?? 0) + 1);
  }
  return {
    filesPerUser: quantileTable([...filesPerUser.values()]),
    fileSize: quantileTable(sizes),
    fileDepth: quantileTable(depths),
    filesPerDir: quantileTable([...perDir.values()]),
  };
}

export async function learnModel(ir: LearnSource, generator = 'smbench 0.1.0'): Promise<UserModel> {
  const traces = new Map<UserId, UserTrace>(ir.users.map((u) => [u.id, new UserTrace()]));
  const tally = new TemplateTally();
  let ops = 0;
  for await (const op of ir.ops()) {
    ops++;
    let trace = traces.get(op.user);
    if (!trace) traces.set(op.user, (trace = new UserTrace()));
    trace.add(op);
    const role = op.op === 'create' ? trace.sessions[trace.sessions.length - 1]?.role : undefined;
    tally.add(op, role);
  }

  const chain = new MarkovChainBuilder();
  const skipped: Record<string, number> = {};
  const within: number[] = [];
  const between: number[] = [];
  const starts: number[] = [];
  const opsPerUser: number[] = [];
  const durations: number[] = [];
  const opsPerSession: number[] = [];
  const extensions = new CategoricalBuilder<string>();
  let dirOpens = 0;
  let rootDirOpens = 0;
  for (const e of ir.namespace) if (e.kind === 'file') extensions.add(extensionOf(e.path));
  for (const trace of traces.values()) {
    if (trace.ops === 0) continue;
    let from = CHAIN_START;
    for (const s of trace.sessions) {
      opsPerSession.push(s.actions.length);
      for (const action of s.actions) {
        const to = chainState(s.role, action);
        chain.add(from, to);
        from = to;
      }
    }
    chain.add(from, CHAIN_END);
    for (const [k, n] of trace.skipped) skipped[k] = (skipped[k] ?? 0) + n;
    // A loop, not push(...): a long trace has more gaps than a call can take arguments.
    for (const g of trace.withinGaps) within.push(g);
    for (const g of trace.betweenGaps) between.push(g);
    starts.push(trace.firstT);
    opsPerUser.push(trace.ops);
    durations.push(trace.lastEnd - trace.firstT);
    dirOpens += trace.dirOpens;
    rootDirOpens += trace.rootDirOpens;
    for (const name of trace.createdNames) extensions.add(extensionOf(name));
  }

  const firstStart = starts.reduce((a, b) => Math.min(a, b), Infinity);
  const dialects = new CategoricalBuilder<number>();
  for (const u of ir.users) if (u.dialect !== undefined) dialects.add(u.dialect);
  const create: Record<string, ReturnType<CategoricalBuilder<CreateTemplate>['build']>> = {};
  for (const [role, row] of tally.create) create[role] = row.build();

  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    generator,
    createdAt: ir.header.createdAt,
    source: {
      workloadId: ir.workloadId ?? '',
      sources: ir.header.sources.map((s) => ({ ...s })),
      users: ir.users.length,
      ops,
      skipped,
    },
    chain: chain.build(),
    templates: {
      create,
      close: tally.close.build(),
      queryInfo: tally.queryInfo.build(),
      queryDirectory: tally.queryDirectory.build(),
      lock: tally.lock.build(),
    },
    think: {
      withinSession: quantileTable(within),
      betweenSessions: quantileTable(between),
      // Relative to the first user, so a trace that begins with a long idle stretch (the capture
      // started before anyone did anything) does not push every synthetic user past --duration.
      userStart: quantileTable(starts.map((t) => t - firstStart)),
    },
    sizes: {
      read: quantileTable(tally.reads),
      write: quantileTable(tally.writes),
      endOfFile: quantileTable(tally.endOfFile),
    },
    namespace: {
      ...learnNamespace(
        ir.namespace,
        ir.users.map((u) => u.id),
      ),
      rootDirShare: dirOpens === 0 ? 0 : rootDirOpens / dirOpens,
      extensions: extensions.build(),
    },
    users: {
      dialects: dialects.build(),
      opsPerUser: quantileTable(opsPerUser),
      durationUs: quantileTable(durations),
      opsPerSession: quantileTable(opsPerSession),
    },
  };
}
