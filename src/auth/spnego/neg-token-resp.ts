import { MalformedMessageError } from '../../errors/smbench-error.js';
import {
  contextTag,
  decodeEnumerated,
  DerReader,
  DerTag,
  encodeEnumerated,
  encodeTlv,
  readSingle,
} from './der.js';
import { decodeOidValue, encodeOid } from './oid.js';

/** RFC 4178 4.2.2 negState. */
export const NegState = {
  ACCEPT_COMPLETED: 0,
  ACCEPT_INCOMPLETE: 1,
  REJECT: 2,
  REQUEST_MIC: 3,
} as const;
export type NegState = (typeof NegState)[keyof typeof NegState];

/** RFC 4178 4.2.2 NegTokenResp; every field is optional on the wire. */
export interface NegTokenResp {
  readonly negState?: NegState;
  /** Dotted OID of the mechanism the acceptor chose (present in its first reply). */
  readonly supportedMech?: string;
  readonly responseToken?: Buffer;
  readonly mechListMIC?: Buffer;
}

/** Encodes NegotiationToken.negTokenResp: [1] NegTokenResp (no GSS framing after the first token). */
export function encodeNegTokenResp(resp: NegTokenResp): Buffer {
  const fields: Buffer[] = [];
  if (resp.negState !== undefined) fields.push(encodeTlv(contextTag(0), encodeEnumerated(resp.negState)));
  if (resp.supportedMech !== undefined) fields.push(encodeTlv(contextTag(1), encodeOid(resp.supportedMech)));
  if (resp.responseToken) {
    fields.push(encodeTlv(contextTag(2), encodeTlv(DerTag.OCTET_STRING, resp.responseToken)));
  }
  if (resp.mechListMIC)
    fields.push(encodeTlv(contextTag(3), encodeTlv(DerTag.OCTET_STRING, resp.mechListMIC)));
  return encodeTlv(contextTag(1), encodeTlv(DerTag.SEQUENCE, ...fields));
}

export function decodeNegTokenResp(token: Buffer): NegTokenResp {
  const seq = readSingle(
    readSingle(token, contextTag(1), 'negTokenResp').value,
    DerTag.SEQUENCE,
    'NegTokenResp',
  );
  const fields = new DerReader(seq.value, 'NegTokenResp');
  const out: { negState?: NegState; supportedMech?: string; responseToken?: Buffer; mechListMIC?: Buffer } =
    {};
  while (!fields.done) {
    const field = fields.read();
    switch (field.tag) {
      case contextTag(0): {
        const state = decodeEnumerated(
          readSingle(field.value, DerTag.ENUMERATED, 'negState').value,
          'negState',
        );
        if (state > NegState.REQUEST_MIC)
          throw new MalformedMessageError(`NegTokenResp: unknown negState ${state}`);
        out.negState = state as NegState;
        break;
      }
      case contextTag(1):
        out.supportedMech = decodeOidValue(
          readSingle(field.value, DerTag.OBJECT_IDENTIFIER, 'supportedMech').value,
        );
        break;
      case contextTag(2):
        out.responseToken = readSingle(field.value, DerTag.OCTET_STRING, 'responseToken').value;
        break;
      case contextTag(3):
        out.mechListMIC = readSingle(field.value, DerTag.OCTET_STRING, 'mechListMIC').value;
        break;
      default:
        break;
    }
  }
  return out;
}
