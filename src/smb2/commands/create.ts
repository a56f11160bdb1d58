import { ByteReader } from '../../bytes/byte-reader.js';
import { alignUp, ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE, type FileId } from '../constants.js';
import {
  createContextChainSize,
  decodeCreateContextChain,
  encodeCreateContextChain,
} from '../create-contexts/chain.js';
import {
  requestContextFromRaw,
  requestContextToRaw,
  type CreateRequestContext,
} from '../create-contexts/request-contexts.js';
import { responseContextFromRaw, type CreateResponseContext } from '../create-contexts/response-contexts.js';
import { readFileId } from '../file-id.js';
import { sliceVariableBuffer } from './variable-buffer.js';

export {
  CreateAction,
  CreateDisposition,
  CreateOptions,
  CreateResponseFlags,
  DirectoryAccessMask,
  FileAccessMask,
  ImpersonationLevel,
  OplockLevel,
  ShareAccess,
} from './create-constants.js';
export { FileAttributes } from '../fscc/file-attributes.js';
export type { CreateRequestContext } from '../create-contexts/request-contexts.js';
export type { CreateResponseContext } from '../create-contexts/response-contexts.js';

/** SMB2 CREATE Request, MS-SMB2 2.2.13. Constants are in create-constants.ts (re-exported here). */
export interface CreateRequest {
  /** Reserved, MUST be 0 (2.2.13). */
  securityFlags?: number;
  requestedOplockLevel: number;
  impersonationLevel: number;
  desiredAccess: number;
  fileAttributes: number;
  shareAccess: number;
  createDisposition: number;
  createOptions: number;
  /** Relative to the share root, backslash-separated, no leading backslash; '' is the root. */
  name: string;
  createContexts?: CreateRequestContext[];
}

/** SMB2 CREATE Response, MS-SMB2 2.2.14. Times are FILETIME as bigint. */
export interface CreateResponse {
  oplockLevel: number;
  flags: number;
  createAction: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  allocationSize: bigint;
  endOfFile: bigint;
  fileAttributes: number;
  fileId: FileId;
  createContexts: CreateResponseContext[];
}

const REQUEST_STRUCTURE_SIZE = 57;
const REQUEST_FIXED_SIZE = 56;
const RESPONSE_STRUCTURE_SIZE = 89;
const RESPONSE_FIXED_SIZE = 88;
const NAME_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED_SIZE;
/** "In the request, the Buffer field MUST be at least one byte in length" (2.2.13). */
const MIN_BUFFER = 1;

/**
 * Request layout after the fixed part: Name, then (if any) padding to 8 and the context chain.
 * Computed once per request so requestSize and encodeRequest agree.
 */
function layout(req: CreateRequest) {
  const nameLength = utf16Length(req.name);
  const contexts = (req.createContexts ?? []).map(requestContextToRaw);
  if (contexts.length === 0) {
    return {
      nameLength,
      contexts,
      contextsOffset: 0,
      contextsLength: 0,
      end: NAME_OFFSET + Math.max(nameLength, MIN_BUFFER),
    };
  }
  const contextsOffset = alignUp(NAME_OFFSET + nameLength, 8);
  const contextsLength = createContextChainSize(contexts);
  return { nameLength, contexts, contextsOffset, contextsLength, end: contextsOffset + contextsLength };
}

export const createCodec: CommandCodec<CreateRequest, CreateResponse> = {
  command: Command.CREATE,

  requestSize: (req) => layout(req).end - SMB2_HEADER_SIZE,

  encodeRequest(req, msg) {
    const l = layout(req);
    if (l.nameLength > 0xffff)
      throw new RangeError(`CREATE name of ${l.nameLength} bytes exceeds NameLength`);
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u8(req.securityFlags ?? 0)
      .u8(req.requestedOplockLevel)
      .u32(req.impersonationLevel)
      .u64(0n) // SmbCreateFlags, reserved
      .u64(0n) // Reserved
      .u32(req.desiredAccess)
      .u32(req.fileAttributes)
      .u32(req.shareAccess)
      .u32(req.createDisposition)
      .u32(req.createOptions)
      .u16(NAME_OFFSET)
      .u16(l.nameLength)
      .u32(l.contextsOffset)
      .u32(l.contextsLength);
    w.offset += msg.write(req.name, w.offset, 'utf16le');
    if (l.contexts.length === 0) {
      w.zeros(l.end - w.offset);
      return;
    }
    w.zeros(l.contextsOffset - w.offset);
    encodeCreateContextChain(l.contexts, msg, l.contextsOffset);
  },

  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`CREATE request StructureSize ${size}`);
    const securityFlags = r.u8();
    const requestedOplockLevel = r.u8();
    const impersonationLevel = r.u32();
    r.skip(16);
    const desiredAccess = r.u32();
    const fileAttributes = r.u32();
    const shareAccess = r.u32();
    const createDisposition = r.u32();
    const createOptions = r.u32();
    const nameOffset = r.u16();
    const nameLength = r.u16();
    const contextsOffset = r.u32();
    const contextsLength = r.u32();
    const name = fromUtf16(sliceVariableBuffer(r, nameOffset, nameLength, NAME_OFFSET, 'CREATE Name'));
    checkContextsOffset(contextsOffset, contextsLength, NAME_OFFSET);
    const createContexts = decodeCreateContextChain(msg, contextsOffset, contextsLength).map(
      requestContextFromRaw,
    );
    return {
      securityFlags,
      requestedOplockLevel,
      impersonationLevel,
      desiredAccess,
      fileAttributes,
      shareAccess,
      createDisposition,
      createOptions,
      name,
      createContexts,
    };
  },

  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`CREATE response StructureSize ${size}`);
    r.need(RESPONSE_FIXED_SIZE - 2, 'CREATE response');
    const oplockLevel = r.u8();
    const flags = r.u8();
    const createAction = r.u32();
    const creationTime = r.u64();
    const lastAccessTime = r.u64();
    const lastWriteTime = r.u64();
    const changeTime = r.u64();
    const allocationSize = r.u64();
    const endOfFile = r.u64();
    const fileAttributes = r.u32();
    r.skip(4);
    const fileId = readFileId(r);
    const contextsOffset = r.u32();
    const contextsLength = r.u32();
    checkContextsOffset(contextsOffset, contextsLength, SMB2_HEADER_SIZE + RESPONSE_FIXED_SIZE);
    const createContexts = decodeCreateContextChain(msg, contextsOffset, contextsLength).map(
      responseContextFromRaw,
    );
    return {
      oplockLevel,
      flags,
      createAction,
      creationTime,
      lastAccessTime,
      lastWriteTime,
      changeTime,
      allocationSize,
      endOfFile,
      fileAttributes,
      fileId,
      createContexts,
    };
  },
};

function checkContextsOffset(offset: number, length: number, fixedEnd: number): void {
  if (length > 0 && offset < fixedEnd) {
    throw new MalformedMessageError(
      `CREATE CreateContextsOffset ${offset} overlaps the fixed part ending at ${fixedEnd}`,
    );
  }
}
