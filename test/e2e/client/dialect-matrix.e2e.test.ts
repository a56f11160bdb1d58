import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { CipherId } from '../../../src/crypto/encryption.js';
import { SigningAlgorithm } from '../../../src/crypto/signing.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { CreateDisposition } from '../../../src/smb2/commands/create.js';
import { Dialect, dialectName } from '../../../src/smb2/constants.js';

const DIALECTS = [
  Dialect.SMB2_0_2,
  Dialect.SMB2_1,
  Dialect.SMB3_0,
  Dialect.SMB3_0_2,
  Dialect.SMB3_1_1,
] as const;
const CIPHERS = [
  CipherId.AES_128_CCM,
  CipherId.AES_128_GCM,
  CipherId.AES_256_CCM,
  CipherId.AES_256_GCM,
] as const;

interface Case {
  dialect: Dialect;
  requireSigning?: boolean;
  ciphers?: readonly number[];
  signingAlgorithms?: readonly number[];
  expectEncrypted?: boolean;
}

/** Connect, authenticate, write and read back, list the directory, delete: the whole client path. */
async function roundTrip(lab: SambaLab, c: Case): Promise<void> {
  const user = lab.users[0]!;
  const client = await SmbClient.connect({
    host: lab.host,
    port: lab.port,
    dialects: [c.dialect],
    requireSigning: c.requireSigning,
    ...(c.ciphers ? { ciphers: c.ciphers } : {}),
    ...(c.signingAlgorithms ? { signingAlgorithms: c.signingAlgorithms } : {}),
  });
  try {
    assert.equal(client.negotiation.dialect, c.dialect);
    if (c.ciphers && c.dialect === Dialect.SMB3_1_1) assert.equal(client.negotiation.cipherId, c.ciphers[0]);
    const session = await client.login(
      { user: user.user, password: user.password },
      { requireSigning: c.requireSigning },
    );
    const tree = await session.connectTree(lab.shares[0]!.name);
    if (c.expectEncrypted)
      assert.ok(session.security.encryptData || tree.encryptData, 'traffic must be encrypted');
    if (c.requireSigning) assert.ok(session.security.signingRequired);
    const name = `matrix-${dialectName(c.dialect)}-${process.hrtime.bigint()}.bin`;
    const data = randomBytes(300_000);
    const file = await tree.open(name, { access: 'readwrite', disposition: CreateDisposition.FILE_CREATE });
    assert.equal(await file.write(data, 0n), data.length);
    assert.deepEqual(await file.read(0n, data.length), data);
    await file.close();
    const dir = await tree.open('', { access: 'read', kind: 'directory' });
    const listing = await dir.queryDirectory(37 /* FileIdBothDirectoryInformation */, name);
    assert.ok(listing && listing.length > 0);
    await dir.close();
    const del = await tree.open(name, { access: 'delete', options: 0x1000 /* FILE_DELETE_ON_CLOSE */ });
    await del.close();
    await tree.disconnect();
    await session.logoff();
    assert.equal(client.connection.stats.badSignatures, 0);
    assert.equal(client.connection.stats.malformedMessages, 0);
  } finally {
    client.close();
  }
}

describe('dialect x security matrix against Samba', () => {
  describe('server signing auto', () => {
    let lab: SambaLab;
    before(async () => (lab = await startSambaLab({ minProtocol: 'SMB2_02', maxProtocol: 'SMB3_11' })));
    after(() => lab?.stop());
    for (const dialect of DIALECTS) {
      test(`${dialectName(dialect)} unsigned`, () => roundTrip(lab, { dialect }));
      test(`${dialectName(dialect)} client requires signing`, () =>
        roundTrip(lab, { dialect, requireSigning: true }));
    }
    test('3.1.1 signing with AES-CMAC', () =>
      roundTrip(lab, {
        dialect: Dialect.SMB3_1_1,
        requireSigning: true,
        signingAlgorithms: [SigningAlgorithm.AES_CMAC],
      }));
    test('3.1.1 signing with AES-GMAC', () =>
      roundTrip(lab, {
        dialect: Dialect.SMB3_1_1,
        requireSigning: true,
        signingAlgorithms: [SigningAlgorithm.AES_GMAC],
      }));
  });

  describe('server signing required', () => {
    let lab: SambaLab;
    before(
      async () =>
        (lab = await startSambaLab({ minProtocol: 'SMB2_02', maxProtocol: 'SMB3_11', signing: 'required' })),
    );
    after(() => lab?.stop());
    for (const dialect of DIALECTS) test(`${dialectName(dialect)} signed`, () => roundTrip(lab, { dialect }));
  });

  describe('server encryption required', () => {
    let lab: SambaLab;
    before(
      async () =>
        (lab = await startSambaLab({ minProtocol: 'SMB3_00', maxProtocol: 'SMB3_11', encrypt: 'required' })),
    );
    after(() => lab?.stop());
    test('3.0 AES-128-CCM', () => roundTrip(lab, { dialect: Dialect.SMB3_0, expectEncrypted: true }));
    test('3.0.2 AES-128-CCM', () => roundTrip(lab, { dialect: Dialect.SMB3_0_2, expectEncrypted: true }));
    for (const cipher of CIPHERS) {
      test(`3.1.1 cipher ${cipher}`, () =>
        roundTrip(lab, { dialect: Dialect.SMB3_1_1, ciphers: [cipher], expectEncrypted: true }));
    }
  });
});
