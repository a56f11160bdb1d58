import { MalformedMessageError } from '../../errors/smbench-error.js';
import { contextTag, DerTag } from './der.js';
import { decodeNegTokenInit, type DecodedNegTokenInit } from './neg-token-init.js';
import { decodeNegTokenResp, type NegTokenResp } from './neg-token-resp.js';

/** Either arm of RFC 4178 4.2 NegotiationToken, tagged for narrowing. */
export type NegotiationToken =
  ({ readonly kind: 'init' } & DecodedNegTokenInit) | ({ readonly kind: 'resp' } & NegTokenResp);

/**
 * Decodes any SPNEGO token found in an SMB2 SecurityBuffer: the framed or bare NegTokenInit, or a
 * NegTokenResp. Useful where the direction is not known in advance (e.g. reading captures).
 */
export function decodeNegotiationToken(token: Buffer): NegotiationToken {
  const tag = token[0];
  if (tag === DerTag.APPLICATION_0 || tag === contextTag(0))
    return { kind: 'init', ...decodeNegTokenInit(token) };
  if (tag === contextTag(1)) return { kind: 'resp', ...decodeNegTokenResp(token) };
  throw new MalformedMessageError(
    tag === undefined ? 'empty SPNEGO token' : `not a SPNEGO token (first byte 0x${tag.toString(16)})`,
  );
}
