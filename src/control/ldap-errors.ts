/**
 * Turning what ldapts and node:tls throw into errors a person can act on: wrong bind credentials
 * (with AD's reason: expired, disabled, locked...), TLS trust problems (with the flag to fix them),
 * password-policy rejections, missing rights. Every error keeps the original as `cause`.
 */
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export const LdapFailure = {
  /** The bind DN/password was refused (LDAP invalidCredentials, RFC 4511 4.1.9). */
  BIND_CREDENTIALS: 'bind-credentials',
  /** The server's certificate was not trusted or did not match, or the handshake failed. */
  TLS: 'tls',
  /** No TCP connection (refused, unreachable, unknown host). */
  CONNECT: 'connect',
  TIMEOUT: 'timeout',
  /** The operation needs an encrypted connection (strongerAuthRequired / confidentialityRequired). */
  CONFIDENTIALITY_REQUIRED: 'confidentiality-required',
  /** The domain's password policy refused a password (Win32 ERROR_PASSWORD_RESTRICTION, 0x52D). */
  PASSWORD_POLICY: 'password-policy',
  /** The bound account may not do this (insufficientAccessRights, RFC 4511 4.1.9). */
  ACCESS_DENIED: 'access-denied',
  ALREADY_EXISTS: 'already-exists',
  NO_SUCH_OBJECT: 'no-such-object',
  /** Any other LDAP result code. */
  LDAP: 'ldap',
} as const;
export type LdapFailure = (typeof LdapFailure)[keyof typeof LdapFailure];

/** RFC 4511 Appendix A result codes that provisioning distinguishes. */
export const LdapResultCode = {
  noSuchAttribute: 16,
  noSuchObject: 32,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  entryAlreadyExists: 68,
  notAllowedOnNonLeaf: 66,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
} as const;

const ERROR_CODE_OF: Record<LdapFailure, ErrorCode> = {
  'bind-credentials': ErrorCode.AUTH,
  tls: ErrorCode.TRANSPORT,
  connect: ErrorCode.TRANSPORT,
  timeout: ErrorCode.TIMEOUT,
  'confidentiality-required': ErrorCode.UNSUPPORTED,
  'password-policy': ErrorCode.STATUS,
  'access-denied': ErrorCode.STATUS,
  'already-exists': ErrorCode.STATUS,
  'no-such-object': ErrorCode.STATUS,
  ldap: ErrorCode.STATUS,
};

export class LdapOperationError extends SmbBenchError {
  readonly failure: LdapFailure;
  /** The LDAP result code, when the server answered. */
  readonly resultCode: number | undefined;

  constructor(failure: LdapFailure, message: string, opts: { cause?: unknown; resultCode?: number } = {}) {
    super(ERROR_CODE_OF[failure], message, { cause: opts.cause });
    this.failure = failure;
    this.resultCode = opts.resultCode;
  }
}

/**
 * AD puts a Win32 error in the diagnostic message of a failed bind: "... data 52e, v4563". These
 * are the ones a provisioning admin meets (MS-ADTS 3.1.1.3.4.1.2 names the mechanism; the codes
 * are the Win32 ERROR_* values).
 */
const BIND_DATA_REASONS: Readonly<Record<string, string>> = {
  '525': 'no such user',
  '52e': 'wrong password (or unknown user)',
  '530': 'logon not permitted at this time',
  '531': 'logon not permitted from this workstation',
  '532': 'password expired',
  '533': 'account disabled',
  '701': 'account expired',
  '773': 'password must be reset before first use',
  '775': 'account locked out',
};

export function bindFailureReason(message: string): string | undefined {
  const match = /\bdata ([0-9a-f]{3,8})\b/i.exec(message);
  return match ? BIND_DATA_REASONS[match[1]!.toLowerCase()] : undefined;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** What went wrong, as far as the thrown value tells. */
export function classifyLdapError(err: unknown): { failure: LdapFailure; resultCode?: number } {
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const message = typeof e?.message === 'string' ? e.message : '';
  if (typeof e?.code === 'number') {
    const code = e.code;
    if (code === LdapResultCode.invalidCredentials)
      return { failure: LdapFailure.BIND_CREDENTIALS, resultCode: code };
    if (/0000052D|check_password_restrictions|password.*(complex|short|history|policy)/i.test(message)) {
      return { failure: LdapFailure.PASSWORD_POLICY, resultCode: code };
    }
    if (code === LdapResultCode.strongerAuthRequired || code === LdapResultCode.confidentialityRequired) {
      return { failure: LdapFailure.CONFIDENTIALITY_REQUIRED, resultCode: code };
    }
    if (code === LdapResultCode.insufficientAccessRights)
      return { failure: LdapFailure.ACCESS_DENIED, resultCode: code };
    if (code === LdapResultCode.entryAlreadyExists)
      return { failure: LdapFailure.ALREADY_EXISTS, resultCode: code };
    if (code === LdapResultCode.noSuchObject)
      return { failure: LdapFailure.NO_SUCH_OBJECT, resultCode: code };
    return { failure: LdapFailure.LDAP, resultCode: code };
  }
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TLS_CODES.has(code) || /certificate|SSL routines|TLS/i.test(message))
    return { failure: LdapFailure.TLS };
  if (CONNECT_CODES.has(code)) return { failure: LdapFailure.CONNECT };
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return { failure: LdapFailure.TIMEOUT };
  return { failure: LdapFailure.LDAP };
}

/** Where the problem happened and what to do about it, in one message. */
export function describeLdapError(err: unknown, context: string): LdapOperationError {
  if (err instanceof LdapOperationError) return err;
  const { failure, resultCode } = classifyLdapError(err);
  const raw = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown })?.code;
  let message: string;
  switch (failure) {
    case LdapFailure.BIND_CREDENTIALS: {
      const reason = bindFailureReason(raw);
      message = `${context}: the directory refused the bind credentials${reason ? ` (${reason})` : ''}; check --bind and its password`;
      break;
    }
    case LdapFailure.TLS:
      message =
        `${context}: TLS failed (${typeof code === 'string' ? `${code}: ` : ''}${raw}); ` +
        (code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'the certificate does not name this host: pass --tls-server-name with the name it was issued for'
          : 'trust the server with --ca-file <CA.pem> (or, for a throwaway lab only, --insecure-tls)');
      break;
    case LdapFailure.CONNECT:
      message = `${context}: cannot connect (${typeof code === 'string' ? code : raw}); check the --ldap URL and that the DC is up`;
      break;
    case LdapFailure.TIMEOUT:
      message = `${context}: timed out (${raw})`;
      break;
    case LdapFailure.CONFIDENTIALITY_REQUIRED:
      message = `${context}: the server requires an encrypted connection; use ldaps:// or --starttls (${raw})`;
      break;
    case LdapFailure.PASSWORD_POLICY:
      message = `${context}: the domain's password policy rejected the password (${raw}); use a longer or more complex --password, or let smbench generate them`;
      break;
    case LdapFailure.ACCESS_DENIED:
      message = `${context}: the bind account lacks the right to do this (${raw})`;
      break;
    default:
      message = `${context}: ${raw}${resultCode === undefined ? '' : ` (LDAP result ${resultCode})`}`;
  }
  return new LdapOperationError(failure, message, {
    cause: err,
    ...(resultCode === undefined ? {} : { resultCode }),
  });
}
