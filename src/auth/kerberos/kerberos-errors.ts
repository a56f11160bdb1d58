import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import type { KrbError } from './asn1/krb-error.js';
import { krbErrorHint, krbErrorName, KrbErrorCode } from './asn1/krb-error-codes.js';

/**
 * A KRB-ERROR from a KDC or an SMB server, as an SmbBenchError(ErrorCode.AUTH) whose message names
 * the RFC error, the principal involved and what to do about it, e.g.
 *   KDC_ERR_PREAUTH_FAILED for alice@SMBENCH.TEST (wrong password)
 */
export class KerberosError extends SmbBenchError {
  readonly krbErrorCode: number;
  readonly krbErrorName: string;
  /** Server time minus local time in ms, for KRB_AP_ERR_SKEW (from the error's stime/susec). */
  readonly skewMs: number | undefined;

  constructor(error: KrbError, context: string, localNowMs: number) {
    const name = krbErrorName(error.errorCode);
    const hint = krbErrorHint(error.errorCode);
    const parts = [`${name} for ${context}`];
    let skewMs: number | undefined;
    if (error.errorCode === KrbErrorCode.KRB_AP_ERR_SKEW) {
      skewMs = error.stime.getTime() + Math.floor(error.susec / 1000) - localNowMs;
      parts.push(
        `(clock skew ${(skewMs / 1000).toFixed(1)} s: server time ${error.stime.toISOString()}, local time ${new Date(localNowMs).toISOString()}; synchronise clocks, Kerberos allows 5 minutes)`,
      );
    } else if (hint) {
      parts.push(`(${hint})`);
    }
    if (error.eText) parts.push(`[${error.eText}]`);
    super(ErrorCode.AUTH, parts.join(' '));
    this.krbErrorCode = error.errorCode;
    this.krbErrorName = name;
    this.skewMs = skewMs;
  }
}

/** A reply that is not what the protocol says (bad nonce, wrong key, unexpected message). */
export function kerberosFailure(message: string, cause?: unknown): SmbBenchError {
  return new SmbBenchError(ErrorCode.AUTH, message, cause === undefined ? undefined : { cause });
}
