/**
 * QUERY_INFO (MS-SMB2 2.2.37/2.2.38). The op keeps the info type, class and buffer sizes. Classes
 * that carry EndOfFile (MS-FSCC 2.4.41 Standard, 2.4.2 All, 2.4.29 NetworkOpen) also tell the
 * namespace the size of a file the trace has not modified yet.
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { hasCommandBody } from '../../smb2/error-response.js';
import { isDirectory } from '../../smb2/fscc/file-attributes.js';
import { FileInformationClass, InfoType } from '../../smb2/fscc/info-classes.js';
import { isPreopened, learnedDirectory } from '../correlate/synthesis.js';
import type { Lifter } from './lifter.js';
import { fieldStart, requireBody, u64Number } from './wire-read.js';

const REQUEST_FIXED = 40;
const RESPONSE_FIXED = 8;
const STRUCTURE_SIZE_41 = 41;
const STRUCTURE_SIZE_9 = 9;

/** Where EndOfFile sits in each class's output, or -1. */
function endOfFileOffset(infoClass: number): number {
  switch (infoClass) {
    case FileInformationClass.FileStandardInformation:
      return 8;
    case FileInformationClass.FileAllInformation:
      // FileBasicInformation (40 bytes) then FileStandardInformation (MS-FSCC 2.4.2).
      return 40 + 8;
    case FileInformationClass.FileNetworkOpenInformation:
      return 40;
    default:
      return -1;
  }
}

/** Where FileAttributes sits in each class's output (MS-FSCC 2.4.7 Basic, 2.4.2 All, 2.4.29), or -1. */
function attributesOffset(infoClass: number): number {
  switch (infoClass) {
    case FileInformationClass.FileBasicInformation:
    case FileInformationClass.FileAllInformation:
      return 32;
    case FileInformationClass.FileNetworkOpenInformation:
      return 48;
    default:
      return -1;
  }
}

export const queryInfoLifter: Lifter = {
  command: Command.QUERY_INFO,
  kind: 'query_info',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, REQUEST_FIXED, STRUCTURE_SIZE_41, 'QUERY_INFO request');
    const b = h.start + SMB2_HEADER_SIZE;
    const f = op.fields;
    f['infoType'] = data[b + 2]!;
    f['infoClass'] = data[b + 3]!;
    f['outputBufferLength'] = data.readUInt32LE(b + 4);
    const additionalInformation = data.readUInt32LE(b + 16);
    if (additionalInformation !== 0) f['additionalInformation'] = additionalInformation;
    const flags = data.readUInt32LE(b + 20);
    if (flags !== 0) f['flags'] = flags;
    ctx.useHandle(op, data, h, b + 24);
  },

  response(_ctx, data, h, op) {
    if (!hasCommandBody(Command.QUERY_INFO, h.status)) return;
    requireBody(data, h, RESPONSE_FIXED, STRUCTURE_SIZE_9, 'QUERY_INFO response');
    const b = h.start + SMB2_HEADER_SIZE;
    const length = data.readUInt32LE(b + 4);
    op.fields['outputLength'] = length;
    const handle = op.handle;
    if (handle === undefined || op.user === undefined) return;
    if (op.fields['infoType'] !== InfoType.SMB2_0_INFO_FILE) return;
    const infoClass = op.fields['infoClass'] as number;
    const attrsAt = attributesOffset(infoClass);
    if (isPreopened(handle) && attrsAt >= 0 && length >= attrsAt + 4) {
      // The one place a FileId opened before the capture says it is a directory.
      const start = fieldStart(h, data.readUInt16LE(b + 2), length, 'QUERY_INFO OutputBuffer');
      if (isDirectory(data.readUInt32LE(start + attrsAt))) learnedDirectory(op.user, handle);
    }
    if (handle.modified) return;
    const at = endOfFileOffset(infoClass);
    if (at < 0 || length < at + 8) return;
    const start = fieldStart(h, data.readUInt16LE(b + 2), length, 'QUERY_INFO OutputBuffer');
    op.user.namespace.sizeSeen(handle.path, u64Number(data, start + at), true);
  },
};
