import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAuthenticator,
  parseAuthMechanism,
  sharedKerberosClient,
} from '../../../src/auth/create-authenticator.js';
import { KerberosClient } from '../../../src/auth/kerberos/kerberos-client.js';
import { encodeNegTokenInit } from '../../../src/auth/spnego/neg-token-init.js';
import { MechOid } from '../../../src/auth/spnego/oid.js';
import { decodeNegotiationToken } from '../../../src/auth/spnego/negotiation-token.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';
import { MockKdc, REALM } from './mock-kdc.js';

const creds = { user: 'alice', password: 'Secret-1', domain: 'SMBENCH' };
const firstMech = (token: Buffer): string => {
  const t = decodeNegotiationToken(token);
  assert.equal(t.kind, 'init');
  return t.kind === 'init' ? t.mechTypes[0]! : '';
};

test('--auth parsing', () => {
  assert.equal(parseAuthMechanism('Kerberos'), 'kerberos');
  assert.throws(
    () => parseAuthMechanism('basic'),
    (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.USAGE,
  );
});

test('ntlm (default) and kerberos produce their mechanisms', async () => {
  const kerberosClient = new KerberosClient({
    realm: REALM,
    transport: new MockKdc({ users: { alice: 'Secret-1' } }),
  });
  const ntlm = createAuthenticator(creds, { host: 'fs1' });
  assert.equal(firstMech(await ntlm.step(undefined)), MechOid.NTLMSSP);
  const krb = createAuthenticator(creds, { auth: 'kerberos', host: 'fs1', kerberosClient });
  assert.equal(firstMech(await krb.step(undefined)), MechOid.MS_KRB5);
  assert.equal(krb.mechanism, 'Kerberos');
});

test('auto: Kerberos when possible, NTLM for IP hosts, unreachable KDCs or servers without Kerberos', async () => {
  const kdc = new MockKdc({ users: { alice: 'Secret-1' } });
  const kerberosClient = new KerberosClient({ realm: REALM, transport: kdc });
  const auto = createAuthenticator(creds, { auth: 'auto', host: 'fs1', kerberosClient });
  assert.equal(firstMech(await auto.step(undefined)), MechOid.MS_KRB5);
  assert.equal(auto.mechanism, 'Kerberos');

  assert.equal(
    createAuthenticator(creds, { auth: 'auto', host: '10.0.0.5', kerberosClient }).mechanism,
    'NTLM',
  );

  const ntlmOnlyHint = encodeNegTokenInit({ mechTypes: [MechOid.NTLMSSP] });
  const noKrbServer = createAuthenticator(creds, { auth: 'auto', host: 'fs1', kerberosClient });
  assert.equal(firstMech(await noKrbServer.step(ntlmOnlyHint)), MechOid.NTLMSSP);

  const down = new KerberosClient({
    realm: REALM,
    transport: {
      description: 'down',
      send: () => Promise.reject(new SmbBenchError(ErrorCode.AUTH, 'KDC unreachable')),
    },
  });
  const fallback = createAuthenticator(creds, { auth: 'auto', host: 'fs1', kerberosClient: down });
  assert.equal(firstMech(await fallback.step(undefined)), MechOid.NTLMSSP);
  assert.equal(fallback.mechanism, 'NTLM');
});

test('auto does not hide a wrong password behind NTLM', async () => {
  const kerberosClient = new KerberosClient({
    realm: REALM,
    transport: new MockKdc({ users: { alice: 'other' } }),
  });
  const auto = createAuthenticator(creds, { auth: 'auto', host: 'fs1', kerberosClient });
  await assert.rejects(async () => auto.step(undefined), /KDC_ERR_PREAUTH_FAILED/);
});

test('shared clients are per realm and KDC', () => {
  assert.equal(sharedKerberosClient('smbench.test', 'kdc1'), sharedKerberosClient('SMBENCH.TEST', 'kdc1'));
  assert.notEqual(sharedKerberosClient('SMBENCH.TEST', 'kdc1'), sharedKerberosClient('SMBENCH.TEST', 'kdc2'));
});
