/**
 * Hand-written field checks for IR records. Each check reads one field, records a readable problem
 * (`op.offset must be a non-negative integer`) when it is wrong, and returns the value or undefined.
 * Checks never throw, so one pass over a record reports every problem it has, and the validator can
 * report a whole file while the reader stops at the first one.
 */
import { irPathProblem } from '../ir-path.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Presence {
  /** The field may be absent (or null-free undefined); absent returns undefined without a problem. */
  readonly optional?: boolean;
}

export class FieldCheck {
  private constructor(
    readonly obj: JsonObject,
    /** Dotted location used in messages: `op`, `op.info`, `op.locks[2]`. */
    readonly where: string,
    readonly problems: string[],
  ) {}

  /** Starts checking `value` as an object; records a problem and returns undefined if it is not one. */
  static of(value: unknown, where: string, problems: string[]): FieldCheck | undefined {
    if (!isJsonObject(value)) {
      problems.push(`${where} must be an object`);
      return undefined;
    }
    return new FieldCheck(value, where, problems);
  }

  problem(field: string, message: string): void {
    this.problems.push(`${this.where}.${field} ${message}`);
  }

  private present(field: string, opts: Presence | undefined): boolean {
    if (this.obj[field] !== undefined) return true;
    if (!opts?.optional) this.problem(field, 'is required');
    return false;
  }

  /** A safe non-negative integer, optionally bounded (for 32-bit wire fields). */
  uint(field: string, opts?: Presence & { readonly max?: number }): number | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      this.problem(field, 'must be a non-negative integer');
      return undefined;
    }
    if (opts?.max !== undefined && v > opts.max) {
      this.problem(field, `must be at most ${opts.max}`);
      return undefined;
    }
    return v;
  }

  /** An unsigned 32-bit wire field (flags, access masks, codes). */
  u32(field: string, opts?: Presence): number | undefined {
    return this.uint(field, { ...opts, max: 0xffffffff });
  }

  /** An unsigned 8-bit wire field. */
  u8(field: string, opts?: Presence): number | undefined {
    return this.uint(field, { ...opts, max: 0xff });
  }

  str(field: string, opts?: Presence & { readonly nonEmpty?: boolean }): string | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'string') {
      this.problem(field, 'must be a string');
      return undefined;
    }
    if (opts?.nonEmpty && v === '') {
      this.problem(field, 'must not be empty');
      return undefined;
    }
    return v;
  }

  /** A string matching `test`; `what` completes "must be ...". */
  pattern(field: string, test: (s: string) => boolean, what: string, opts?: Presence): string | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'string' || !test(v)) {
      this.problem(field, `must be ${what}`);
      return undefined;
    }
    return v;
  }

  bool(field: string, opts?: Presence): boolean | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'boolean') {
      this.problem(field, 'must be a boolean');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string | number>(field: string, values: readonly T[], opts?: Presence): T | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (!(values as readonly unknown[]).includes(v)) {
      this.problem(field, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
      return undefined;
    }
    return v as T;
  }

  /** A share-relative IR path (see ir-path.ts); `allowRoot` admits `''`. */
  path(field: string, opts?: Presence & { readonly allowRoot?: boolean }): string | undefined {
    const v = this.str(field, opts);
    if (v === undefined) return undefined;
    if (v === '' && !opts?.allowRoot) {
      this.problem(field, 'must not be the share root ("")');
      return undefined;
    }
    const why = irPathProblem(v);
    if (why !== undefined) {
      this.problem(field, why);
      return undefined;
    }
    return v;
  }

  /** A nested object, checked with its own FieldCheck located at `where.field`. */
  nested(field: string, opts?: Presence): FieldCheck | undefined {
    if (!this.present(field, opts)) return undefined;
    return FieldCheck.of(this.obj[field], `${this.where}.${field}`, this.problems);
  }

  array(field: string, opts?: Presence & { readonly nonEmpty?: boolean }): readonly unknown[] | undefined {
    if (!this.present(field, opts)) return undefined;
    const v = this.obj[field];
    if (!Array.isArray(v)) {
      this.problem(field, 'must be an array');
      return undefined;
    }
    if (opts?.nonEmpty && v.length === 0) {
      this.problem(field, 'must not be empty');
      return undefined;
    }
    return v;
  }

  /** Location of the element `i` of array `field`, for nested checks. */
  at(field: string, i: number): string {
    return `${this.where}.${field}[${i}]`;
  }
}
