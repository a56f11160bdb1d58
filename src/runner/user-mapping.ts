/**
 * Virtual users: the run's simulated clients. `--users N` virtual users are laid round-robin over
 * the workload's captured users (virtual user k replays IR user k mod U), over the credentials
 * (k mod C), and over the pooled connections (k div sessions-per-connection). Each virtual user
 * owns one directory under the run root, so no two of them ever touch the same path.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { IrUser } from '../ir/types.js';
import type { Credential } from './credentials.js';

export interface VirtualUserSpec {
  /** 0-based index k among the run's virtual users. */
  readonly index: number;
  /** The captured user whose ops this virtual user replays. */
  readonly irUser: IrUser;
  /** Which copy of irUser this is: k div (number of IR users). */
  readonly copy: number;
  /** Its directory under the run root: the IR user id for copy 0 (docs/ir.md), `<id>.<copy>` after. */
  readonly dirName: string;
  readonly credentialIndex: number;
  readonly credential: Credential;
  /** The pooled connection its session is multiplexed on. */
  readonly connectionIndex: number;
}

/** Connection k div sessionsPerConnection: consecutive users share a connection until it is full. */
export function connectionIndexFor(userIndex: number, sessionsPerConnection: number): number {
  if (!Number.isInteger(sessionsPerConnection) || sessionsPerConnection < 1) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `sessions per connection must be a positive integer, got ${sessionsPerConnection}`,
    );
  }
  return Math.floor(userIndex / sessionsPerConnection);
}

/** Number of connections a run of `userCount` users needs. */
export function connectionCountFor(userCount: number, sessionsPerConnection: number): number {
  return userCount === 0 ? 0 : connectionIndexFor(userCount - 1, sessionsPerConnection) + 1;
}

/** The directory name of copy `copy` of IR user `id`. Dots never occur in IR user ids (`u<n>`). */
export function userDirName(irUserId: string, copy: number): string {
  return copy === 0 ? irUserId : `${irUserId}.${copy}`;
}

export interface UserMappingInput {
  readonly irUsers: readonly IrUser[];
  /** Number of virtual users; defaults to one per IR user. */
  readonly users?: number;
  readonly credentials: readonly Credential[];
  readonly sessionsPerConnection: number;
}

export function mapVirtualUsers(input: UserMappingInput): VirtualUserSpec[] {
  const { irUsers, credentials, sessionsPerConnection } = input;
  if (irUsers.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'the workload has no users to replay');
  if (credentials.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'no credentials to log in with');
  const count = input.users ?? irUsers.length;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new SmbBenchError(ErrorCode.USAGE, `--users must be a positive integer, got ${count}`);
  }
  const specs: VirtualUserSpec[] = [];
  for (let k = 0; k < count; k++) {
    const irUser = irUsers[k % irUsers.length]!;
    const copy = Math.floor(k / irUsers.length);
    const credentialIndex = k % credentials.length;
    specs.push({
      index: k,
      irUser,
      copy,
      dirName: userDirName(irUser.id, copy),
      credentialIndex,
      credential: credentials[credentialIndex]!,
      connectionIndex: connectionIndexFor(k, sessionsPerConnection),
    });
  }
  return specs;
}

/** The IR user ids that at least one virtual user replays (ops of the others need not be read). */
export function replayedIrUsers(specs: readonly VirtualUserSpec[]): Set<string> {
  return new Set(specs.map((s) => s.irUser.id));
}
