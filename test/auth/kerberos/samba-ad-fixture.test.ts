import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeKdcReq } from '../../../src/auth/kerberos/asn1/kdc-req.js';
import { decodeEncKdcRepPart, decodeKdcRep } from '../../../src/auth/kerberos/asn1/kdc-rep.js';
import { KrbErrorCode } from '../../../src/auth/kerberos/asn1/krb-error-codes.js';
import { decodeKrbError, isKrbError } from '../../../src/auth/kerberos/asn1/krb-error.js';
import { decodeEtypeInfo2, decodeMethodData, PaDataType } from '../../../src/auth/kerberos/asn1/pa-data.js';
import { KeyUsage } from '../../../src/auth/kerberos/crypto/key-usage.js';
import { profileFor } from '../../../src/auth/kerberos/crypto/profiles.js';

/**
 * A real AS/TGS conversation recorded from the smbench AD lab (Samba 4.17, Heimdal KDC): decoding
 * and decrypting it with the known lab password checks the codecs and the AES string-to-key,
 * key derivation and CTS against an independent implementation.
 */
interface Fixture {
  user: string;
  password: string;
  spn: string;
  exchanges: { request: string; reply: string }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/samba-ad-exchange.json', import.meta.url), 'utf8'),
) as Fixture;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const [first, second, third] = fixture.exchanges as [
  Fixture['exchanges'][number],
  Fixture['exchanges'][number],
  Fixture['exchanges'][number],
];

test('KDC_ERR_PREAUTH_REQUIRED carries ETYPE-INFO2 with the AD salt', () => {
  const reply = hex(first.reply);
  assert.ok(isKrbError(reply));
  const err = decodeKrbError(reply);
  assert.equal(err.errorCode, KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED);
  assert.equal(err.realm, 'SMBENCH.TEST');
  const methods = decodeMethodData(err.eData!);
  const info2 = methods.find((m) => m.type === PaDataType.PA_ETYPE_INFO2)!;
  const entries = decodeEtypeInfo2(info2.value);
  // Heimdal spells out the default 4096 iterations (RFC 3962 4) in s2kparams.
  assert.deepEqual(entries[0], { etype: 18, salt: 'SMBENCH.TESTAdministrator', s2kparams: hex('00001000') });
});

test('the real AS-REP decrypts with the password-derived AES-256 key', async () => {
  const req = decodeKdcReq(hex(second.request));
  assert.ok(req.padata.some((p) => p.type === PaDataType.PA_ENC_TIMESTAMP));
  const rep = decodeKdcRep(hex(second.reply));
  assert.equal(rep.crealm, 'SMBENCH.TEST');
  assert.deepEqual(rep.cname.nameString, [fixture.user]);
  assert.deepEqual(rep.ticket.sname.nameString, ['krbtgt', 'SMBENCH.TEST']);
  assert.equal(rep.encPart.etype, 18);
  const aes = profileFor(18);
  const key = await aes.stringToKey(fixture.password, 'SMBENCH.TESTAdministrator');
  const enc = decodeEncKdcRepPart(aes.decrypt(key, KeyUsage.AS_REP_ENCPART, rep.encPart.cipher));
  assert.equal(enc.nonce, req.body.nonce);
  assert.equal(enc.key.keytype, 18);
  assert.equal(enc.srealm, 'SMBENCH.TEST');
  assert.ok(enc.renewTill && enc.renewTill > enc.endtime);

  // ...and its session key opens the TGS-REP for the cifs ticket (key usage 8).
  const tgsReq = decodeKdcReq(hex(third.request));
  const tgsRep = decodeKdcRep(hex(third.reply));
  const tgsEnc = decodeEncKdcRepPart(
    aes.decrypt(enc.key.keyvalue, KeyUsage.TGS_REP_ENCPART_SESSION_KEY, tgsRep.encPart.cipher),
  );
  assert.equal(tgsEnc.nonce, tgsReq.body.nonce);
  assert.equal(tgsEnc.sname.nameString.join('/'), fixture.spn);
  assert.equal(tgsRep.ticket.sname.nameString.join('/'), fixture.spn);
});
