import { createHash, timingSafeEqual } from 'node:crypto';
import { Rc4 } from '../../crypto/rc4.js';
import { NegotiateFlags } from './constants.js';
import { hmacMd5 } from './ntlmv2.js';

/** MS-NLMP 3.4.5.2 / 3.4.5.3 magic constants (NUL-terminated ASCII). */
const MAGIC = {
  clientSigning: 'session key to client-to-server signing key magic constant\0',
  serverSigning: 'session key to server-to-client signing key magic constant\0',
  clientSealing: 'session key to client-to-server sealing key magic constant\0',
  serverSealing: 'session key to server-to-client sealing key magic constant\0',
} as const;

export type NtlmDirection = 'client-to-server' | 'server-to-client';

function md5(...parts: readonly Uint8Array[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** SIGNKEY (3.4.5.2), extended session security: MD5(ExportedSessionKey || magic). */
export function signKey(exportedSessionKey: Buffer, direction: NtlmDirection): Buffer {
  const magic = direction === 'client-to-server' ? MAGIC.clientSigning : MAGIC.serverSigning;
  return md5(exportedSessionKey, Buffer.from(magic, 'latin1'));
}

/**
 * SEALKEY (3.4.5.3), extended session security: the exported key is cut to 16, 7 or 5 bytes
 * depending on NEGOTIATE_128 / NEGOTIATE_56 and hashed with the direction's magic constant.
 */
export function sealKey(
  exportedSessionKey: Buffer,
  negotiateFlags: number,
  direction: NtlmDirection,
): Buffer {
  let keyLength = 5;
  if (negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_128) keyLength = 16;
  else if (negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_56) keyLength = 7;
  const magic = direction === 'client-to-server' ? MAGIC.clientSealing : MAGIC.serverSealing;
  return md5(exportedSessionKey.subarray(0, keyLength), Buffer.from(magic, 'latin1'));
}

/** NTLMSSP_MESSAGE_SIGNATURE Version (2.2.2.9.1). */
const SIGNATURE_VERSION = 1;
export const NTLM_SIGNATURE_LENGTH = 16;

/**
 * One direction of an NTLM security context with extended session security (MS-NLMP 3.4.4.2):
 * its signing key, its RC4 sealing handle (shared by SEAL and by the checksum when KEY_EXCH was
 * negotiated, so call order matters) and its sequence number.
 */
export class NtlmDirectionalContext {
  private readonly handle: Rc4;
  private readonly keyExch: boolean;
  seqNum = 0;

  constructor(
    readonly signingKey: Buffer,
    readonly sealingKey: Buffer,
    negotiateFlags: number,
  ) {
    this.handle = new Rc4(sealingKey);
    this.keyExch = (negotiateFlags & NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0;
  }

  /** MAC(Handle, SigningKey, SeqNum, Message) with ESS; advances the sequence number. */
  sign(message: Uint8Array): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(this.seqNum >>> 0);
    let checksum = hmacMd5(this.signingKey, seq, message).subarray(0, 8);
    if (this.keyExch) checksum = this.handle.update(checksum);
    this.seqNum = (this.seqNum + 1) >>> 0;
    const sig = Buffer.alloc(NTLM_SIGNATURE_LENGTH);
    sig.writeUInt32LE(SIGNATURE_VERSION, 0);
    checksum.copy(sig, 4);
    seq.copy(sig, 12);
    return sig;
  }

  /** Checks a peer's signature by computing the expected one (advances state like sign()). */
  verify(message: Uint8Array, signature: Uint8Array): boolean {
    const expected = this.sign(message);
    return signature.length === expected.length && timingSafeEqual(expected, signature);
  }

  /** SEAL: RC4 with this direction's handle (3.4.3); call before sign() for the same message. */
  seal(message: Uint8Array): Buffer {
    return this.handle.update(message);
  }
}

/** Both directions of the client side's NTLM security context. */
export interface NtlmClientSecurity {
  readonly outbound: NtlmDirectionalContext;
  readonly inbound: NtlmDirectionalContext;
}

export function createClientSecurity(exportedSessionKey: Buffer, negotiateFlags: number): NtlmClientSecurity {
  const side = (direction: NtlmDirection): NtlmDirectionalContext =>
    new NtlmDirectionalContext(
      signKey(exportedSessionKey, direction),
      sealKey(exportedSessionKey, negotiateFlags, direction),
      negotiateFlags,
    );
  return { outbound: side('client-to-server'), inbound: side('server-to-client') };
}
