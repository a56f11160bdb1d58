/**
 * Schemas of the records around the ops: header, user, ns (initial namespace) and end (docs/ir.md).
 * Each check appends problems and returns the typed record only when the record had none.
 */
import { isUserId } from '../ids.js';
import { streamNameProblem } from '../ir-stream-path.js';
import type { IrEnd, IrHeader, IrNamespaceEntry, IrUser } from '../types.js';
import { NODE_KINDS, PAYLOAD_MODES } from '../types.js';
import { IR_FORMAT, isSupportedIrVersion, SUPPORTED_IR_VERSIONS } from '../version.js';
import { FieldCheck } from './field-check.js';
import type { JsonObject } from './field-check.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isIsoTimestamp(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
}

export function checkHeader(obj: JsonObject, problems: string[]): IrHeader | undefined {
  const before = problems.length;
  const c = FieldCheck.of(obj, 'header', problems);
  if (!c) return undefined;
  if (obj['format'] !== IR_FORMAT) {
    c.problem('format', `must be "${IR_FORMAT}"`);
    return undefined;
  }
  const version = c.uint('version');
  if (version !== undefined && !isSupportedIrVersion(version)) {
    // A newer major may change the meaning of fields we would otherwise read happily: refuse.
    c.problem(
      'version',
      `${version} is not supported by this reader (supports ${SUPPORTED_IR_VERSIONS.join(', ')})`,
    );
    return undefined;
  }
  c.str('generator', { nonEmpty: true });
  c.pattern('createdAt', isIsoTimestamp, 'an ISO 8601 timestamp');
  const sources = c.array('sources');
  sources?.forEach((s, i) => {
    const sc = FieldCheck.of(s, c.at('sources', i), problems);
    sc?.str('file', { nonEmpty: true });
    sc?.uint('packets');
    sc?.uint('bytes');
  });
  c.oneOf('payloads', PAYLOAD_MODES);
  c.bool('anonymized');
  const counts = c.nested('counts', { optional: true });
  counts?.uint('users');
  counts?.uint('ops');
  counts?.uint('namespace');
  c.pattern('traceStart', isIsoTimestamp, 'an ISO 8601 timestamp', { optional: true });
  c.str('description', { optional: true });
  const synthesized = c.nested('synthesized', { optional: true });
  synthesized?.uint('users');
  synthesized?.uint('trees');
  synthesized?.uint('handles');
  return problems.length === before ? (obj as unknown as IrHeader) : undefined;
}

export function checkUser(obj: JsonObject, problems: string[]): IrUser | undefined {
  const before = problems.length;
  const c = FieldCheck.of(obj, 'user', problems);
  if (!c) return undefined;
  c.pattern('id', isUserId, 'a user id "u<n>"');
  c.str('name', { nonEmpty: true });
  c.uint('dialect', { optional: true, max: 0xffff });
  c.uint('sessions');
  c.bool('synthetic', { optional: true });
  return problems.length === before ? (obj as unknown as IrUser) : undefined;
}

export function checkNamespaceEntry(obj: JsonObject, problems: string[]): IrNamespaceEntry | undefined {
  const before = problems.length;
  const c = FieldCheck.of(obj, 'ns', problems);
  if (!c) return undefined;
  c.pattern('user', isUserId, 'a user id "u<n>"');
  c.path('path');
  const kind = c.oneOf('kind', NODE_KINDS);
  const size = c.uint('size');
  if (kind === 'dir' && size !== undefined && size !== 0) c.problem('size', 'must be 0 for a directory');
  c.u32('attributes', { optional: true });
  const streams = c.array('streams', { optional: true });
  streams?.forEach((s, i) => {
    const sc = FieldCheck.of(s, c.at('streams', i), problems);
    const name = sc?.str('name', { nonEmpty: true });
    const problem = name === undefined ? undefined : streamNameProblem(name);
    if (problem !== undefined) sc?.problem('name', problem);
    sc?.uint('size');
  });
  return problems.length === before ? (obj as unknown as IrNamespaceEntry) : undefined;
}

export function checkEnd(obj: JsonObject, problems: string[]): IrEnd | undefined {
  const before = problems.length;
  const c = FieldCheck.of(obj, 'end', problems);
  if (!c) return undefined;
  c.uint('ops');
  c.pattern('sha256', (s) => SHA256_HEX.test(s), '64 lowercase hex digits');
  return problems.length === before ? (obj as unknown as IrEnd) : undefined;
}
