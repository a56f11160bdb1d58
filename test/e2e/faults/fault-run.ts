/**
 * Shared pieces of the fault tests: the office workload replayed by a few virtual users through
 * the fault proxy, the accounting every faulted run must satisfy (ops planned = completed +
 * failed + skipped, each op counted once in every tally), a bound that turns a hang into a test
 * failure, and finding the smbd process that serves a proxied connection.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { RunResults } from '../../../src/observe/run-results.js';
import { runWorkload, type RunOutcome } from '../../../src/runner/runner.js';
import type { RunOptions } from '../../../src/runner/run-options.js';
import { makePacing } from '../../../src/scheduler/pacing.js';
import type { SambaLab } from '../fixtures/lab-fixture.js';
import type { FaultProxy } from '../../support/fault-proxy.js';

/** Virtual users per faulted run (all on one pooled connection, as 64 sessions per connection allow). */
export const FAULT_USERS = 4;

export interface OpAccount {
  readonly planned: number;
  readonly completed: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * Checks that every planned op is accounted for exactly once and returns the split. Sent ops
 * (completed or failed) must appear once in every per-op tally: kinds, histograms, fidelity,
 * time series.
 */
export function assertAccounted(r: RunResults, planned: number, label: string): OpAccount {
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

/**
 * Pids of the smbd processes serving the proxy's connections: smbd forks one child per TCP
 * connection, and `ss -p` names the process owning the server end (lab port -> proxy's port).
 */
export async function smbdServing(lab: SambaLab, proxy: FaultProxy): Promise<number[]> {
  const ports = new Set(proxy.upstreamPorts);
  const out = await new Promise<string>((resolve, reject) => {
    execFile('ss', ['-tnpH', 'state', 'established', `( sport = :${lab.port} )`], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
  const pids = new Set<number>();
  for (const line of out.split('\n')) {
    const peer = /\s\S+:(\d+)\s+users:/.exec(line);
    const pid = /pid=(\d+)/.exec(line);
    if (peer && pid && ports.has(Number(peer[1]))) pids.add(Number(pid[1]));
  }
  return [...pids];
}
