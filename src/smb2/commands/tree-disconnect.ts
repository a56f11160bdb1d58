import type { CommandCodec } from '../command-codec.js';
import { Command } from '../constants.js';
import { decodeEmptyBody, EMPTY_BODY_SIZE, encodeEmptyBody, type EmptyBody } from './empty-body.js';

/** SMB2 TREE_DISCONNECT Request and Response: StructureSize 4 + Reserved (MS-SMB2 2.2.11, 2.2.12). */
export type TreeDisconnectRequest = EmptyBody;
export type TreeDisconnectResponse = EmptyBody;

export const treeDisconnectCodec: CommandCodec<TreeDisconnectRequest, TreeDisconnectResponse> = {
  command: Command.TREE_DISCONNECT,
  requestSize: () => EMPTY_BODY_SIZE,
  encodeRequest: (_req, msg) => encodeEmptyBody(msg),
  decodeRequest: (msg) => decodeEmptyBody(msg, 'TREE_DISCONNECT request'),
  decodeResponse: (msg) => decodeEmptyBody(msg, 'TREE_DISCONNECT response'),
};
