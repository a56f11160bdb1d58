import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE } from '../constants.js';
import { sliceVariableBuffer } from './variable-buffer.js';

/** TREE_CONNECT request Flags (3.1.1 only; Reserved before), MS-SMB2 2.2.9. */
export const TreeConnectFlags = {
  SMB2_TREE_CONNECT_FLAG_CLUSTER_RECONNECT: 0x0001,
  SMB2_TREE_CONNECT_FLAG_REDIRECT_TO_OWNER: 0x0002,
  SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT: 0x0004,
} as const;

/** ShareType, MS-SMB2 2.2.10. */
export const ShareType = {
  SMB2_SHARE_TYPE_DISK: 0x01,
  SMB2_SHARE_TYPE_PIPE: 0x02,
  SMB2_SHARE_TYPE_PRINT: 0x03,
} as const;
export type ShareType = (typeof ShareType)[keyof typeof ShareType];

/** ShareFlags, MS-SMB2 2.2.10. The caching policy is a 2-bit field, not independent flags. */
export const ShareFlags = {
  SMB2_SHAREFLAG_MANUAL_CACHING: 0x00000000,
  SMB2_SHAREFLAG_AUTO_CACHING: 0x00000010,
  SMB2_SHAREFLAG_VDO_CACHING: 0x00000020,
  SMB2_SHAREFLAG_NO_CACHING: 0x00000030,
  SMB2_SHAREFLAG_DFS: 0x00000001,
  SMB2_SHAREFLAG_DFS_ROOT: 0x00000002,
  SMB2_SHAREFLAG_RESTRICT_EXCLUSIVE_OPENS: 0x00000100,
  SMB2_SHAREFLAG_FORCE_SHARED_DELETE: 0x00000200,
  SMB2_SHAREFLAG_ALLOW_NAMESPACE_CACHING: 0x00000400,
  SMB2_SHAREFLAG_ACCESS_BASED_DIRECTORY_ENUM: 0x00000800,
  SMB2_SHAREFLAG_FORCE_LEVELII_OPLOCK: 0x00001000,
  SMB2_SHAREFLAG_ENABLE_HASH_V1: 0x00002000,
  SMB2_SHAREFLAG_ENABLE_HASH_V2: 0x00004000,
  SMB2_SHAREFLAG_ENCRYPT_DATA: 0x00008000,
  SMB2_SHAREFLAG_IDENTITY_REMOTING: 0x00040000,
  SMB2_SHAREFLAG_COMPRESS_DATA: 0x00100000,
  SMB2_SHAREFLAG_ISOLATED_TRANSPORT: 0x00200000,
} as const;

/** Mask of the caching-policy field inside ShareFlags. */
export const SHAREFLAG_CACHING_MASK = 0x00000030;

/** Share Capabilities, MS-SMB2 2.2.10. */
export const ShareCapabilities = {
  SMB2_SHARE_CAP_DFS: 0x00000008,
  SMB2_SHARE_CAP_CONTINUOUS_AVAILABILITY: 0x00000010,
  SMB2_SHARE_CAP_SCALEOUT: 0x00000020,
  SMB2_SHARE_CAP_CLUSTER: 0x00000040,
  SMB2_SHARE_CAP_ASYMMETRIC: 0x00000080,
  SMB2_SHARE_CAP_REDIRECT_TO_OWNER: 0x00000100,
} as const;

/** SMB2 TREE_CONNECT Request, MS-SMB2 2.2.9. */
export interface TreeConnectRequest {
  flags: number;
  /** Full share path, `\\server\share`, sent as UTF-16LE. */
  path: string;
}

/** SMB2 TREE_CONNECT Response, MS-SMB2 2.2.10. The TreeId is in the response header. */
export interface TreeConnectResponse {
  shareType: number;
  shareFlags: number;
  capabilities: number;
  maximalAccess: number;
}

const REQUEST_STRUCTURE_SIZE = 9;
const REQUEST_FIXED_SIZE = 8;
const RESPONSE_STRUCTURE_SIZE = 16;
const PATH_OFFSET = SMB2_HEADER_SIZE + REQUEST_FIXED_SIZE;

export const treeConnectCodec: CommandCodec<TreeConnectRequest, TreeConnectResponse> = {
  command: Command.TREE_CONNECT,

  requestSize: (req) => REQUEST_FIXED_SIZE + utf16Length(req.path),

  encodeRequest(req, msg) {
    const w = new ByteWriter(msg, SMB2_HEADER_SIZE)
      .u16(REQUEST_STRUCTURE_SIZE)
      .u16(req.flags)
      .u16(PATH_OFFSET)
      .u16(utf16Length(req.path));
    w.offset += msg.write(req.path, w.offset, 'utf16le');
  },

  decodeRequest(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== REQUEST_STRUCTURE_SIZE)
      throw new MalformedMessageError(`TREE_CONNECT request StructureSize ${size}`);
    const flags = r.u16();
    const offset = r.u16();
    const length = r.u16();
    // With SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT the path still sits at PathOffset (2.2.9.1).
    const path = fromUtf16(sliceVariableBuffer(r, offset, length, PATH_OFFSET, 'TREE_CONNECT Path'));
    return { flags, path };
  },

  decodeResponse(msg) {
    const r = new ByteReader(msg, SMB2_HEADER_SIZE);
    const size = r.u16();
    if (size !== RESPONSE_STRUCTURE_SIZE)
      throw new MalformedMessageError(`TREE_CONNECT response StructureSize ${size}`);
    const shareType = r.u8();
    r.skip(1);
    return { shareType, shareFlags: r.u32(), capabilities: r.u32(), maximalAccess: r.u32() };
  },
};
