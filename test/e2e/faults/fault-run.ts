/**
 * Shared pieces of the fault tests: the office workload replayed by a few virtual users through
 * the fault proxy, the accounting every faulted run must satisfy (ops planned = completed +
 * failed + skipped, each op counted once in every tally), a bound that turns a hang into a test
 * failure, and finding the smbd process that serves a proxied connection.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readIr } from '../../../src/ir/ir-reader.js';
import type { RunResults } from '../../../src/observe/run-results.js';
import { runWorkload, type RunOutcome } from '../../../src/runner/runner.js';
import type { RunOptions } from '../../../src/runner/run-options.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import type { SambaLab } from '../fixtures/lab-fixture.js';
import { FaultProxy } from '../../support/fault-proxy.js';
import { writeRunnerWorkload } from '../runner/runner-workload.js';
import { writeLeaseWorkload } from './lease-workload.js';

/** Virtual users per faulted run (all on one pooled connection, as 64 sessions per connection allow). */
export const FAULT_USERS = 4;

export interface OpAccount {
  readonly planned: number;
  readonly completed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** What a run should do: its op count, in all and per op kind. */
export interface PlannedOps {
  readonly planned: number;
  readonly plannedByKind: Readonly<Record<string, number>>;
}

/**
 * Checks that every planned op is accounted for exactly once and returns the split: per op kind,
 * sent + skipped equals the workload's count (so a retried op counted twice cannot hide an op
 * lost elsewhere), and every sent op (completed or failed) appears once in every per-op tally:
 * kinds, histograms, fidelity, time series.
 */
export function assertAccounted(r: RunResults, w: PlannedOps, label: string): OpAccount {
  const planned = w.planned;
  const skipped = Object.values(r.skips).reduce((a, b) => a + b, 0);
  const account = {
    planned,
    completed: r.totals.ops - r.totals.errors,
    failed: r.totals.errors,
    skipped,
  };
  const detail = `${label}: ${JSON.stringify({ ...account, skips: r.skips, errors: r.errorsByStatus })}`;
  assert.equal(r.totals.ops + skipped, planned, `ops planned = completed + failed + skipped (${detail})`);
  assert.equal(r.service.count, r.totals.ops, `${label}: service histogram counts each op once`);
  let ops = 0;
  let errors = 0;
  for (const [kind, k] of Object.entries(r.perKind)) {
    ops += k.ops;
    errors += k.errors;
    assert.equal(k.service.count, k.ops, `${label}: ${kind} service histogram`);
    assert.equal(k.fidelity.matched + k.fidelity.mismatched, k.ops, `${label}: ${kind} fidelity`);
  }
  assert.equal(ops, r.totals.ops, `${label}: per-kind ops add up to the total`);
  const accounted: Record<string, number> = {};
  for (const [kind, k] of Object.entries(r.perKind)) accounted[kind] = k.ops;
  for (const [key, n] of Object.entries(r.skips)) {
    const kind = key.slice(0, key.indexOf(':'));
    accounted[kind] = (accounted[kind] ?? 0) + n;
  }
  assert.deepEqual(accounted, w.plannedByKind, `${label}: per kind, sent + skipped = planned`);
  assert.equal(errors, r.totals.errors, `${label}: per-kind errors add up to the total`);
  assert.equal(
    r.timeSeries.reduce((n, p) => n + p.ops, 0),
    r.totals.ops,
    `${label}: time series counts each op once`,
  );
  return account;
}

/** Rejects when `work` has not settled within `ms`: a hang fails the test instead of stalling CI. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FaultRunOptions {
  readonly lab: SambaLab;
  /** Where the run connects: the fault proxy, or a port nothing listens on. */
  readonly via: { readonly host: string; readonly port: number };
  readonly workload: string;
  readonly runRoot: string;
  readonly extra?: Partial<RunOptions>;
}

/** The office workload by FAULT_USERS users at max pacing, through the proxy, prepared first. */
export function runThroughProxy(o: FaultRunOptions): Promise<RunOutcome> {
  const u = o.lab.users[0]!;
  return runWorkload({
    workload: o.workload,
    target: { host: o.via.host, port: o.via.port, share: o.lab.shares[0]!.name },
    credentials: [{ user: u.user, password: u.password, domain: '' }],
    users: FAULT_USERS,
    runRoot: o.runRoot,
    pacing: makePacing('max'),
    prepare: true,
    progress: false,
    ...o.extra,
  });
}

/** A workload of the fault tests, measured by one clean run through the proxy. */
export interface FaultWorkload extends PlannedOps {
  readonly path: string;
  /** Server PDUs of the clean run (prepare + replay): faults are aimed at a share of it. */
  readonly cleanPdus: number;
  /** Run options the workload is replayed with (durable, pacing). */
  readonly extra: Partial<RunOptions>;
}

/** Lease workload: reads per user, enough that a fault lands while the handles are open. */
const LEASE_READS = 40;

/** The office workload (runner-workload.ts), replayed at max pacing without durable handles. */
export function officeWorkload(lab: SambaLab, dir: string): Promise<FaultWorkload> {
  const path = join(dir, 'office.smbw');
  return writeRunnerWorkload(path, 2).then(() => measure(lab, path, {}));
}

/** The lease workload (lease-workload.ts), with durable handles, spread over a second by recorded pacing. */
export function leaseWorkload(lab: SambaLab, dir: string): Promise<FaultWorkload> {
  const path = join(dir, 'leases.smbw');
  return writeLeaseWorkload(path, FAULT_USERS, LEASE_READS).then(() =>
    measure(lab, path, { durable: true, pacing: makePacing('recorded', 1) }),
  );
}

/**
 * The ops FAULT_USERS virtual users replay: each captured user's stream once per virtual user
 * mapped onto it (user k replays captured user k mod n; FAULT_USERS is a multiple of n here).
 */
async function plannedOps(path: string): Promise<PlannedOps> {
  const reader = await readIr(path);
  try {
    const replays = FAULT_USERS / reader.users.length;
    assert.ok(Number.isInteger(replays), 'every captured user is replayed equally often');
    const plannedByKind: Record<string, number> = {};
    let planned = 0;
    for await (const op of reader.ops()) {
      plannedByKind[op.op] = (plannedByKind[op.op] ?? 0) + replays;
      planned += replays;
    }
    return { planned, plannedByKind };
  } finally {
    await reader.close();
  }
}

/** A clean run through the proxy: nothing fails, and how many PDUs that takes. */
async function measure(lab: SambaLab, path: string, extra: Partial<RunOptions>): Promise<FaultWorkload> {
  const planned = await plannedOps(path);
  const proxy = await FaultProxy.start(lab);
  try {
    const clean = await runThroughProxy({ lab, via: proxy, workload: path, runRoot: 'clean', extra });
    assert.equal(assertAccounted(clean.results, planned, `clean run of ${path}`).failed, 0);
    return { path, ...planned, cleanPdus: proxy.serverPdus, extra };
  } finally {
    await proxy.close();
  }
}

/** One line per faulted run, for the figures in docs/reliability.md. */
export function describeRun(label: string, account: OpAccount, r: RunResults, proxy?: FaultProxy): string {
  const facts = {
    ...account,
    ...(proxy ? { injected: proxy.injected.length } : {}),
    reconnects: r.meta['reconnects'],
    retries: r.retries,
    handlesAfterRecovery: r.meta['handlesAfterRecovery'],
    skips: r.skips,
    errors: r.errorsByStatus,
  };
  return `${label}: ${JSON.stringify(facts)}`;
}

/**
 * Pids of the smbd processes serving the proxy's connections. smbd forks one child per TCP
 * connection; the kernel's socket table (/proc/net/tcp) gives the inode of each server end
 * (lab port <-> the proxy's local port), and /proc/<pid>/fd names the process holding it. Read
 * from /proc directly so the tests need no iproute2.
 */
export async function smbdServing(lab: SambaLab, proxy: FaultProxy): Promise<number[]> {
  const peers = new Set(proxy.upstreamPorts);
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt(cols[1]!.split(':').pop()!, 16);
      const remotePort = parseInt(cols[2]!.split(':').pop()!, 16);
      if (localPort === lab.port && peers.has(remotePort)) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === lab.pid) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** Whether process `pid` has exited (gone, or a zombie not yet reaped by its parent). */
export async function isGone(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true;
  // The state follows the parenthesised command name: "1234 (smbd) Z ...".
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}
