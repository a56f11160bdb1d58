import type { CommandCodec } from '../command-codec.js';
import { Command } from '../constants.js';
import { decodeEmptyBody, EMPTY_BODY_SIZE, encodeEmptyBody, type EmptyBody } from './empty-body.js';

/** SMB2 LOGOFF Request and Response: StructureSize 4 + Reserved (MS-SMB2 2.2.7, 2.2.8). */
export type LogoffRequest = EmptyBody;
export type LogoffResponse = EmptyBody;

export const logoffCodec: CommandCodec<LogoffRequest, LogoffResponse> = {
  command: Command.LOGOFF,
  requestSize: () => EMPTY_BODY_SIZE,
  encodeRequest: (_req, msg) => encodeEmptyBody(msg),
  decodeRequest: (msg) => decodeEmptyBody(msg, 'LOGOFF request'),
  decodeResponse: (msg) => decodeEmptyBody(msg, 'LOGOFF response'),
};
