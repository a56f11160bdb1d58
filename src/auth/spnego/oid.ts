import { MalformedMessageError } from '../../errors/smbench-error.js';
import { DerTag, encodeTlv } from './der.js';

/** Mechanism OIDs seen in SMB SPNEGO exchanges (RFC 4178, MS-SPNG 2.2, MS-NLMP 1.9, RFC 4121). */
export const MechOid = {
  /** SPNEGO itself, the thisMech of the GSS InitialContextToken (RFC 4178 3). */
  SPNEGO: '1.3.6.1.5.5.2',
  /** NTLMSSP (MS-NLMP). */
  NTLMSSP: '1.3.6.1.4.1.311.2.2.10',
  /** Kerberos 5 (RFC 4121). */
  KRB5: '1.2.840.113554.1.2.2',
  /** The truncated Kerberos OID that old Windows clients sent; Windows servers still advertise it. */
  MS_KRB5: '1.2.840.48018.1.2.2',
  /** NegoEx (MS-NEGOEX). */
  NEGOEX: '1.3.6.1.4.1.311.2.2.30',
} as const;
export type MechOid = (typeof MechOid)[keyof typeof MechOid];

/** Encodes the content octets of an OBJECT IDENTIFIER (X.690 8.19) from dotted form. */
export function encodeOidValue(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID arc "${a}" in ${oid}`);
    return Number(a);
  });
  if (arcs.length < 2) throw new RangeError(`OID ${oid} needs at least two arcs`);
  // X.690 8.19.4: the first two arcs share one subidentifier, 40 * first + second.
  const subids = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const id of subids) {
    // Base-128, most significant group first, continuation bit on all but the last (8.19.2).
    const groups: number[] = [id & 0x7f];
    for (let v = Math.floor(id / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    out.push(...groups);
  }
  return Buffer.from(out);
}

/** Encodes a complete OBJECT IDENTIFIER TLV. */
export function encodeOid(oid: string): Buffer {
  return encodeTlv(DerTag.OBJECT_IDENTIFIER, encodeOidValue(oid));
}

/** Decodes OBJECT IDENTIFIER content octets to dotted form. */
export function decodeOidValue(value: Buffer): string {
  if (value.length === 0) throw new MalformedMessageError('empty OBJECT IDENTIFIER');
  const subids: number[] = [];
  let acc = 0;
  let groups = 0;
  for (const b of value) {
    // A leading 0x80 group is non-minimal (X.690 8.19.2); ignore it for leniency but cap the size.
    acc = acc * 128 + (b & 0x7f);
    if (++groups > 8) throw new MalformedMessageError('OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      subids.push(acc);
      acc = 0;
      groups = 0;
    }
  }
  if (groups !== 0) throw new MalformedMessageError('OBJECT IDENTIFIER ends inside an arc');
  const first = subids[0]!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...subids.slice(1)].join('.');
}
