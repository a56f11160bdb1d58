import { MalformedMessageError } from '../../errors/smbench-error.js';
import { ChecksumType } from './crypto/etype.js';
import type { ChecksumValue } from './asn1/krb-types.js';

/**
 * The authenticator checksum of a GSS-API Kerberos AP-REQ (RFC 4121 4.1.1): not a hash but a
 * little structure carrying the channel binding hash and the context flags the initiator wants:
 *   Lgth (4 bytes LE, = 16) | Bnd (16 bytes, MD5 of channel bindings or zeros) | Flags (4 bytes LE)
 * followed by delegation fields only when GSS_C_DELEG_FLAG is set (smbench never delegates).
 */

/** Context flags (RFC 2744 5.19 values, used in RFC 4121 4.1.1.1). */
export const GssFlags = {
  GSS_C_DELEG_FLAG: 1,
  GSS_C_MUTUAL_FLAG: 2,
  GSS_C_REPLAY_FLAG: 4,
  GSS_C_SEQUENCE_FLAG: 8,
  GSS_C_CONF_FLAG: 16,
  GSS_C_INTEG_FLAG: 32,
} as const;

/**
 * What Windows asks for when it opens an SMB session: mutual authentication (so the server proves
 * itself with an AP-REP), integrity and confidentiality, replay and sequence detection. The SMB
 * layer does its own signing and sealing with keys derived from the session key; the flags only
 * shape the GSS context (e.g. an acceptor subkey is returned because mutual auth is requested).
 */
export const SMB_GSS_FLAGS =
  GssFlags.GSS_C_MUTUAL_FLAG |
  GssFlags.GSS_C_REPLAY_FLAG |
  GssFlags.GSS_C_SEQUENCE_FLAG |
  GssFlags.GSS_C_CONF_FLAG |
  GssFlags.GSS_C_INTEG_FLAG;

const BINDINGS_LENGTH = 16;

/** Builds the 0x8003 checksum with no channel bindings (SMB has none, MS-KILE 3.2.5.2). */
export function gssAuthenticatorChecksum(flags: number): ChecksumValue {
  const value = Buffer.alloc(4 + BINDINGS_LENGTH + 4);
  value.writeUInt32LE(BINDINGS_LENGTH, 0);
  value.writeUInt32LE(flags >>> 0, 4 + BINDINGS_LENGTH);
  return { cksumtype: ChecksumType.GSSAPI, checksum: value };
}

/** Reads the flags back out of a 0x8003 checksum (used by tests and mock acceptors). */
export function gssChecksumFlags(c: ChecksumValue): number {
  if (c.cksumtype !== ChecksumType.GSSAPI || c.checksum.length < 24) {
    throw new MalformedMessageError('not a GSS-API authenticator checksum');
  }
  return c.checksum.readUInt32LE(4 + BINDINGS_LENGTH);
}
