import { MalformedMessageError } from '../../errors/smbench-error.js';
import type { CommandCodec } from '../command-codec.js';
import { Command } from '../constants.js';
import { decodeEmptyBody, EMPTY_BODY_SIZE, encodeEmptyBody, type EmptyBody } from './empty-body.js';

/**
 * SMB2 CANCEL Request: StructureSize 4 + Reserved (MS-SMB2 2.2.30). The header carries the
 * MessageId (or AsyncId) of the request to cancel; CANCEL itself gets no response (3.3.5.16).
 */
export type CancelRequest = EmptyBody;
export type CancelResponse = never;

export const cancelCodec: CommandCodec<CancelRequest, CancelResponse> = {
  command: Command.CANCEL,
  requestSize: () => EMPTY_BODY_SIZE,
  encodeRequest: (_req, msg) => encodeEmptyBody(msg),
  decodeRequest: (msg) => decodeEmptyBody(msg, 'CANCEL request'),
  decodeResponse() {
    // The server answers the cancelled request (STATUS_CANCELLED), never the CANCEL.
    throw new MalformedMessageError('CANCEL has no response (MS-SMB2 3.3.5.16)');
  },
};
