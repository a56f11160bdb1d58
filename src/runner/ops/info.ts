/**
 * QUERY_INFO (MS-SMB2 2.2.37) and SET_INFO (2.2.39). SET_INFO buffers are re-encoded from the IR's
 * typed variants (MS-FSCC 2.4); a rename's target is moved under the user's directory like every
 * other path. `other` classes are replayed as a zero-filled buffer of the recorded length
 * (docs/ir.md), which a server may reject: that shows up as a fidelity mismatch, not a crash.
 */
import { queryInfoCodec, type QueryInfoResponse } from '../../smb2/commands/query-info.js';
import { setInfoCodec } from '../../smb2/commands/set-info.js';
import { encodeFileAllocationInformation } from '../../smb2/fscc/file-allocation.js';
import { encodeFileBasicInformation } from '../../smb2/fscc/file-basic.js';
import { encodeFileDispositionInformation } from '../../smb2/fscc/file-disposition.js';
import { encodeFileEndOfFileInformation } from '../../smb2/fscc/file-end-of-file.js';
import { encodeFileRenameInformation } from '../../smb2/fscc/file-rename.js';
import { FileInformationClass, InfoType } from '../../smb2/fscc/info-classes.js';
import type { IrSetInfo } from '../../ir/types.js';
import { OpSkipped, SkipReason } from '../skip-reasons.js';
import { handleRef } from './handle-ref.js';
import { EMPTY_BUFFER, type OpExecutor } from './op-executor.js';
import type { UserOpState } from './user-op-state.js';

export const queryInfoExecutor: OpExecutor<'query_info'> = {
  build(op, user, call) {
    // SMB2_0_INFO_QUOTA needs an SMB2_QUERY_QUOTA_INFO input with SIDs the IR does not keep.
    if (op.infoType === InfoType.SMB2_0_INFO_QUOTA) throw new OpSkipped(SkipReason.QUOTA_NOT_REPLAYED);
    const ref = handleRef(op, user, call);
    return {
      codec: queryInfoCodec,
      request: {
        infoType: op.infoType,
        fileInfoClass: op.infoClass,
        outputBufferLength: op.outputBufferLength,
        inputBuffer: EMPTY_BUFFER,
        additionalInformation: op.additionalInformation ?? 0,
        flags: op.flags ?? 0,
        fileId: ref.fileId,
      },
      payloadSize: op.outputBufferLength,
      tree: ref.tree,
    };
  },

  finish(_op, _user, reply) {
    const body = reply.body as QueryInfoResponse | undefined;
    return { status: reply.status, bytes: body?.outputBuffer.length ?? 0 };
  },
};

function fileTime(text: string | undefined): bigint {
  return text === undefined ? 0n : BigInt(text);
}

/** InfoType, class and buffer for a SET_INFO variant. */
export function encodeSetInfo(
  info: IrSetInfo,
  user: UserOpState,
): { infoType: number; infoClass: number; buffer: Buffer; additionalInformation: number } {
  const file = InfoType.SMB2_0_INFO_FILE;
  switch (info.kind) {
    case 'rename': {
      let fileName: string;
      try {
        fileName = user.paths.wirePath(info.newPath);
      } catch {
        throw new OpSkipped(SkipReason.BAD_PATH);
      }
      const buffer = encodeFileRenameInformation({
        replaceIfExists: info.replaceIfExists,
        rootDirectory: 0n,
        fileName,
      });
      return {
        infoType: file,
        infoClass: FileInformationClass.FileRenameInformation,
        buffer,
        additionalInformation: 0,
      };
    }
    case 'disposition':
      return {
        infoType: file,
        infoClass: FileInformationClass.FileDispositionInformation,
        buffer: encodeFileDispositionInformation({ deletePending: info.deletePending }),
        additionalInformation: 0,
      };
    case 'end_of_file':
      return {
        infoType: file,
        infoClass: FileInformationClass.FileEndOfFileInformation,
        buffer: encodeFileEndOfFileInformation({ endOfFile: BigInt(info.size) }),
        additionalInformation: 0,
      };
    case 'allocation':
      return {
        infoType: file,
        infoClass: FileInformationClass.FileAllocationInformation,
        buffer: encodeFileAllocationInformation({ allocationSize: BigInt(info.size) }),
        additionalInformation: 0,
      };
    case 'basic':
      return {
        infoType: file,
        infoClass: FileInformationClass.FileBasicInformation,
        buffer: encodeFileBasicInformation({
          creationTime: fileTime(info.times.creation),
          lastAccessTime: fileTime(info.times.lastAccess),
          lastWriteTime: fileTime(info.times.lastWrite),
          changeTime: fileTime(info.times.change),
          fileAttributes: info.attributes,
        }),
        additionalInformation: 0,
      };
    case 'other':
      return {
        infoType: info.infoType,
        infoClass: info.infoClass,
        buffer: Buffer.alloc(info.length),
        additionalInformation: info.additionalInformation ?? 0,
      };
  }
}

export const setInfoExecutor: OpExecutor<'set_info'> = {
  build(op, user, call) {
    const ref = handleRef(op, user, call);
    const { infoType, infoClass, buffer, additionalInformation } = encodeSetInfo(op.info, user);
    return {
      codec: setInfoCodec,
      request: { infoType, fileInfoClass: infoClass, buffer, additionalInformation, fileId: ref.fileId },
      payloadSize: buffer.length,
      tree: ref.tree,
    };
  },

  finish(op, user, reply) {
    if (reply.status === 0 && op.info.kind === 'end_of_file') {
      const open = user.handles.resolve(op.handle);
      if (typeof open !== 'string') open.size = BigInt(op.info.size);
    }
    return { status: reply.status, bytes: 0 };
  },
};
