import { readSingle } from '../../spnego/der.js';
import {
  application,
  applicationTag,
  decodeInteger,
  decodeKerberosString,
  encodeInteger,
  encodeKerberosString,
  field,
  readFields,
  required,
  sequence,
} from './krb-der.js';
import { decodeEncryptedData, encodeEncryptedData, type EncryptedData } from './krb-types.js';
import { decodePrincipalName, encodePrincipalName, type PrincipalName } from './principal-name.js';
import { MalformedMessageError } from '../../../errors/smbench-error.js';

/**
 * Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] INTEGER (5), realm [1] Realm,
 *   sname [2] PrincipalName, enc-part [3] EncryptedData } (RFC 4120 5.3).
 * The client cannot read enc-part (it is sealed with the service's key) and must send the ticket
 * back byte for byte, so the exact DER is kept in `encoded`.
 */
export interface Ticket {
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly encPart: EncryptedData;
  readonly encoded: Buffer;
}

export const TICKET_APPLICATION = 1;

export function decodeTicket(encoded: Buffer): Ticket {
  const what = 'Ticket';
  const f = readFields(encoded, what, TICKET_APPLICATION);
  const vno = decodeInteger(required(f, 0, what), 'tkt-vno');
  if (vno !== 5) throw new MalformedMessageError(`Ticket: tkt-vno ${vno}, expected 5`);
  return {
    realm: decodeKerberosString(required(f, 1, what), 'Ticket realm'),
    sname: decodePrincipalName(required(f, 2, what), 'Ticket sname'),
    encPart: decodeEncryptedData(required(f, 3, what), 'Ticket enc-part'),
    // Copy so a cached ticket does not pin the whole KDC response buffer.
    encoded: Buffer.from(readSingle(encoded, applicationTag(TICKET_APPLICATION), what).encoded),
  };
}

/** Encodes a Ticket (used by tests and mock KDCs; clients resend `Ticket.encoded`). */
export function encodeTicket(t: Omit<Ticket, 'encoded'>): Buffer {
  return application(
    TICKET_APPLICATION,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeKerberosString(t.realm)),
      field(2, encodePrincipalName(t.sname)),
      field(3, encodeEncryptedData(t.encPart)),
    ),
  );
}
