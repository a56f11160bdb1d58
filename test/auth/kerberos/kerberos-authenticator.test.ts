import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KerberosClient } from '../../../src/auth/kerberos/kerberos-client.js';
import { createKerberosAuthenticator } from '../../../src/auth/kerberos/kerberos-authenticator.js';
import { KerberosError } from '../../../src/auth/kerberos/kerberos-errors.js';
import { SMB_GSS_FLAGS } from '../../../src/auth/kerberos/gss-checksum.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';
import { MechOid } from '../../../src/auth/spnego/oid.js';
import { encodeNegTokenInit } from '../../../src/auth/spnego/neg-token-init.js';
import { MockKdc, REALM } from './mock-kdc.js';

const HOST = 'fs1.smbench.test';
const SPN = `cifs/${HOST}`;

function setup(opts: { etype?: number; now?: () => number; lifetimeMs?: number; kdcSkewMs?: number } = {}) {
  const kdc = new MockKdc({ users: { alice: 'Secret-1', bob: 'Secret-2' }, ...opts });
  const client = new KerberosClient({ realm: REALM, transport: kdc, ...(opts.now ? { now: opts.now } : {}) });
  return { kdc, client };
}

async function login(client: KerberosClient, kdc: MockKdc, user = 'alice', password = 'Secret-1') {
  const auth = createKerberosAuthenticator(client, { user, password }, { host: HOST });
  const token = await auth.step(undefined);
  const accepted = kdc.accept(token, SPN);
  auth.finish(accepted.reply);
  return { auth, accepted };
}

test('AES256: AS (preauth learned) + TGS + AP-REQ; session key is the acceptor subkey', async () => {
  const { kdc, client } = setup();
  const { auth, accepted } = await login(client, kdc);
  assert.deepEqual(kdc.log, ['AS alice preauth-required', 'AS alice ok', `TGS alice ${SPN}`]);
  assert.equal(auth.mechanism, 'Kerberos');
  assert.equal(auth.principal, 'alice');
  assert.equal(auth.sessionKey().length, 32);
  assert.deepEqual(auth.sessionKey(), accepted.sessionKey);
  assert.equal(accepted.flags, SMB_GSS_FLAGS);
  assert.deepEqual(accepted.mechTypes, [MechOid.MS_KRB5, MechOid.KRB5]);
});

test('the ticket cache serves later logins; salt/etype is learned once per user', async () => {
  const { kdc, client } = setup();
  await login(client, kdc);
  await login(client, kdc);
  await login(client, kdc, 'bob', 'Secret-2');
  assert.deepEqual(kdc.log, [
    'AS alice preauth-required',
    'AS alice ok',
    `TGS alice ${SPN}`,
    'AS bob preauth-required',
    'AS bob ok',
    `TGS bob ${SPN}`,
  ]);
  assert.deepEqual(client.stats(), { principals: 2, tgts: 2, serviceTickets: 2 });
});

test('concurrent logins of one user share one AS and one TGS exchange', async () => {
  const { kdc, client } = setup();
  const results = await Promise.all(Array.from({ length: 20 }, () => login(client, kdc)));
  assert.equal(results.length, 20);
  assert.equal(kdc.log.filter((l) => l === 'AS alice ok').length, 1);
  assert.equal(kdc.log.filter((l) => l.startsWith('TGS')).length, 1);
});

test('tickets near expiry are renewed (TGT) and re-fetched (service) before use', async () => {
  let now = Date.UTC(2030, 0, 1);
  const { kdc, client } = setup({ now: () => now, lifetimeMs: 3600_000 });
  await login(client, kdc);
  now += 56 * 60_000; // 4 minutes left: inside the 5-minute margin
  await login(client, kdc);
  assert.deepEqual(kdc.log, [
    'AS alice preauth-required',
    'AS alice ok',
    `TGS alice ${SPN}`,
    'TGS alice renew',
    `TGS alice ${SPN}`,
  ]);
  // After the expiry of everything, a fresh AS exchange goes straight to pre-authentication.
  now += 8 * 24 * 3600_000;
  await login(client, kdc);
  assert.deepEqual(kdc.log.slice(5), ['AS alice ok', `TGS alice ${SPN}`]);
});

test('RC4-HMAC works end to end with a 16-byte session key', async () => {
  const { kdc, client } = setup({ etype: 23 });
  const { auth, accepted } = await login(client, kdc);
  assert.equal(auth.sessionKey().length, 16);
  assert.deepEqual(auth.sessionKey(), accepted.sessionKey);
});

test('without an AP-REP subkey the authenticator subkey is the session key', async () => {
  const { kdc, client } = setup();
  const auth = createKerberosAuthenticator(client, { user: 'alice', password: 'Secret-1' }, { host: HOST });
  const accepted = kdc.accept(await auth.step(undefined), SPN, { noSubkey: true });
  auth.finish(accepted.reply);
  assert.deepEqual(auth.sessionKey(), accepted.sessionKey);
});

test('wrong password: KDC_ERR_PREAUTH_FAILED with the principal and a hint', async () => {
  const { kdc, client } = setup();
  const auth = createKerberosAuthenticator(client, { user: 'alice', password: 'wrong' }, { host: HOST });
  await assert.rejects(
    async () => auth.step(undefined),
    (err: unknown) => {
      assert.ok(err instanceof KerberosError);
      assert.equal(err.code, ErrorCode.AUTH);
      assert.match(err.message, /^KDC_ERR_PREAUTH_FAILED for alice@SMBENCH\.TEST \(wrong password\)/);
      return true;
    },
  );
  void kdc;
});

test('unknown user: KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
  const { client } = setup();
  const auth = createKerberosAuthenticator(
    client,
    { user: 'mallory@smbench.test', password: 'x' },
    { host: HOST },
  );
  await assert.rejects(
    async () => auth.step(undefined),
    /KDC_ERR_C_PRINCIPAL_UNKNOWN for mallory@SMBENCH\.TEST \(no such user/,
  );
});

test('unknown service: KDC_ERR_S_PRINCIPAL_UNKNOWN names the SPN', async () => {
  const { client } = setup();
  const auth = createKerberosAuthenticator(
    client,
    { user: 'alice', password: 'Secret-1' },
    { spn: 'http/x' },
  );
  await assert.rejects(
    async () => auth.step(undefined),
    /KDC_ERR_S_PRINCIPAL_UNKNOWN for alice@SMBENCH\.TEST -> http\/x@SMBENCH\.TEST \(no account/,
  );
});

test('clock skew: KRB_AP_ERR_SKEW reports the measured skew; syncClockWithKdc adopts it', async () => {
  const skew = 20 * 60_000;
  const { kdc, client } = setup({ kdcSkewMs: skew });
  const auth = createKerberosAuthenticator(client, { user: 'alice', password: 'Secret-1' }, { host: HOST });
  await assert.rejects(
    async () => auth.step(undefined),
    (err: unknown) => {
      assert.ok(err instanceof KerberosError);
      assert.match(err.message, /^KRB_AP_ERR_SKEW for alice@SMBENCH\.TEST \(clock skew 1[12]\d\d\.\d s/);
      assert.ok(Math.abs(err.skewMs! - skew) < 2000);
      return true;
    },
  );
  const synced = new KerberosClient({ realm: REALM, transport: kdc, syncClockWithKdc: true });
  const again = createKerberosAuthenticator(synced, { user: 'alice', password: 'Secret-1' }, { host: HOST });
  const accepted = kdc.accept(await again.step(undefined), SPN);
  again.finish(accepted.reply);
  assert.ok(Math.abs(synced.now() - Date.now() - skew) < 2000);
});

test('server hint without Kerberos is refused before talking to the KDC', async () => {
  const { kdc, client } = setup();
  const auth = createKerberosAuthenticator(client, { user: 'alice', password: 'Secret-1' }, { host: HOST });
  const hint = encodeNegTokenInit({ mechTypes: [MechOid.NTLMSSP] });
  await assert.rejects(async () => auth.step(hint), /does not offer Kerberos/);
  assert.deepEqual(kdc.log, []);
});

test('finish rejects an AP-REP sealed with another key, and sessionKey() before finish', async () => {
  const { kdc, client } = setup();
  const a1 = createKerberosAuthenticator(client, { user: 'alice', password: 'Secret-1' }, { host: HOST });
  const t1 = await a1.step(undefined);
  assert.throws(() => a1.sessionKey(), SmbBenchError);
  // Another login's AP-REP does not decrypt with this ticket's session key... unless cached: use bob.
  const b = createKerberosAuthenticator(client, { user: 'bob', password: 'Secret-2' }, { host: HOST });
  const other = kdc.accept(await b.step(undefined), SPN);
  assert.throws(() => a1.finish(other.reply), /does not decrypt|does not echo/);
  void t1;
});

test('no realm anywhere is a usage error', async () => {
  const client = new KerberosClient({
    transport: new MockKdc({ users: {} }),
    krb5Conf: { realms: new Map() },
  });
  const auth = createKerberosAuthenticator(client, { user: 'alice', password: 'x' }, { host: HOST });
  await assert.rejects(
    async () => auth.step(undefined),
    (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.USAGE,
  );
});
