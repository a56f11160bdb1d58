/**
 * Who a session belongs to, from its SESSION_SETUP security tokens (MS-SMB2 2.2.5).
 *
 * NTLM names the user in clear: the AUTHENTICATE_MESSAGE carries DomainName and UserName
 * (MS-NLMP 2.2.1.3), raw or wrapped in SPNEGO (RFC 4178). Kerberos does not: the client principal
 * is inside the encrypted authenticator (RFC 4120 5.5.1). What is in clear is the service ticket
 * (realm, server name, encrypted part), which a client reuses for every session to the same server
 * until it expires, so a hash of it is a stable stand-in for "the same user": `REALM\krb5-<hash>`.
 */
import { createHash } from 'node:crypto';
import { decodeAuthenticateMessage } from '../../auth/ntlm/authenticate-message.js';
import { MessageType, NTLMSSP_SIGNATURE } from '../../auth/ntlm/constants.js';
import { DerReader, DerTag } from '../../auth/spnego/der.js';
import { decodeNegotiationToken } from '../../auth/spnego/negotiation-token.js';
import { decodeOidValue, MechOid } from '../../auth/spnego/oid.js';
import { AuthMechanism } from './session-state.js';

export interface SessionAuth {
  readonly mechanism: AuthMechanism;
  /** `DOMAIN\user` (NTLM), a synthetic stable name (Kerberos), or undefined (nothing to name yet). */
  readonly name: string | undefined;
}

const NONE: SessionAuth = { mechanism: AuthMechanism.UNKNOWN, name: undefined };
/** GSS-API InitialContextToken framing, RFC 2743 3.1. */
const GSS_APPLICATION_0 = 0x60;
/** KRB_AP_REQ ::= [APPLICATION 14] (RFC 4120 5.5.1). */
const KRB_AP_REQ_TAG = 0x6e;
/** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] } (RFC 4120 5.3). */
const AP_REQ_TICKET_FIELD = 0xa3;
const TICKET_REALM_FIELD = 0xa1;
const KRB5_OIDS: readonly string[] = [MechOid.KRB5, MechOid.MS_KRB5];

function isNtlm(token: Buffer): boolean {
  return token.length >= 12 && token.subarray(0, 8).equals(NTLMSSP_SIGNATURE);
}

function fromNtlm(token: Buffer): SessionAuth {
  if (token.readUInt32LE(8) !== MessageType.NtLmAuthenticate)
    return { mechanism: AuthMechanism.NTLM, name: undefined };
  const msg = decodeAuthenticateMessage(token);
  if (msg.userName === '') return { mechanism: AuthMechanism.ANONYMOUS, name: 'ANONYMOUS' };
  const name = msg.domainName === '' ? msg.userName : `${msg.domainName}\\${msg.userName}`;
  return { mechanism: AuthMechanism.NTLM, name };
}

/** The realm and a hash of the ticket inside a GSS-wrapped (or bare) KRB_AP_REQ, if it parses. */
function fromKerberos(token: Buffer): SessionAuth {
  let apReq = token;
  if (token[0] === GSS_APPLICATION_0) {
    const inner = new DerReader(token, 'GSS token').read().value;
    const r = new DerReader(inner, 'GSS token');
    const oid = r.expect(DerTag.OBJECT_IDENTIFIER, 'GSS mechanism').encoded.length;
    // After the OID: the 2-byte TOK_ID (01 00 for an AP-REQ, RFC 4121 4.1), then the message.
    apReq = inner.subarray(oid + 2);
  }
  if (apReq[0] !== KRB_AP_REQ_TAG) return { mechanism: AuthMechanism.KERBEROS, name: undefined };
  const seq = new DerReader(new DerReader(apReq, 'AP-REQ').read().value, 'AP-REQ').expect(
    DerTag.SEQUENCE,
    'AP-REQ',
  );
  const fields = new DerReader(seq.value, 'AP-REQ');
  while (!fields.done) {
    const field = fields.read();
    if (field.tag !== AP_REQ_TICKET_FIELD) continue;
    const hash = createHash('sha256').update(field.value).digest('hex').slice(0, 12);
    return {
      mechanism: AuthMechanism.KERBEROS,
      name: `${ticketRealm(field.value) ?? 'KERBEROS'}\\krb5-${hash}`,
    };
  }
  return { mechanism: AuthMechanism.KERBEROS, name: undefined };
}

function ticketRealm(ticketField: Buffer): string | undefined {
  const ticket = new DerReader(ticketField, 'Ticket').read();
  const seq = new DerReader(ticket.value, 'Ticket').expect(DerTag.SEQUENCE, 'Ticket');
  const fields = new DerReader(seq.value, 'Ticket');
  while (!fields.done) {
    const field = fields.read();
    if (field.tag === TICKET_REALM_FIELD)
      return new DerReader(field.value, 'Realm').read().value.toString('latin1');
  }
  return undefined;
}

function fromMechToken(token: Buffer, mech: string | undefined): SessionAuth {
  if (isNtlm(token)) return fromNtlm(token);
  if (
    (mech !== undefined && KRB5_OIDS.includes(mech)) ||
    token[0] === GSS_APPLICATION_0 ||
    token[0] === KRB_AP_REQ_TAG
  ) {
    return fromKerberos(token);
  }
  return NONE;
}

/**
 * Reads one client SESSION_SETUP token. Throws MalformedMessageError on garbage; a token with
 * nothing to name (NTLM NEGOTIATE, an empty SPNEGO continuation) gives `name: undefined`.
 */
export function sessionAuthFromToken(token: Buffer): SessionAuth {
  if (token.length === 0) return NONE;
  if (isNtlm(token)) return fromNtlm(token);
  if (token[0] === GSS_APPLICATION_0 && !isSpnegoFramed(token)) return fromKerberos(token);
  const spnego = decodeNegotiationToken(token);
  if (spnego.kind === 'init') {
    const mech = spnego.mechTypes[0];
    if (spnego.mechToken === undefined) {
      return mech !== undefined && KRB5_OIDS.includes(mech)
        ? { mechanism: AuthMechanism.KERBEROS, name: undefined }
        : NONE;
    }
    return fromMechToken(spnego.mechToken, mech);
  }
  return spnego.responseToken === undefined
    ? NONE
    : fromMechToken(spnego.responseToken, spnego.supportedMech);
}

/** A GSS InitialContextToken whose thisMech is SPNEGO (vs. a bare Kerberos one). */
function isSpnegoFramed(token: Buffer): boolean {
  const inner = new DerReader(token, 'GSS token').read().value;
  const oid = new DerReader(inner, 'GSS token').read();
  return oid.tag === DerTag.OBJECT_IDENTIFIER && decodeOidValue(oid.value) === MechOid.SPNEGO;
}
