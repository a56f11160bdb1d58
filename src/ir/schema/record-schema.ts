/**
 * One JSON line -> one typed IR record. Every line is an object whose `type` says which record it is
 * (docs/ir.md); the `type` key is stripped so callers see the same shapes the writer accepts.
 */
import type { IrEnd, IrHeader, IrNamespaceEntry, IrOp, IrUser, RecordType } from '../types.js';
import { RECORD_TYPES } from '../types.js';
import { isJsonObject } from './field-check.js';
import type { JsonObject } from './field-check.js';
import { checkOp } from './op-schema.js';
import { checkEnd, checkHeader, checkNamespaceEntry, checkUser } from './prologue-schema.js';

export type IrRecord =
  | { readonly type: 'header'; readonly record: IrHeader }
  | { readonly type: 'user'; readonly record: IrUser }
  | { readonly type: 'ns'; readonly record: IrNamespaceEntry }
  | { readonly type: 'op'; readonly record: IrOp }
  | { readonly type: 'end'; readonly record: IrEnd };

/**
 * Parses and schema-checks one line. On failure returns undefined and appends problems; `type` is
 * still reported when it could be read, so an order check can go on past a bad record.
 */
export function parseRecord(
  text: string,
  problems: string[],
): { readonly parsed?: IrRecord; readonly type?: RecordType } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    problems.push(`not valid JSON: ${(err as Error).message}`);
    return {};
  }
  if (!isJsonObject(value)) {
    problems.push('record must be a JSON object');
    return {};
  }
  const { type, ...body } = value;
  if (!(RECORD_TYPES as readonly unknown[]).includes(type)) {
    problems.push(`record.type must be one of ${RECORD_TYPES.map((t) => `"${t}"`).join(', ')}`);
    return {};
  }
  const recordType = type as RecordType;
  const parsed = checkBody(recordType, body, problems);
  return parsed ? { parsed, type: recordType } : { type: recordType };
}

function checkBody(type: RecordType, body: JsonObject, problems: string[]): IrRecord | undefined {
  switch (type) {
    case 'header': {
      const record = checkHeader(body, problems);
      return record && { type, record };
    }
    case 'user': {
      const record = checkUser(body, problems);
      return record && { type, record };
    }
    case 'ns': {
      const record = checkNamespaceEntry(body, problems);
      return record && { type, record };
    }
    case 'op': {
      const record = checkOp(body, problems);
      return record && { type, record };
    }
    case 'end': {
      const record = checkEnd(body, problems);
      return record && { type, record };
    }
  }
}
