import { isIP } from 'node:net';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import type { SessionAuthenticator } from './authenticator.js';
import { KrbErrorCode } from './kerberos/asn1/krb-error-codes.js';
import { createKerberosAuthenticator } from './kerberos/kerberos-authenticator.js';
import { KerberosClient, type KerberosClientOptions } from './kerberos/kerberos-client.js';
import { KerberosError } from './kerberos/kerberos-errors.js';
import { createNtlmAuthenticator, type NtlmCredentials } from './ntlm/ntlm-authenticator.js';
import { decodeNegTokenInit } from './spnego/neg-token-init.js';
import { MechOid } from './spnego/oid.js';

/**
 * Turns credentials into a SessionAuthenticator for `--auth ntlm|kerberos|auto`:
 *   ntlm      NTLMv2 (the default)
 *   kerberos  Kerberos for cifs/<host> through a shared, per-realm KerberosClient
 *   auto      like Windows: Kerberos when the server offers it and a ticket can be had, NTLM
 *             otherwise (host given as an IP address, no realm/KDC, unknown SPN, KDC unreachable)
 */
export const AuthMechanism = { ntlm: 'ntlm', kerberos: 'kerberos', auto: 'auto' } as const;
export type AuthMechanism = (typeof AuthMechanism)[keyof typeof AuthMechanism];

export function parseAuthMechanism(value: string): AuthMechanism {
  const v = value.toLowerCase();
  if (v === 'ntlm' || v === 'kerberos' || v === 'auto') return v;
  throw new SmbBenchError(ErrorCode.USAGE, `--auth must be ntlm, kerberos or auto, not "${value}"`);
}

export interface CreateAuthenticatorOptions {
  /** Default 'ntlm'. */
  readonly auth?: AuthMechanism;
  /** The SMB server's host name; Kerberos asks for a ticket to cifs/<host>. */
  readonly host: string;
  /** Kerberos realm; default: the credential's domain when it is a DNS name, else krb5.conf. */
  readonly realm?: string;
  /** KDC `host[:port]` list (comma separated); default: krb5.conf, else the realm name. */
  readonly kdc?: string;
  /** Overrides the service principal (default cifs/<host>). */
  readonly spn?: string;
  /** A specific shared client; by default one per (realm, kdc) is kept for the whole process. */
  readonly kerberosClient?: KerberosClient;
  /** Options for the process-wide client when it is first created (timeouts, clock sync...). */
  readonly kerberosClientOptions?: Omit<KerberosClientOptions, 'realm' | 'kdc'>;
}

const sharedClients = new Map<string, KerberosClient>();

/** The process-wide KerberosClient for a realm/KDC pair: its ticket cache serves every user. */
export function sharedKerberosClient(
  realm: string | undefined,
  kdc: string | undefined,
  options: Omit<KerberosClientOptions, 'realm' | 'kdc'> = {},
): KerberosClient {
  const key = `${realm?.toUpperCase() ?? ''}|${kdc ?? ''}`;
  let client = sharedClients.get(key);
  if (!client) {
    client = new KerberosClient({
      ...options,
      ...(realm ? { realm: realm.toUpperCase() } : {}),
      ...(kdc ? { kdc } : {}),
    });
    sharedClients.set(key, client);
  }
  return client;
}

function kerberosFor(creds: NtlmCredentials, opts: CreateAuthenticatorOptions): SessionAuthenticator {
  // An NTLM domain like SMBENCH is a NetBIOS name, not a realm; a dotted one is the DNS domain.
  const realm = opts.realm ?? (creds.domain && creds.domain.includes('.') ? creds.domain : undefined);
  const client = opts.kerberosClient ?? sharedKerberosClient(realm, opts.kdc, opts.kerberosClientOptions);
  return createKerberosAuthenticator(
    client,
    {
      user: creds.user,
      ...(realm ? { realm } : {}),
      ...(creds.password !== undefined ? { password: creds.password } : {}),
      ...(creds.ntHash !== undefined ? { ntHash: creds.ntHash } : {}),
    },
    { host: opts.host, ...(opts.spn ? { spn: opts.spn } : {}) },
  );
}

/** Errors that say the user's own credentials are wrong: NTLM would fail too, so report them. */
const CREDENTIAL_ERRORS: ReadonlySet<number> = new Set([
  KrbErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN,
  KrbErrorCode.KDC_ERR_PREAUTH_FAILED,
  KrbErrorCode.KDC_ERR_CLIENT_REVOKED,
  KrbErrorCode.KDC_ERR_KEY_EXPIRED,
]);

/**
 * `auto`: the first step decides. If the server offers Kerberos and the Kerberos initiator
 * produces its AP-REQ, Kerberos carries on; if getting a ticket fails for a reason other than
 * bad credentials, NTLM takes over from the same hint (the server has seen nothing yet).
 */
class AutoAuthenticator implements SessionAuthenticator {
  private chosen: SessionAuthenticator | undefined;

  constructor(
    private readonly kerberos: () => SessionAuthenticator,
    private readonly ntlm: SessionAuthenticator,
  ) {}

  get mechanism(): string {
    return this.chosen?.mechanism ?? 'Negotiate';
  }

  get principal(): string {
    return this.chosen?.principal ?? this.ntlm.principal;
  }

  async step(serverToken: Buffer | undefined): Promise<Buffer> {
    if (this.chosen) return this.chosen.step(serverToken);
    if (offersKerberos(serverToken)) {
      try {
        const kerberos = this.kerberos();
        const token = await kerberos.step(serverToken);
        this.chosen = kerberos;
        return token;
      } catch (err) {
        if (err instanceof KerberosError && CREDENTIAL_ERRORS.has(err.krbErrorCode)) throw err;
      }
    }
    this.chosen = this.ntlm;
    return this.ntlm.step(serverToken);
  }

  finish(serverToken: Buffer | undefined): void {
    if (!this.chosen) throw new SmbBenchError(ErrorCode.AUTH, 'session accepted before any token was sent');
    this.chosen.finish(serverToken);
  }

  sessionKey(): Buffer {
    if (!this.chosen) throw new SmbBenchError(ErrorCode.AUTH, 'no session key before the exchange completes');
    return this.chosen.sessionKey();
  }
}

/** Whether the NEGOTIATE hint lists Kerberos; an empty hint says nothing, so assume yes. */
function offersKerberos(hint: Buffer | undefined): boolean {
  if (!hint || hint.length === 0) return true;
  try {
    const mechs = decodeNegTokenInit(hint).mechTypes;
    return mechs.length === 0 || mechs.includes(MechOid.KRB5) || mechs.includes(MechOid.MS_KRB5);
  } catch {
    return true;
  }
}

/** Creates a single-use authenticator for one SESSION_SETUP. */
export function createAuthenticator(
  creds: NtlmCredentials,
  opts: CreateAuthenticatorOptions,
): SessionAuthenticator {
  const auth = opts.auth ?? AuthMechanism.ntlm;
  const ntlm = (): SessionAuthenticator => createNtlmAuthenticator(creds);
  switch (auth) {
    case AuthMechanism.ntlm:
      return ntlm();
    case AuthMechanism.kerberos:
      return kerberosFor(creds, opts);
    case AuthMechanism.auto:
      // An IP address has no SPN in the directory; Windows goes straight to NTLM too.
      if (isIP(opts.host) !== 0 && !opts.spn) return ntlm();
      return new AutoAuthenticator(() => kerberosFor(creds, opts), ntlm());
  }
}
