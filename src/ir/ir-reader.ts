/**
 * Reads `.smbw` workloads. `readIr` loads the prologue (header, users, initial namespace) eagerly and
 * streams ops lazily, so a multi-million-op trace replays in constant memory; `readIrFully` loads
 * everything for small files and tests. Records are deep-frozen.
 *
 * Checks while reading are the cheap, structural ones (schema, record order, seq and time order,
 * known users, counts, content hash). Handle lifecycles and deps are checked by `validateIr`.
 */
import { deepFreeze } from './deep-freeze.js';
import { workloadIdFromSha256 } from './ids.js';
import { irErrorAt } from './ir-error.js';
import { streamIrRecords } from './record-stream.js';
import type { NumberedRecord } from './record-stream.js';
import type {
  IrDocument,
  IrEnd,
  IrHeader,
  IrNamespaceEntry,
  IrOp,
  IrPrologue,
  IrUser,
  UserId,
} from './types.js';
import { verifyIrContentHash } from './verify-hash.js';

export interface ReadIrOptions {
  /**
   * Verify the content hash before returning (one extra decompression pass), so `end` and
   * `workloadId` are known up front and a damaged file is refused before any op is used. Default
   * true. When false, the hash is still verified when `ops()` reaches the end of the file.
   */
  readonly verifyHash?: boolean;
}

export interface OpsFilter {
  /** Only yield ops of these users (e.g. a worker's shard); the others are still read and checked. */
  readonly users?: Iterable<UserId>;
}

export interface IrReader extends IrPrologue {
  readonly path: string;
  /** The end record, when known: after the up-front hash check, or once `ops()` has run to the end. */
  readonly end: IrEnd | undefined;
  /** First 16 hex digits of the content hash, when `end` is known. */
  readonly workloadId: string | undefined;
  /** Streams ops in file order. Each call starts a fresh pass, so it may be iterated more than once. */
  ops(filter?: OpsFilter): AsyncIterable<IrOp>;
  /** Releases the file if `ops()` was never run to completion. */
  close(): Promise<void>;
}

type RecordBatches = AsyncGenerator<readonly NumberedRecord[]>;

function openRecords(path: string): RecordBatches {
  return streamIrRecords(
    path,
    (line, message) => {
      throw irErrorAt(path, line, message);
    },
    { semantics: false },
  );
}

/** A record stream positioned after the prologue: the rest of the current batch, then the stream. */
interface ParkedStream {
  readonly batches: RecordBatches;
  readonly rest: readonly NumberedRecord[];
}

class IrFileReader implements IrReader {
  end: IrEnd | undefined;
  /** The stream that read the prologue, parked on the first op, for the first `ops()` call. */
  private parked: ParkedStream | undefined;

  constructor(
    readonly path: string,
    readonly header: IrHeader,
    readonly users: readonly IrUser[],
    readonly namespace: readonly IrNamespaceEntry[],
    parked: ParkedStream,
    end: IrEnd | undefined,
  ) {
    this.parked = parked;
    this.end = end;
  }

  get workloadId(): string | undefined {
    return this.end && workloadIdFromSha256(this.end.sha256);
  }

  async *ops(filter: OpsFilter = {}): AsyncGenerator<IrOp> {
    const wanted = filter.users ? new Set(filter.users) : undefined;
    const parked = this.parked ?? (await readPrologue(openRecords(this.path), this.path)).parked;
    this.parked = undefined;
    const { batches } = parked;
    try {
      let batch: readonly NumberedRecord[] | undefined = parked.rest;
      while (batch) {
        for (const { record } of batch) {
          if (record.type === 'op') {
            if (!wanted || wanted.has(record.record.user)) yield deepFreeze(record.record);
          } else if (record.type === 'end') {
            this.end = deepFreeze(record.record);
          }
        }
        const step = await batches.next();
        batch = step.done ? undefined : step.value;
      }
    } finally {
      await batches.return(undefined);
    }
  }

  async close(): Promise<void> {
    const parked = this.parked;
    this.parked = undefined;
    await parked?.batches.return(undefined);
  }
}

/** Reads header, users and ns from a fresh stream and parks it on the first op or end record. */
async function readPrologue(
  batches: RecordBatches,
  path: string,
): Promise<IrPrologue & { readonly parked: ParkedStream }> {
  let header: IrHeader | undefined;
  const users: IrUser[] = [];
  const namespace: IrNamespaceEntry[] = [];
  let rest: readonly NumberedRecord[] = [];
  try {
    // Manual next(): leaving a for-await early would close the generator we park.
    outer: for (let step = await batches.next(); !step.done; step = await batches.next()) {
      const batch = step.value;
      for (let i = 0; i < batch.length; i++) {
        const { record } = batch[i]!;
        if (record.type === 'header') header = deepFreeze(record.record);
        else if (record.type === 'user') users.push(deepFreeze(record.record));
        else if (record.type === 'ns') namespace.push(deepFreeze(record.record));
        else {
          rest = batch.slice(i);
          break outer;
        }
      }
    }
  } catch (err) {
    await batches.return(undefined);
    throw err;
  }
  // The stream checker already threw for a missing header; this only satisfies the types.
  if (!header) throw irErrorAt(path, 1, 'missing header');
  return {
    header,
    users: Object.freeze(users),
    namespace: Object.freeze(namespace),
    parked: { batches, rest },
  };
}

export async function readIr(path: string, options: ReadIrOptions = {}): Promise<IrReader> {
  const end = options.verifyHash === false ? undefined : deepFreeze(await verifyIrContentHash(path));
  const p = await readPrologue(openRecords(path), path);
  return new IrFileReader(path, p.header, p.users, p.namespace, p.parked, end);
}

/** Reads a whole workload into memory. For small files, tests and tools; the runner streams. */
export async function readIrFully(path: string): Promise<IrDocument> {
  const reader = await readIr(path, { verifyHash: false });
  const ops: IrOp[] = [];
  for await (const op of reader.ops()) ops.push(op);
  const end = reader.end;
  // ops() runs the stream to its end, where a missing end record has already thrown.
  if (!end) throw irErrorAt(path, 1, 'missing end record');
  return Object.freeze({
    header: reader.header,
    users: reader.users,
    namespace: reader.namespace,
    ops: Object.freeze(ops),
    end,
    workloadId: workloadIdFromSha256(end.sha256),
  });
}
