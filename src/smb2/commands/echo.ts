import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command, SMB2_HEADER_SIZE } from '../constants.js';

/** ECHO request and response are both StructureSize 4 + Reserved (MS-SMB2 2.2.28, 2.2.29). */
export type EchoRequest = Record<string, never>;
export type EchoResponse = Record<string, never>;

const STRUCTURE_SIZE = 4;

function decodeEmpty(msg: Buffer, what: string): Record<string, never> {
  const r = new ByteReader(msg, SMB2_HEADER_SIZE);
  const size = r.u16();
  if (size !== STRUCTURE_SIZE) throw new MalformedMessageError(`${what} StructureSize ${size}, expected 4`);
  return {};
}

export const echoCodec: CommandCodec<EchoRequest, EchoResponse> = {
  command: Command.ECHO,
  requestSize: () => STRUCTURE_SIZE,
  encodeRequest(_req, msg) {
    new ByteWriter(msg, SMB2_HEADER_SIZE).u16(STRUCTURE_SIZE).u16(0);
  },
  decodeRequest: (msg) => decodeEmpty(msg, 'ECHO request'),
  decodeResponse: (msg) => decodeEmpty(msg, 'ECHO response'),
};
