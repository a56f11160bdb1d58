/**
 * Reading and writing model JSON. A model is refused with one clear line when it is not a
 * `smbench-model` of a known version or when a distribution is malformed, so `synth` never
 * draws from a broken table and silently produces nonsense.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { UserModel } from './model-types.js';
import { MODEL_FORMAT, MODEL_VERSION } from './model-types.js';

function refuse(path: string, message: string, cause?: unknown): SmbBenchError {
  return new SmbBenchError(ErrorCode.IR, `${path}: ${message}`, cause === undefined ? undefined : { cause });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quantileProblem(v: unknown): string | undefined {
  if (!isObject(v) || !Number.isSafeInteger(v['count']) || !Array.isArray(v['q'])) {
    return 'must be {count, q[]}';
  }
  const q = v['q'] as unknown[];
  if (q.length !== 0 && q.length !== 101) return 'q must have 0 or 101 points';
  for (let i = 0; i < q.length; i++) {
    const x = q[i];
    if (!Number.isSafeInteger(x) || (x as number) < 0) return 'q must hold non-negative integers';
    if (i > 0 && (x as number) < (q[i - 1] as number)) return 'q must be non-decreasing';
  }
  return undefined;
}

function weightedProblem(v: unknown): string | undefined {
  if (!Array.isArray(v)) return 'must be a list of {value, count}';
  for (const w of v) {
    if (!isObject(w) || !('value' in w) || !Number.isSafeInteger(w['count']) || (w['count'] as number) < 0) {
      return 'must be a list of {value, count}';
    }
  }
  return undefined;
}

/** The first structural problem of a parsed model, as `field: problem`. */
export function modelProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'not a JSON object';
  if (m['format'] !== MODEL_FORMAT) return `format must be "${MODEL_FORMAT}"`;
  if (m['version'] !== MODEL_VERSION) return `version ${String(m['version'])} is not supported`;
  const tables: [string, string][] = [
    ['think', 'withinSession'],
    ['think', 'betweenSessions'],
    ['think', 'userStart'],
    ['sizes', 'read'],
    ['sizes', 'write'],
    ['sizes', 'endOfFile'],
    ['namespace', 'filesPerUser'],
    ['namespace', 'fileSize'],
    ['namespace', 'fileDepth'],
    ['namespace', 'filesPerDir'],
    ['users', 'opsPerUser'],
  ];
  for (const [group, name] of tables) {
    const g = m[group];
    const problem = isObject(g) ? quantileProblem(g[name]) : `must be an object`;
    if (problem !== undefined) return `${group}.${name} ${problem}`;
  }
  const chain = m['chain'];
  if (!isObject(chain)) return 'chain must be an object';
  for (const [state, row] of Object.entries(chain)) {
    const problem = weightedProblem(row);
    if (problem !== undefined) return `chain[${JSON.stringify(state)}] ${problem}`;
  }
  const t = m['templates'];
  if (!isObject(t) || !isObject(t['create'])) return 'templates.create must be an object';
  for (const [role, row] of Object.entries(t['create'])) {
    const problem = weightedProblem(row);
    if (problem !== undefined) return `templates.create.${role} ${problem}`;
  }
  for (const name of ['close', 'queryInfo', 'queryDirectory', 'lock']) {
    const problem = weightedProblem(t[name]);
    if (problem !== undefined) return `templates.${name} ${problem}`;
  }
  const ns = m['namespace'] as Record<string, unknown>;
  if (typeof ns['rootDirShare'] !== 'number') return 'namespace.rootDirShare must be a number';
  const ext = weightedProblem(ns['extensions']);
  if (ext !== undefined) return `namespace.extensions ${ext}`;
  const dialects = weightedProblem((m['users'] as Record<string, unknown>)['dialects']);
  if (dialects !== undefined) return `users.dialects ${dialects}`;
  if (!isObject(m['source'])) return 'source must be an object';
  if (typeof m['createdAt'] !== 'string') return 'createdAt must be a string';
  return undefined;
}

export async function readModel(path: string): Promise<UserModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw refuse(path, `cannot read model: ${(err as Error).message}`, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw refuse(path, `not a model (invalid JSON: ${(err as Error).message})`, err);
  }
  const problem = modelProblem(parsed);
  if (problem !== undefined) throw refuse(path, `not a valid smbench model: ${problem}`);
  return parsed as UserModel;
}

export async function writeModel(path: string, model: UserModel): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(model, null, 2)}\n`);
  } catch (err) {
    throw refuse(path, `cannot write model: ${(err as Error).message}`, err);
  }
}
