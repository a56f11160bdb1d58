import { MalformedMessageError } from '../../errors/smbench-error.js';
import { contextTag, DerReader, DerTag, encodeTlv, readSingle, type DerElement } from './der.js';
import { decodeOidValue, encodeOid, MechOid } from './oid.js';

/** MS-SPNG 2.2.1 NegHints: the server's (ignored, "not_defined_in_RFC4178@please_ignore") hint. */
export interface NegHints {
  readonly hintName?: string;
  readonly hintAddress?: Buffer;
}

/**
 * RFC 4178 4.2.1 NegTokenInit, plus the negHints field of MS-SPNG 2.2.1 NegTokenInit2 that servers
 * send in the SMB2 NEGOTIATE response (MS-SMB2 3.3.5.4).
 */
export interface NegTokenInit {
  /** Mechanism OIDs in dotted form, most preferred first. */
  readonly mechTypes: readonly string[];
  /** ContextFlags BIT STRING content (RFC 4178 4.2.1); clients SHOULD omit it. */
  readonly reqFlags?: Buffer;
  /** The optimistic token of the first mechanism (e.g. NTLM NEGOTIATE). */
  readonly mechToken?: Buffer;
  readonly negHints?: NegHints;
  readonly mechListMIC?: Buffer;
}

export interface DecodedNegTokenInit extends NegTokenInit {
  /** The exact DER bytes of MechTypeList, over which mechListMIC is computed (RFC 4178 5). */
  readonly mechTypesDer: Buffer;
}

/** DER of MechTypeList ::= SEQUENCE OF MechType (RFC 4178 4.1): the input of mechListMIC. */
export function encodeMechTypeList(mechTypes: readonly string[]): Buffer {
  return encodeTlv(DerTag.SEQUENCE, ...mechTypes.map(encodeOid));
}

/**
 * Encodes an initial SPNEGO token: the GSS-API InitialContextToken framing (RFC 2743 3.1,
 * [APPLICATION 0] { thisMech = SPNEGO OID, innerContextToken }) around
 * NegotiationToken.negTokenInit [0] (RFC 4178 4.2).
 */
export function encodeNegTokenInit(init: NegTokenInit): Buffer {
  const fields: Buffer[] = [encodeTlv(contextTag(0), encodeMechTypeList(init.mechTypes))];
  if (init.reqFlags) fields.push(encodeTlv(contextTag(1), encodeTlv(DerTag.BIT_STRING, init.reqFlags)));
  if (init.mechToken) fields.push(encodeTlv(contextTag(2), encodeTlv(DerTag.OCTET_STRING, init.mechToken)));
  if (init.negHints) fields.push(encodeTlv(contextTag(3), encodeNegHints(init.negHints)));
  if (init.mechListMIC) {
    // NegTokenInit2 moves mechListMIC to [4] to make room for negHints (MS-SPNG 2.2.1).
    const tag = init.negHints ? contextTag(4) : contextTag(3);
    fields.push(encodeTlv(tag, encodeTlv(DerTag.OCTET_STRING, init.mechListMIC)));
  }
  const negTokenInit = encodeTlv(contextTag(0), encodeTlv(DerTag.SEQUENCE, ...fields));
  return encodeTlv(DerTag.APPLICATION_0, encodeOid(MechOid.SPNEGO), negTokenInit);
}

function encodeNegHints(hints: NegHints): Buffer {
  const parts: Buffer[] = [];
  if (hints.hintName !== undefined) {
    parts.push(
      encodeTlv(contextTag(0), encodeTlv(DerTag.GENERAL_STRING, Buffer.from(hints.hintName, 'latin1'))),
    );
  }
  if (hints.hintAddress)
    parts.push(encodeTlv(contextTag(1), encodeTlv(DerTag.OCTET_STRING, hints.hintAddress)));
  return encodeTlv(DerTag.SEQUENCE, ...parts);
}

/**
 * Decodes a NegTokenInit or NegTokenInit2, either inside the InitialContextToken framing (as
 * servers send it in the NEGOTIATE response) or as a bare [0] NegotiationToken.
 */
export function decodeNegTokenInit(token: Buffer): DecodedNegTokenInit {
  let inner = token;
  if (token[0] === DerTag.APPLICATION_0) {
    const framing = new DerReader(readSingle(token, DerTag.APPLICATION_0, 'GSS InitialContextToken').value);
    const thisMech = decodeOidValue(framing.expect(DerTag.OBJECT_IDENTIFIER, 'GSS thisMech').value);
    if (thisMech !== MechOid.SPNEGO)
      throw new MalformedMessageError(`GSS token for mechanism ${thisMech}, not SPNEGO`);
    inner = framing.read().encoded;
    if (!framing.done) throw new MalformedMessageError('GSS InitialContextToken: trailing bytes');
  }
  const seq = readSingle(
    readSingle(inner, contextTag(0), 'negTokenInit').value,
    DerTag.SEQUENCE,
    'NegTokenInit',
  );
  const fields = new DerReader(seq.value, 'NegTokenInit');
  let mechTypes: string[] | undefined;
  let mechTypesDer: Buffer | undefined;
  const out: { reqFlags?: Buffer; mechToken?: Buffer; negHints?: NegHints; mechListMIC?: Buffer } = {};
  while (!fields.done) {
    const field = fields.read();
    switch (field.tag) {
      case contextTag(0): {
        const list = readSingle(field.value, DerTag.SEQUENCE, 'MechTypeList');
        mechTypesDer = list.encoded;
        mechTypes = [];
        const oids = new DerReader(list.value, 'MechTypeList');
        while (!oids.done)
          mechTypes.push(decodeOidValue(oids.expect(DerTag.OBJECT_IDENTIFIER, 'MechType').value));
        break;
      }
      case contextTag(1):
        out.reqFlags = readSingle(field.value, DerTag.BIT_STRING, 'reqFlags').value;
        break;
      case contextTag(2):
        out.mechToken = readSingle(field.value, DerTag.OCTET_STRING, 'mechToken').value;
        break;
      case contextTag(3):
        // [3] is negHints (a SEQUENCE) in NegTokenInit2 but mechListMIC in plain NegTokenInit.
        if (field.value[0] === DerTag.SEQUENCE) out.negHints = decodeNegHints(field);
        else out.mechListMIC = readSingle(field.value, DerTag.OCTET_STRING, 'mechListMIC').value;
        break;
      case contextTag(4):
        out.mechListMIC = readSingle(field.value, DerTag.OCTET_STRING, 'mechListMIC').value;
        break;
      default:
        // RFC 4178 leaves the SEQUENCE extensible; skip fields we do not know.
        break;
    }
  }
  if (!mechTypes || !mechTypesDer) throw new MalformedMessageError('NegTokenInit without mechTypes');
  return { mechTypes, mechTypesDer, ...out };
}

function decodeNegHints(field: DerElement): NegHints {
  const seq = readSingle(field.value, DerTag.SEQUENCE, 'NegHints');
  const r = new DerReader(seq.value, 'NegHints');
  const hints: { hintName?: string; hintAddress?: Buffer } = {};
  while (!r.done) {
    const el = r.read();
    if (el.tag === contextTag(0)) {
      hints.hintName = readSingle(el.value, DerTag.GENERAL_STRING, 'hintName').value.toString('latin1');
    } else if (el.tag === contextTag(1)) {
      hints.hintAddress = readSingle(el.value, DerTag.OCTET_STRING, 'hintAddress').value;
    }
  }
  return hints;
}
