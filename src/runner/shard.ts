/**
 * Splitting one run's virtual users across processes (`--shard i/N`) and worker threads
 * (`--workers W`). Both splits are pure functions of the user index k, so N shard processes on N
 * machines together replay exactly the users a single process would, each user with the same
 * captured user, account and directory (user-mapping.ts) whatever the split:
 *
 * - shard i of N takes the users with k mod N == i (independent of the worker count);
 * - inside a process, worker w of W takes the users at positions p with p mod W == w among the
 *   process's users (so W workers get equal shares even when W and N share a factor).
 *
 * Connections are per process (and per worker): after a split, users are packed onto that
 * process's own pooled connections by their position in it (p div sessions-per-connection).
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { connectionIndexFor, type VirtualUserSpec } from './user-mapping.js';

export interface ShardSpec {
  /** 0-based index of this shard. */
  readonly index: number;
  /** Number of shards the run is split into. */
  readonly count: number;
}

/** The largest shard count accepted; far beyond any real fleet, small enough to catch typos. */
export const MAX_SHARDS = 100_000;

/** Parses `i/N` (0 <= i < N), as in `--shard $(JOB_COMPLETION_INDEX)/8`. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count)) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--shard must look like i/N (e.g. 0/4), got ${JSON.stringify(text)}`,
    );
  }
  if (count < 1 || count > MAX_SHARDS) {
    throw new SmbBenchError(ErrorCode.USAGE, `--shard: N must be in 1..${MAX_SHARDS}, got ${count}`);
  }
  if (index >= count) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--shard: i must be in 0..${count - 1} (shards are numbered from 0), got ${index}/${count}`,
    );
  }
  return { index, count };
}

/** `i/N`, the form used in results.meta and metric labels. */
export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}

/** Whether virtual user k belongs to the shard. */
export function inShard(userIndex: number, shard: ShardSpec | undefined): boolean {
  return shard === undefined || userIndex % shard.count === shard.index;
}

/**
 * Re-packs users onto the connections of the process (or worker) that runs them: the user at
 * position p goes on connection p div sessionsPerConnection. Everything else is kept.
 */
export function packConnections(
  specs: readonly VirtualUserSpec[],
  sessionsPerConnection: number,
): VirtualUserSpec[] {
  return specs.map((spec, position) => {
    const connectionIndex = connectionIndexFor(position, sessionsPerConnection);
    return spec.connectionIndex === connectionIndex ? spec : { ...spec, connectionIndex };
  });
}

/** The users of one shard (all users without a shard), packed onto the shard's own connections. */
export function selectShard(
  specs: readonly VirtualUserSpec[],
  shard: ShardSpec | undefined,
  sessionsPerConnection: number,
): VirtualUserSpec[] {
  return packConnections(
    specs.filter((s) => inShard(s.index, shard)),
    sessionsPerConnection,
  );
}

/**
 * Splits a process's users over `workers` threads: position p goes to worker p mod workers. Each
 * part is packed onto that worker's own connections. Workers beyond the user count get nothing.
 */
export function splitForWorkers(
  specs: readonly VirtualUserSpec[],
  workers: number,
  sessionsPerConnection: number,
): VirtualUserSpec[][] {
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new SmbBenchError(ErrorCode.USAGE, `--workers must be a positive integer, got ${workers}`);
  }
  const parts: VirtualUserSpec[][] = Array.from({ length: workers }, () => []);
  specs.forEach((spec, position) => parts[position % workers]!.push(spec));
  return parts.map((part) => packConnections(part, sessionsPerConnection));
}
