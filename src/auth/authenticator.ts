/**
 * The contract between the SESSION_SETUP loop (src/client/session.ts) and a security mechanism.
 * The loop only moves opaque GSS-API tokens (MS-SMB2 3.2.4.2.3, 3.2.5.3): it never knows whether
 * NTLM, Kerberos or something else is inside the SPNEGO wrapper (RFC 4178). An authenticator is
 * single-use: one instance per session setup.
 *
 * Sequence driven by the loop:
 *   1. `step(negotiateResponseSecurityBuffer)`: the first call receives the NEGOTIATE response's
 *      SecurityBuffer (a SPNEGO NegTokenInit2 hint listing the server's mechanisms; may be empty)
 *      and returns the first SESSION_SETUP token (e.g. NegTokenInit carrying NTLM NEGOTIATE, or
 *      a Kerberos AP-REQ).
 *   2. For every STATUS_MORE_PROCESSING_REQUIRED response, `step(responseSecurityBuffer)` again
 *      (e.g. NegTokenResp with NTLM CHALLENGE in, NegTokenResp with AUTHENTICATE out).
 *   3. On STATUS_SUCCESS, `finish(responseSecurityBuffer)` validates the server's last token
 *      (accept-completed, mechListMIC, Kerberos AP-REP) and throws if it is not acceptable.
 *   4. `sessionKey()` yields the GSS session key from which SMB 3.x derives its keys (MS-SMB2
 *      3.2.5.3.1 Session.SessionKey; first 16 bytes are used).
 *
 * Errors are thrown as SmbBenchError with ErrorCode.AUTH (credentials/mechanism) or
 * ErrorCode.PROTOCOL (a token that does not parse).
 */
export interface SessionAuthenticator {
  /** Mechanism name for logs and metrics, e.g. 'NTLM' or 'Kerberos'. */
  readonly mechanism: string;
  /** Who is authenticating, as `DOMAIN\user` (or `user@REALM`), for logs and error messages. */
  readonly principal: string;
  /**
   * Consumes the server's latest token (undefined or empty when there is none) and returns the
   * next token to put in SESSION_SETUP's SecurityBuffer. May be async so that an initiator can
   * talk to a KDC before producing its AP-REQ.
   */
  step(serverToken: Buffer | undefined): Buffer | Promise<Buffer>;
  /** Validates the server's token carried by the successful final SESSION_SETUP response. */
  finish(serverToken: Buffer | undefined): void;
  /** The session key established by the mechanism; only valid after `finish`. */
  sessionKey(): Buffer;
}
