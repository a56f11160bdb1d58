import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAuthenticator } from '../../../src/auth/create-authenticator.js';
import { EncryptionType } from '../../../src/auth/kerberos/crypto/etype.js';
import { createKerberosAuthenticator } from '../../../src/auth/kerberos/kerberos-authenticator.js';
import { KerberosClient } from '../../../src/auth/kerberos/kerberos-client.js';
import { KerberosError } from '../../../src/auth/kerberos/kerberos-errors.js';
import { createTcpKdcTransport, type KdcTransport } from '../../../src/auth/kerberos/kdc-transport.js';
import { TicketFlags } from '../../../src/auth/kerberos/asn1/kdc-rep.js';
import { SmbClient } from '../../../src/client/smb-client.js';
import type { Session } from '../../../src/client/session.js';
import { CipherId } from '../../../src/crypto/encryption.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';
import { startAdLab, type AdLab } from '../../../src/lab/ad-lab.js';
import { adLabUnavailableReason, requireAdTool, runAdTool } from '../../../src/lab/ad-tools.js';
import { CreateDisposition } from '../../../src/smb2/commands/create.js';
import { Dialect } from '../../../src/smb2/constants.js';

/**
 * Kerberos against a real Active Directory KDC (Samba AD DC, Heimdal): AS with pre-authentication,
 * TGS for cifs/<dc>, AP-REQ in SPNEGO over SMB 3.1.1 with signing and with encryption (including
 * the AES-256 ciphers, which use the full 32-byte Kerberos session key), and the KDC errors.
 */

const USER = 'kerbuser';
const USER_PASSWORD = 'Kerb-User-Pass-1';

/** Counts requests so tests can check what the ticket cache saved. */
function countingTransport(inner: KdcTransport): KdcTransport & { count: number } {
  const t = {
    count: 0,
    description: inner.description,
    send(req: Buffer): Promise<Buffer> {
      t.count++;
      return inner.send(req);
    },
  };
  return t;
}

async function writeAndRead(session: Session, share: string, name: string): Promise<void> {
  const tree = await session.connectTree(share);
  const data = randomBytes(70_000);
  const f = await tree.open(name, { access: 'readwrite', disposition: CreateDisposition.FILE_OVERWRITE_IF });
  await f.write(data, 0n);
  const back = await f.read(0n, data.length);
  assert.ok(Buffer.from(back).equals(data), 'read back what was written');
  await f.close();
}

describe('Kerberos against the AD lab', { skip: adLabUnavailableReason() }, () => {
  let lab: AdLab;
  let kdc: KdcTransport & { count: number };
  let client: KerberosClient;

  before(async () => {
    lab = await startAdLab({});
    const samba = requireAdTool('samba-tool');
    const run = (args: string[], what: string) =>
      runAdTool(samba, [...args, '-s', lab.confPath], { logPath: `${lab.dir}/kerberos-e2e.log`, what });
    await run(['user', 'create', USER, USER_PASSWORD], `create ${USER}`);
    await run(['group', 'addmembers', lab.shareGroup, USER], `add ${USER} to ${lab.shareGroup}`);
    kdc = countingTransport(createTcpKdcTransport([{ host: lab.host, port: lab.kdcPort }]));
    client = new KerberosClient({ realm: lab.realm, transport: kdc });
  });
  after(async () => {
    await lab?.stop();
  });

  const admin = () => ({ user: lab.adminUser, password: lab.adminPassword });
  const spn = () => `cifs/${lab.dcHostName}`;

  test('TGT and cifs/<dc> ticket for Administrator, cached', async () => {
    const tgt = await client.getTgt(admin());
    assert.equal(tgt.sessionKey.etype, EncryptionType.AES256_CTS_HMAC_SHA1_96);
    assert.ok(tgt.flags & TicketFlags.renewable);
    assert.ok(tgt.endtime.getTime() > Date.now());
    const st = await client.getServiceTicket(admin(), spn());
    assert.equal(st.ticket.sname.nameString.join('/'), spn());
    const before = kdc.count;
    await client.getServiceTicket(admin(), spn().toUpperCase());
    assert.equal(kdc.count, before, 'second request served from the cache');
  });

  test('SMB 3.1.1 login with signing required; write and read a file', async () => {
    const smb = await SmbClient.connect({ host: lab.host, port: lab.smbPort, dialects: [Dialect.SMB3_1_1] });
    try {
      const auth = createKerberosAuthenticator(client, admin(), { host: lab.dcHostName });
      const session = await smb.login(auth, { requireSigning: true });
      assert.equal(auth.mechanism, 'Kerberos');
      assert.equal(auth.sessionKey().length, 32);
      assert.ok(session.security.signingRequired);
      await writeAndRead(session, lab.share, 'kerberos-signed.bin');
    } finally {
      smb.close();
    }
  });

  for (const cipher of [CipherId.AES_128_GCM, CipherId.AES_256_GCM, CipherId.AES_256_CCM]) {
    test(`SMB 3.1.1 encrypted with cipher ${cipher}`, async () => {
      const smb = await SmbClient.connect({
        host: lab.host,
        port: lab.smbPort,
        dialects: [Dialect.SMB3_1_1],
        ciphers: [cipher],
      });
      try {
        assert.equal(smb.negotiation.cipherId, cipher);
        const session = await smb.login(
          createKerberosAuthenticator(client, admin(), { host: lab.dcHostName }),
        );
        // The lab does not demand encryption; encrypting every request proves both directions'
        // keys (derived from the full Kerberos key for the 256-bit ciphers) are right.
        (session.security as { encryptData: boolean }).encryptData = true;
        await writeAndRead(session, lab.share, `kerberos-encrypted-${cipher}.bin`);
      } finally {
        smb.close();
      }
    });
  }

  for (const etype of [
    EncryptionType.AES256_CTS_HMAC_SHA1_96,
    EncryptionType.AES128_CTS_HMAC_SHA1_96,
    EncryptionType.RC4_HMAC,
  ]) {
    test(`a created user logs in with etype ${etype}`, async () => {
      const own = new KerberosClient({
        realm: lab.realm,
        kdc: `${lab.host}:${lab.kdcPort}`,
        etypes: [etype],
      });
      const smb = await SmbClient.connect({ host: lab.host, port: lab.smbPort });
      try {
        const auth = createKerberosAuthenticator(
          own,
          { user: USER, password: USER_PASSWORD },
          { host: lab.dcHostName },
        );
        const session = await smb.login(auth, { requireSigning: true });
        assert.equal((await own.getTgt({ user: USER, password: USER_PASSWORD })).sessionKey.etype, etype);
        assert.equal(auth.sessionKey().length, etype === EncryptionType.AES256_CTS_HMAC_SHA1_96 ? 32 : 16);
        await writeAndRead(session, lab.share, `kerberos-${USER}-${etype}.bin`);
      } finally {
        smb.close();
      }
    });
  }

  test('50 concurrent logins of one user cost one AS and one TGS exchange', async () => {
    const counted = countingTransport(createTcpKdcTransport([{ host: lab.host, port: lab.kdcPort }]));
    const fresh = new KerberosClient({ realm: lab.realm, transport: counted });
    const smb = await SmbClient.connect({ host: lab.host, port: lab.smbPort });
    try {
      const user = { user: USER, password: USER_PASSWORD };
      const sessions = await Promise.all(
        Array.from({ length: 50 }, () =>
          smb.login(createKerberosAuthenticator(fresh, user, { host: lab.dcHostName })),
        ),
      );
      assert.equal(sessions.length, 50);
      // PREAUTH_REQUIRED, AS-REQ with PA-ENC-TIMESTAMP, TGS-REQ.
      assert.equal(counted.count, 3);
    } finally {
      smb.close();
    }
  });

  test('wrong password: KDC_ERR_PREAUTH_FAILED, reported through SmbClient.login', async () => {
    const smb = await SmbClient.connect({ host: lab.host, port: lab.smbPort });
    try {
      const own = new KerberosClient({ realm: lab.realm, kdc: `${lab.host}:${lab.kdcPort}` });
      const auth = createKerberosAuthenticator(
        own,
        { user: USER, password: 'not-the-password' },
        { host: lab.dcHostName },
      );
      await assert.rejects(smb.login(auth), (err: unknown) => {
        assert.ok(err instanceof KerberosError, String(err));
        assert.equal(err.code, ErrorCode.AUTH);
        assert.match(
          err.message,
          new RegExp(`^KDC_ERR_PREAUTH_FAILED for ${USER}@SMBENCH\\.TEST \\(wrong password\\)`),
        );
        return true;
      });
    } finally {
      smb.close();
    }
  });

  test('unknown user: KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
    await assert.rejects(
      client.getTgt({ user: 'no-such-user', password: 'x' }),
      /^KerberosError: KDC_ERR_C_PRINCIPAL_UNKNOWN for no-such-user@SMBENCH\.TEST \(no such user/,
    );
  });

  test('unknown service: KDC_ERR_S_PRINCIPAL_UNKNOWN; --auth auto falls back to NTLM', async () => {
    await assert.rejects(
      client.getServiceTicket(admin(), 'cifs/nowhere.smbench.test'),
      /KDC_ERR_S_PRINCIPAL_UNKNOWN/,
    );
    const smb = await SmbClient.connect({ host: lab.host, port: lab.smbPort });
    try {
      const creds = { user: USER, password: USER_PASSWORD, domain: lab.domain };
      const opts = { realm: lab.realm, kdc: `${lab.host}:${lab.kdcPort}` };
      const viaKerberos = createAuthenticator(creds, { ...opts, auth: 'auto', host: lab.dcHostName });
      await writeAndRead(await smb.login(viaKerberos), lab.share, 'auto-kerberos.bin');
      assert.equal(viaKerberos.mechanism, 'Kerberos');
      const fallback = createAuthenticator(creds, { ...opts, auth: 'auto', host: 'nowhere.smbench.test' });
      await writeAndRead(await smb.login(fallback), lab.share, 'auto-ntlm.bin');
      assert.equal(fallback.mechanism, 'NTLM');
      const byAddress = createAuthenticator(creds, { ...opts, auth: 'auto', host: lab.host });
      assert.equal(byAddress.mechanism, 'NTLM');
      // Forced Kerberos reports the missing SPN instead of falling back.
      const forced = createAuthenticator(creds, { ...opts, auth: 'kerberos', host: 'nowhere.smbench.test' });
      await assert.rejects(
        smb.login(forced),
        (e: unknown) => e instanceof SmbBenchError && /S_PRINCIPAL_UNKNOWN/.test(e.message),
      );
    } finally {
      smb.close();
    }
  });
});
