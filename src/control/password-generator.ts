/**
 * Random passwords that pass AD's default policy: at least three of the four character classes
 * (we always use all four) and longer than any sane minimum length ("Password must meet complexity
 * requirements", MS-SAMR 3.1.1.7.2 / the Windows password policy). Symbols exclude characters that
 * need quoting in CSV or a shell (`,` `"` `'` `\` space), so users files stay easy to handle.
 */
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-.:=?@^_~';
const CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS] as const;
const ALL = CLASSES.join('');

export const DEFAULT_PASSWORD_LENGTH = 20;
export const MIN_PASSWORD_LENGTH = 8;

export type RandomInt = (maxExclusive: number) => number;

export function generatePassword(length = DEFAULT_PASSWORD_LENGTH, random: RandomInt = randomInt): string {
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > 256) {
    throw new RangeError(`password length must be an integer in ${MIN_PASSWORD_LENGTH}..256, got ${length}`);
  }
  const chars: string[] = CLASSES.map((set) => pick(set, random));
  while (chars.length < length) chars.push(pick(ALL, random));
  // Fisher-Yates, so the guaranteed characters are not always the first four.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * The classes a password uses, counted as AD counts them (upper, lower, digit, other); used to
 * warn early about a fixed --password that the domain will reject.
 */
export function characterClassCount(password: string): number {
  let count = 0;
  if (/[A-Z]/.test(password)) count++;
  if (/[a-z]/.test(password)) count++;
  if (/[0-9]/.test(password)) count++;
  if (/[^A-Za-z0-9]/.test(password)) count++;
  return count;
}

function pick(set: string, random: RandomInt): string {
  return set[random(set.length)]!;
}
