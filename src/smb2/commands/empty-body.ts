import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { SMB2_HEADER_SIZE } from '../constants.js';

/**
 * LOGOFF, TREE_DISCONNECT and CANCEL bodies (and their responses) are only StructureSize 4 plus a
 * 2-byte Reserved field (MS-SMB2 2.2.7, 2.2.8, 2.2.11, 2.2.12, 2.2.30).
 */
export type EmptyBody = Record<string, never>;

export const EMPTY_BODY_SIZE = 4;

export function encodeEmptyBody(msg: Buffer): void {
  new ByteWriter(msg, SMB2_HEADER_SIZE).u16(EMPTY_BODY_SIZE).u16(0);
}

export function decodeEmptyBody(msg: Buffer, what: string): EmptyBody {
  const r = new ByteReader(msg, SMB2_HEADER_SIZE);
  const size = r.u16();
  if (size !== EMPTY_BODY_SIZE) throw new MalformedMessageError(`${what} StructureSize ${size}, expected 4`);
  r.skip(2);
  return {};
}
