/** Shared builders for IR tests: a header, users, and raw gzip'd files with a correct end hash. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IrHeader, IrOp, IrUser } from '../../src/ir/types.js';

export function header(overrides: Partial<IrHeader> = {}): IrHeader {
  return {
    format: 'smbench-ir',
    version: 1,
    generator: 'smbench-test',
    createdAt: '2024-05-01T12:00:00.000Z',
    sources: [{ file: 'trace.pcapng', packets: 10, bytes: 1000 }],
    payloads: 'sizes',
    anonymized: false,
    ...overrides,
  };
}

export function user(n: number): IrUser {
  return { id: `u${n}`, name: `LAB\\user${n}`, dialect: 0x0311, sessions: 1 };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'smbench-ir-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Base fields of an op; callers spread kind-specific fields over it. */
export function base(seq: number, userN: number, t: number, deps: number[] = []) {
  return { seq, user: `u${userN}`, t, status: 0, deps };
}

export function createOp(
  seq: number,
  userN: number,
  t: number,
  path: string,
  handle: string,
  deps: number[] = [],
): IrOp {
  return {
    ...base(seq, userN, t, deps),
    op: 'create',
    path,
    handle,
    desiredAccess: 0x0012019f,
    fileAttributes: 0,
    shareAccess: 7,
    createDisposition: 3,
    createOptions: 0x40,
    oplockLevel: 0,
  };
}

/**
 * Writes records (objects get JSON.stringify'd, strings are written verbatim) as a gzip'd `.smbw`,
 * appending an end record with the correct count and hash unless `end` is given.
 */
export function writeRaw(
  path: string,
  records: readonly (object | string)[],
  end?: object | string | null,
): void {
  const lines = records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)) + '\n');
  const body = lines.join('');
  let text = body;
  if (end !== null) {
    const ops = records.filter((r) => typeof r === 'object' && (r as { type?: string }).type === 'op').length;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const endLine = end === undefined ? { type: 'end', ops, sha256 } : end;
    text += (typeof endLine === 'string' ? endLine : JSON.stringify(endLine)) + '\n';
  }
  writeFileSync(path, gzipSync(text));
}

export const H = (overrides: Partial<IrHeader> = {}) => ({ type: 'header', ...header(overrides) });
export const U = (n: number) => ({ type: 'user', ...user(n) });
export const OP = (op: object) => ({ type: 'op', ...op });
