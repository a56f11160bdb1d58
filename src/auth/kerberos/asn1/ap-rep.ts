import { MalformedMessageError } from '../../../errors/smbench-error.js';
import { DerReader } from '../../spnego/der.js';
import {
  application,
  decodeInteger,
  decodeKerberosTime,
  encodeInteger,
  encodeKerberosTime,
  field,
  optional,
  readFields,
  required,
  sequence,
} from './krb-der.js';
import { KrbMessageType } from './kdc-req.js';
import {
  decodeEncryptedData,
  decodeEncryptionKey,
  encodeEncryptedData,
  encodeEncryptionKey,
  type EncryptedData,
  type EncryptionKeyValue,
} from './krb-types.js';

/** AP-REP ::= [APPLICATION 15] SEQUENCE { pvno [0], msg-type [1], enc-part [2] EncryptedData } (RFC 4120 5.5.2). */
export function decodeApRep(buf: Buffer): EncryptedData {
  const what = 'AP-REP';
  const f = readFields(buf, what, KrbMessageType.KRB_AP_REP);
  const msgType = decodeInteger(required(f, 1, what), 'msg-type');
  if (msgType !== KrbMessageType.KRB_AP_REP) throw new MalformedMessageError(`AP-REP: msg-type ${msgType}`);
  return decodeEncryptedData(required(f, 2, what), 'AP-REP enc-part');
}

export function encodeApRep(encPart: EncryptedData): Buffer {
  return application(
    KrbMessageType.KRB_AP_REP,
    sequence(
      field(0, encodeInteger(5)),
      field(1, encodeInteger(KrbMessageType.KRB_AP_REP)),
      field(2, encodeEncryptedData(encPart)),
    ),
  );
}

/**
 * EncAPRepPart ::= [APPLICATION 27] SEQUENCE { ctime [0] KerberosTime, cusec [1] Microseconds,
 *   subkey [2] EncryptionKey OPTIONAL, seq-number [3] UInt32 OPTIONAL } (RFC 4120 5.5.2).
 */
export interface EncApRepPart {
  readonly ctime: Date;
  readonly cusec: number;
  readonly subkey?: EncryptionKeyValue;
  readonly seqNumber?: number;
}

export const ENC_AP_REP_PART = 27;

export function decodeEncApRepPart(buf: Buffer): EncApRepPart {
  const what = 'EncAPRepPart';
  const el = new DerReader(buf, what).read();
  const f = readFields(el.encoded, what, ENC_AP_REP_PART);
  const subkey = optional(f, 2, decodeEncryptionKey, 'subkey');
  const seqNumber = optional(f, 3, decodeInteger, 'seq-number');
  return {
    ctime: decodeKerberosTime(required(f, 0, what), 'ctime'),
    cusec: decodeInteger(required(f, 1, what), 'cusec'),
    ...(subkey ? { subkey } : {}),
    ...(seqNumber === undefined ? {} : { seqNumber }),
  };
}

export function encodeEncApRepPart(p: EncApRepPart): Buffer {
  return application(
    ENC_AP_REP_PART,
    sequence(
      field(0, encodeKerberosTime(p.ctime)),
      field(1, encodeInteger(p.cusec)),
      field(2, p.subkey && encodeEncryptionKey(p.subkey)),
      field(3, p.seqNumber === undefined ? undefined : encodeInteger(p.seqNumber)),
    ),
  );
}
