import { MalformedMessageError } from '../../../errors/smbench-error.js';
import type { DerElement } from '../../spnego/der.js';
import {
  decodeInteger,
  decodeKerberosString,
  decodeSequenceOf,
  encodeInteger,
  encodeKerberosString,
  field,
  fieldsOf,
  KrbTag,
  required,
  sequence,
  sequenceOf,
} from './krb-der.js';

/** Name types (RFC 4120 6.2). */
export const NameType = {
  NT_UNKNOWN: 0,
  NT_PRINCIPAL: 1,
  NT_SRV_INST: 2,
  NT_SRV_HST: 3,
  NT_ENTERPRISE: 10,
} as const;
export type NameType = (typeof NameType)[keyof typeof NameType];

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }. */
export interface PrincipalName {
  readonly nameType: number;
  readonly nameString: readonly string[];
}

export function encodePrincipalName(p: PrincipalName): Buffer {
  return sequence(
    field(0, encodeInteger(p.nameType)),
    field(1, sequenceOf(p.nameString.map(encodeKerberosString))),
  );
}

export function decodePrincipalName(el: DerElement, what = 'PrincipalName'): PrincipalName {
  if (el.tag !== KrbTag.SEQUENCE) throw new MalformedMessageError(`${what}: not a SEQUENCE`);
  const f = fieldsOf(el.value, what);
  return {
    nameType: decodeInteger(required(f, 0, what), `${what} name-type`),
    nameString: decodeSequenceOf(required(f, 1, what), `${what} name-string`).map((s) =>
      decodeKerberosString(s, `${what} component`),
    ),
  };
}

/** A user principal (NT-PRINCIPAL) from `alice` or `alice/admin`. */
export function userPrincipal(name: string): PrincipalName {
  return { nameType: NameType.NT_PRINCIPAL, nameString: name.split('/') };
}

/** The TGS of a realm, krbtgt/REALM (RFC 4120 7.3), as NT-SRV-INST. */
export function tgsPrincipal(realm: string): PrincipalName {
  return { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', realm] };
}

/** A service principal such as `cifs/fs1.example.com` (NT-SRV-INST, as Windows sends for SMB). */
export function servicePrincipal(spn: string): PrincipalName {
  return { nameType: NameType.NT_SRV_INST, nameString: spn.split('/') };
}

/** `a/b` for messages and cache keys. */
export function principalToString(p: PrincipalName, realm?: string): string {
  const name = p.nameString.join('/');
  return realm ? `${name}@${realm}` : name;
}

/** Two principal names are the same principal (the name type is advisory, RFC 4120 6.2). */
export function samePrincipal(a: PrincipalName, b: PrincipalName): boolean {
  return (
    a.nameString.length === b.nameString.length &&
    a.nameString.every((s, i) => s.toLowerCase() === b.nameString[i]!.toLowerCase())
  );
}
