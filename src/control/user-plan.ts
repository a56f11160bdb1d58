/**
 * The names of the accounts to provision: `<prefix><zero-padded index>`, e.g. sbu0001..sbu5000.
 * Zero padding keeps them sorted in listings and makes every name the same length, which matters
 * because sAMAccountName is capped at 20 characters.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { samAccountNameProblem } from './ad-attributes.js';

export interface UserPlanInput {
  readonly prefix: string;
  readonly count: number;
  /** First index; default 1. */
  readonly start?: number;
  /** Minimum digits; default 4 (or more if the last index needs them). */
  readonly digits?: number;
}

export const MAX_USERS = 100_000;

export function planUserNames(input: UserPlanInput): string[] {
  const start = input.start ?? 1;
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_USERS) {
    throw new SmbBenchError(
      ErrorCode.USAGE,
      `--count must be an integer in 1..${MAX_USERS}, got ${input.count}`,
    );
  }
  if (!Number.isInteger(start) || start < 0) {
    throw new SmbBenchError(ErrorCode.USAGE, `--start must be a non-negative integer, got ${start}`);
  }
  const last = start + input.count - 1;
  const width = Math.max(input.digits ?? 4, String(last).length);
  const names: string[] = [];
  for (let i = start; i <= last; i++) names.push(`${input.prefix}${String(i).padStart(width, '0')}`);
  // All names share a shape: checking the first and last catches every length/charset problem.
  for (const name of [names[0]!, names[names.length - 1]!]) {
    const problem = samAccountNameProblem(name);
    if (problem !== undefined) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `user name ${JSON.stringify(name)} (from --prefix) ${problem}`,
      );
    }
  }
  return names;
}
