/**
 * CREATE (MS-SMB2 2.2.13 / 2.2.14): the op that names paths. The request gives the IR its
 * arguments; the response binds the new FileId to an IR handle and is the richest namespace
 * evidence in a trace: CreateAction says whether the object was there before, and the response
 * carries its attributes and EndOfFile.
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { createContextTag } from '../../smb2/create-contexts/names.js';
import { CreateAction, CreateOptions } from '../../smb2/commands/create-constants.js';
import { hasCommandBody } from '../../smb2/error-response.js';
import { FileAttributes } from '../../smb2/fscc/file-attributes.js';
import { isNtError } from '../../smb2/nt-status.js';
import { HandleRef } from '../correlate/handle-ref.js';
import type { PendingOp } from '../correlate/pending-op.js';
import type { MessageHeader } from '../extract/message-header.js';
import type { Lifter } from './lifter.js';
import { fieldStart, requireBody, u64Number, utf16Field } from './wire-read.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';

const REQUEST_FIXED = 56;
const RESPONSE_FIXED = 88;
const LEASE_STATE_OFFSET = 16;
const CONTEXT_HEADER = 16;
const MAX_CONTEXTS = 64;

const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
const STATUS_OBJECT_NAME_COLLISION = 0xc0000035;
const STATUS_SHARING_VIOLATION = 0xc0000043;
const STATUS_FILE_IS_A_DIRECTORY = 0xc00000ba;
const STATUS_NOT_A_DIRECTORY = 0xc0000103;

/** Names of the create contexts (MS-SMB2 2.2.13.2) and the requested lease state, if any. */
function readContexts(data: Buffer, h: MessageHeader, offset: number, length: number, op: PendingOp): void {
  if (length === 0) return;
  let at = fieldStart(h, offset, length, 'CREATE contexts');
  const end = at + length;
  const names: string[] = [];
  for (let i = 0; i < MAX_CONTEXTS; i++) {
    if (at + CONTEXT_HEADER > end) throw new MalformedMessageError('CREATE context header truncated');
    const next = data.readUInt32LE(at);
    const nameOffset = data.readUInt16LE(at + 4);
    const nameLength = data.readUInt16LE(at + 6);
    const dataOffset = data.readUInt16LE(at + 10);
    const dataLength = data.readUInt32LE(at + 12);
    const contextEnd = next === 0 ? end : at + next;
    if (nameLength === 0 || at + nameOffset + nameLength > contextEnd || contextEnd > end) {
      throw new MalformedMessageError('CREATE context name outside its context');
    }
    const tag = createContextTag(data.subarray(at + nameOffset, at + nameOffset + nameLength));
    names.push(tag);
    // SMB2_CREATE_REQUEST_LEASE(_V2): LeaseKey (16) then LeaseState (MS-SMB2 2.2.13.2.8/.10).
    if (
      tag === 'RqLs' &&
      dataLength >= LEASE_STATE_OFFSET + 4 &&
      at + dataOffset + dataLength <= contextEnd
    ) {
      op.fields['leaseState'] = data.readUInt32LE(at + dataOffset + LEASE_STATE_OFFSET);
    }
    if (next === 0) break;
    if (next < CONTEXT_HEADER) throw new MalformedMessageError(`CREATE context Next ${next}`);
    at += next;
  }
  op.fields['contexts'] = names;
}

export const createLifter: Lifter = {
  command: Command.CREATE,
  kind: 'create',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, REQUEST_FIXED, REQUEST_FIXED + 1, 'CREATE request');
    const b = h.start + SMB2_HEADER_SIZE;
    const createOptions = data.readUInt32LE(b + 40);
    if ((createOptions & CreateOptions.FILE_OPEN_BY_FILE_ID) !== 0) {
      // The "name" is an 8-byte file id (MS-SMB2 2.2.13): there is no path to replay.
      op.skip = 'unsupported';
      return;
    }
    const name = utf16Field(data, h, data.readUInt16LE(b + 44), data.readUInt16LE(b + 46), 'CREATE Name');
    const path = ctx.treePath(op, name);
    if (path === undefined) return;
    const f = op.fields;
    f['path'] = path;
    f['desiredAccess'] = data.readUInt32LE(b + 24);
    f['fileAttributes'] = data.readUInt32LE(b + 28);
    f['shareAccess'] = data.readUInt32LE(b + 32);
    f['createDisposition'] = data.readUInt32LE(b + 36);
    f['createOptions'] = createOptions;
    f['oplockLevel'] = data[b + 3]!;
    f['impersonationLevel'] = data.readUInt32LE(b + 4);
    readContexts(data, h, data.readUInt32LE(b + 48), data.readUInt32LE(b + 52), op);
    op.newHandle = new HandleRef(path, op, false);
    if ((createOptions & CreateOptions.FILE_DELETE_ON_CLOSE) !== 0) op.newHandle.deletePending = true;
  },

  response(ctx, data, h, op) {
    const handle = op.newHandle;
    const user = op.user;
    if (handle === undefined || user === undefined) return;
    const path = handle.path;
    const ns = user.namespace;
    const status = h.status;
    if (isNtError(status) || !hasCommandBody(Command.CREATE, status)) {
      handle.failed = true;
      if (status === STATUS_OBJECT_NAME_NOT_FOUND) ns.absent(path);
      else if (status === STATUS_OBJECT_NAME_COLLISION || status === STATUS_SHARING_VIOLATION) {
        const wantsDir = ((op.fields['createOptions'] as number) & CreateOptions.FILE_DIRECTORY_FILE) !== 0;
        ns.exists(path, wantsDir ? 'dir' : undefined);
      } else if (status === STATUS_FILE_IS_A_DIRECTORY) ns.exists(path, 'dir');
      else if (status === STATUS_NOT_A_DIRECTORY) ns.exists(path, 'file');
      return;
    }
    requireBody(data, h, RESPONSE_FIXED, RESPONSE_FIXED + 1, 'CREATE response');
    const b = h.start + SMB2_HEADER_SIZE;
    const createAction = data.readUInt32LE(b + 4);
    const endOfFile = u64Number(data, b + 48);
    const attributes = data.readUInt32LE(b + 56);
    const isDirectory = (attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY) !== 0;
    op.fields['createAction'] = createAction;
    op.fields['isDirectory'] = isDirectory;
    handle.isDirectory = isDirectory;
    handle.persistentLo = data.readUInt32LE(b + 64);
    handle.persistentHi = data.readUInt32LE(b + 68);
    handle.volatileLo = data.readUInt32LE(b + 72);
    handle.volatileHi = data.readUInt32LE(b + 76);
    ctx.bindHandle(op, handle);
    const kind = isDirectory ? 'dir' : 'file';
    if (createAction === CreateAction.FILE_CREATED) {
      ns.created(path, kind);
      ctx.mutatedPath(op, path);
    } else if (createAction === CreateAction.FILE_OPENED) {
      ns.exists(path, kind, isDirectory ? undefined : endOfFile, attributes);
    } else {
      // FILE_OVERWRITTEN / FILE_SUPERSEDED: it was there, with a size we can no longer know.
      ns.overwritten(path, kind);
      ctx.mutatedPath(op, path);
    }
  },
};
