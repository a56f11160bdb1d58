/**
 * SET_INFO (MS-SMB2 2.2.39). The classes replay cares about get typed IR variants (rename,
 * disposition, end of file, allocation, basic); everything else is kept as a buffer length. Renames
 * and deletes drive the namespace and path dependencies once the server has accepted them.
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { decodeFileRenameInformation } from '../../smb2/fscc/file-rename.js';
import { FileInformationClass, InfoType } from '../../smb2/fscc/info-classes.js';
import { isNtError } from '../../smb2/nt-status.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { PendingOp } from '../correlate/pending-op.js';
import type { LiftContext, Lifter } from './lifter.js';
import { fieldStart, requireBody, u64Number, u64String } from './wire-read.js';

const REQUEST_FIXED = 32;
const STRUCTURE_SIZE_33 = 33;
const BASIC_INFO_SIZE = 36;
/** FILE_DISPOSITION_INFORMATION_EX Flags: FILE_DISPOSITION_DELETE (MS-FSCC 2.4.12). */
const FILE_DISPOSITION_DELETE = 0x1;

function need(buffer: Buffer, n: number, what: string): void {
  if (buffer.length < n) throw new MalformedMessageError(`${what}: ${buffer.length} bytes, need ${n}`);
}

/** FileBasicInformation times: 0 means "leave unchanged" and is left out (docs/ir.md). */
function basicInfo(buffer: Buffer): Record<string, unknown> {
  need(buffer, BASIC_INFO_SIZE, 'FileBasicInformation');
  const times: Record<string, string> = {};
  const names = ['creation', 'lastAccess', 'lastWrite', 'change'] as const;
  for (let i = 0; i < names.length; i++) {
    const s = u64String(buffer, i * 8);
    if (s !== '0') times[names[i]!] = s;
  }
  return { kind: 'basic', attributes: buffer.readUInt32LE(32), times };
}

function fileInfo(
  ctx: LiftContext,
  op: PendingOp,
  infoClass: number,
  buffer: Buffer,
): Record<string, unknown> | undefined {
  switch (infoClass) {
    case FileInformationClass.FileRenameInformation: {
      const info = decodeFileRenameInformation(buffer);
      // SMB2 rename targets are full paths relative to the share root (MS-SMB2 2.2.39).
      const newPath = ctx.treePath(op, info.fileName);
      if (newPath === undefined) return undefined;
      return { kind: 'rename', newPath, replaceIfExists: info.replaceIfExists };
    }
    case FileInformationClass.FileDispositionInformation:
      need(buffer, 1, 'FileDispositionInformation');
      return { kind: 'disposition', deletePending: buffer[0] !== 0 };
    case FileInformationClass.FileEndOfFileInformation:
      need(buffer, 8, 'FileEndOfFileInformation');
      return { kind: 'end_of_file', size: u64Number(buffer, 0) };
    case FileInformationClass.FileAllocationInformation:
      need(buffer, 8, 'FileAllocationInformation');
      return { kind: 'allocation', size: u64Number(buffer, 0) };
    case FileInformationClass.FileBasicInformation:
      return basicInfo(buffer);
    default:
      return undefined;
  }
}

export const setInfoLifter: Lifter = {
  command: Command.SET_INFO,
  kind: 'set_info',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, REQUEST_FIXED, STRUCTURE_SIZE_33, 'SET_INFO request');
    const b = h.start + SMB2_HEADER_SIZE;
    const infoType = data[b + 2]!;
    const infoClass = data[b + 3]!;
    const length = data.readUInt32LE(b + 4);
    const additionalInformation = data.readUInt32LE(b + 12);
    const start = fieldStart(h, data.readUInt16LE(b + 8), length, 'SET_INFO Buffer');
    const buffer = data.subarray(start, start + length);
    const handle = ctx.useHandle(op, data, h, b + 16);
    let info = infoType === InfoType.SMB2_0_INFO_FILE ? fileInfo(ctx, op, infoClass, buffer) : undefined;
    if (op.skip !== undefined) return;
    if (info === undefined) {
      info = { kind: 'other', infoType, infoClass, length };
      if (additionalInformation !== 0) info['additionalInformation'] = additionalInformation;
    }
    op.fields['info'] = info;
    const kind = info['kind'];
    if (handle !== undefined && (kind === 'end_of_file' || kind === 'allocation')) {
      handle.modified = true;
      op.user?.namespace.modified(handle.path);
    }
    if (
      infoType === InfoType.SMB2_0_INFO_FILE &&
      infoClass === FileInformationClass.FileDispositionInformationEx
    ) {
      need(buffer, 4, 'FileDispositionInformationEx');
      op.note = (buffer.readUInt32LE(0) & FILE_DISPOSITION_DELETE) !== 0;
    }
  },

  response(ctx, _data, h, op) {
    const handle = op.handle;
    const user = op.user;
    if (handle === undefined || user === undefined || isNtError(h.status)) return;
    const info = op.fields['info'] as Record<string, unknown> | undefined;
    if (info === undefined) return;
    if (info['kind'] === 'disposition') handle.deletePending = info['deletePending'] === true;
    else if (typeof op.note === 'boolean') handle.deletePending = op.note;
    else if (info['kind'] === 'rename') {
      const from = handle.path;
      const to = info['newPath'] as string;
      const kind = handle.isDirectory === undefined ? undefined : handle.isDirectory ? 'dir' : 'file';
      user.namespace.renamed(from, to, kind);
      ctx.mutatedPath(op, from);
      ctx.mutatedPath(op, to);
      handle.path = to;
    }
  },
};
