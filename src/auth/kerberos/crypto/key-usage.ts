/**
 * Key usage numbers (RFC 4120 7.5.1, RFC 4121 2): every encryption and checksum is made with a key
 * derived for its purpose, so a ciphertext cannot be replayed in another protocol slot.
 */
export const KeyUsage = {
  /** AS-REQ PA-ENC-TIMESTAMP, with the client's long-term key. */
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  /** Ticket enc-part, with the service's long-term key. */
  KDC_REP_TICKET: 2,
  /** AS-REP enc-part, with the client's long-term key. */
  AS_REP_ENCPART: 3,
  /** TGS-REQ body authorization data, with the TGT session key. */
  TGS_REQ_AUTHDATA_SESSION_KEY: 4,
  /** TGS-REQ body authorization data, with the authenticator subkey. */
  TGS_REQ_AUTHDATA_SUBKEY: 5,
  /** TGS-REQ PA-TGS-REQ authenticator checksum over the request body, with the TGT session key. */
  TGS_REQ_AUTH_CKSUM: 6,
  /** TGS-REQ PA-TGS-REQ authenticator, with the TGT session key. */
  TGS_REQ_AUTH: 7,
  /** TGS-REP enc-part, with the TGT session key. */
  TGS_REP_ENCPART_SESSION_KEY: 8,
  /** TGS-REP enc-part, with the authenticator subkey. */
  TGS_REP_ENCPART_SUBKEY: 9,
  /** AP-REQ authenticator checksum (application use). */
  AP_REQ_AUTH_CKSUM: 10,
  /** AP-REQ authenticator (application use), with the ticket session key. */
  AP_REQ_AUTH: 11,
  /** AP-REP enc-part, with the ticket session key. */
  AP_REP_ENCPART: 12,
  /** RFC 4121 2: GSS wrap/MIC tokens. */
  KG_USAGE_ACCEPTOR_SEAL: 22,
  KG_USAGE_ACCEPTOR_SIGN: 23,
  KG_USAGE_INITIATOR_SEAL: 24,
  KG_USAGE_INITIATOR_SIGN: 25,
} as const;
export type KeyUsage = (typeof KeyUsage)[keyof typeof KeyUsage];
