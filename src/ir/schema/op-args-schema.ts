/**
 * Per-kind argument schemas of op records: one entry per `OpKind`, so adding a kind without its
 * schema is a type error. Field meanings are in types.ts and docs/ir.md; bounds follow the wire
 * field widths in MS-SMB2 section 2.2.
 */
import { isHandleId } from '../ids.js';
import type { OpKind } from '../types.js';
import { SET_INFO_KINDS } from '../types.js';
import { FieldCheck } from './field-check.js';

type ArgsCheck = (c: FieldCheck) => void;

/** Where a kind's `handle` field stands: every handle-based command needs one, echo/cancel have none. */
export const HANDLE_USE = {
  create: 'optional',
  close: 'required',
  flush: 'required',
  read: 'required',
  write: 'required',
  lock: 'required',
  ioctl: 'optional',
  cancel: 'none',
  echo: 'none',
  query_directory: 'required',
  change_notify: 'required',
  query_info: 'required',
  set_info: 'required',
} as const satisfies Record<OpKind, 'required' | 'optional' | 'none'>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const FILETIME = /^(0|[1-9][0-9]{0,19})$/;
const U64_MAX = 0xffffffffffffffffn;

function isFileTime(s: string): boolean {
  return FILETIME.test(s) && BigInt(s) <= U64_MAX;
}

/** Decoded length of a base64 string, or undefined when it is not canonical padded base64. */
export function base64DecodedLength(s: string): number | undefined {
  if (s.length % 4 !== 0 || !BASE64.test(s)) return undefined;
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

export function checkHandleField(c: FieldCheck, use: 'required' | 'optional' | 'none'): void {
  if (use === 'none') {
    if (c.obj['handle'] !== undefined) c.problem('handle', 'must not be present for this op');
    return;
  }
  c.pattern('handle', isHandleId, 'a handle id "h<n>"', { optional: use === 'optional' });
}

function checkSetInfo(c: FieldCheck): void {
  const info = c.nested('info');
  if (!info) return;
  const kind = info.oneOf('kind', SET_INFO_KINDS);
  switch (kind) {
    case 'rename':
      info.path('newPath');
      info.bool('replaceIfExists');
      return;
    case 'disposition':
      info.bool('deletePending');
      return;
    case 'end_of_file':
    case 'allocation':
      info.uint('size');
      return;
    case 'basic': {
      info.u32('attributes');
      const times = info.nested('times');
      for (const name of ['creation', 'lastAccess', 'lastWrite', 'change']) {
        times?.pattern(name, isFileTime, 'a FILETIME as an unsigned 64-bit decimal string', {
          optional: true,
        });
      }
      return;
    }
    case 'other':
      info.u32('infoType');
      info.u32('infoClass');
      info.uint('length');
      info.u32('additionalInformation', { optional: true });
      return;
    case undefined:
      return;
  }
}

function checkWrite(c: FieldCheck): void {
  c.uint('offset');
  const length = c.u32('length');
  c.u32('flags', { optional: true });
  c.u32('written', { optional: true });
  const data = c.str('data', { optional: true });
  if (data === undefined) return;
  const decoded = base64DecodedLength(data);
  if (decoded === undefined) c.problem('data', 'must be padded base64');
  else if (length !== undefined && decoded !== length) {
    c.problem('data', `decodes to ${decoded} bytes but length is ${length}`);
  }
}

/** `locks` may be empty: a recorded LockCount 0 probe (MS-SMB2 3.3.5.14) is replayed as sent. */
function checkLock(c: FieldCheck): void {
  const locks = c.array('locks');
  locks?.forEach((l, i) => {
    const lc = FieldCheck.of(l, c.at('locks', i), c.problems);
    lc?.uint('offset');
    lc?.uint('length');
    lc?.u32('flags');
  });
}

export const OP_ARGS_CHECKS: Record<OpKind, ArgsCheck> = {
  create: (c) => {
    c.path('path', { allowRoot: true });
    c.u32('desiredAccess');
    c.u32('fileAttributes');
    c.u32('shareAccess');
    c.u32('createDisposition');
    c.u32('createOptions');
    c.u8('oplockLevel');
    c.u32('impersonationLevel', { optional: true });
    c.u32('leaseState', { optional: true });
    const contexts = c.array('contexts', { optional: true });
    contexts?.forEach((name, i) => {
      if (typeof name !== 'string' || name === '')
        c.problems.push(`${c.at('contexts', i)} must be a non-empty string`);
    });
    c.u32('createAction', { optional: true });
    c.bool('isDirectory', { optional: true });
    c.bool('synthetic', { optional: true });
  },
  close: (c) => {
    c.uint('flags', { max: 0xffff });
    c.bool('synthetic', { optional: true });
  },
  flush: () => {},
  read: (c) => {
    c.uint('offset');
    c.u32('length');
    c.u32('minimumCount', { optional: true });
    c.u32('dataLength', { optional: true });
  },
  write: checkWrite,
  lock: checkLock,
  ioctl: (c) => {
    c.u32('ctlCode');
    c.u32('flags');
    c.u32('inputLength');
    c.u32('maxOutputLength');
    c.u32('outputLength', { optional: true });
  },
  cancel: (c) => {
    c.uint('target');
  },
  echo: () => {},
  query_directory: (c) => {
    c.u8('infoClass');
    c.u8('flags');
    c.u32('fileIndex', { optional: true });
    c.str('pattern');
    c.u32('outputBufferLength');
    c.uint('entries', { optional: true });
    c.bool('synthetic', { optional: true });
  },
  change_notify: (c) => {
    c.uint('flags', { max: 0xffff });
    c.u32('completionFilter');
    c.u32('outputBufferLength');
  },
  query_info: (c) => {
    c.u8('infoType');
    c.u8('infoClass');
    c.u32('outputBufferLength');
    c.u32('additionalInformation', { optional: true });
    c.u32('flags', { optional: true });
    c.u32('outputLength', { optional: true });
  },
  set_info: checkSetInfo,
};
