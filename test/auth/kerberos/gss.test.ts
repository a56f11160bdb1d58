import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aes256CtsHmacSha1 } from '../../../src/auth/kerberos/crypto/aes-profile.js';
import { KeyUsage } from '../../../src/auth/kerberos/crypto/key-usage.js';
import {
  gssAuthenticatorChecksum,
  gssChecksumFlags,
  GssFlags,
} from '../../../src/auth/kerberos/gss-checksum.js';
import { decodeKrb5Token, encodeKrb5Token, Krb5TokenId } from '../../../src/auth/kerberos/gss-krb5-token.js';
import { getMic, MicFlags, verifyAcceptorMic } from '../../../src/auth/kerberos/gss-mic.js';
import { MechOid } from '../../../src/auth/spnego/oid.js';

test('KRB5 GSS token framing: OID 1.2.840.113554.1.2.2, TOK_ID, message', () => {
  const token = encodeKrb5Token(Krb5TokenId.KRB_AP_REQ, Buffer.from('6e00', 'hex'));
  assert.equal(token.toString('hex'), '600f06092a864886f71201020201006e00');
  assert.deepEqual(decodeKrb5Token(token), {
    mech: MechOid.KRB5,
    tokId: 0x0100,
    message: Buffer.from('6e00', 'hex'),
  });
  // A bare AP-REP (no framing) is recognised by its APPLICATION 15 tag.
  assert.equal(decodeKrb5Token(Buffer.from('6f00', 'hex')).tokId, Krb5TokenId.KRB_AP_REP);
});

test('GSS authenticator checksum 0x8003: Lgth 16, zero bindings, flags little-endian', () => {
  const c = gssAuthenticatorChecksum(GssFlags.GSS_C_MUTUAL_FLAG | GssFlags.GSS_C_INTEG_FLAG);
  assert.equal(c.cksumtype, 0x8003);
  assert.equal(c.checksum.toString('hex'), '10000000' + '00'.repeat(16) + '22000000');
  assert.equal(gssChecksumFlags(c), 0x22);
});

test('CFX MIC tokens: initiator getMic layout, acceptor verification', () => {
  const key = aes256CtsHmacSha1.randomKey();
  const ctx = { profile: aes256CtsHmacSha1, key, acceptorSubkey: true };
  const msg = Buffer.from('mech list');
  const mic = getMic(ctx, msg, 5n);
  assert.equal(mic.length, 28);
  assert.equal(mic.subarray(0, 16).toString('hex'), '040404ffffffffff0000000000000005');
  // Build what an acceptor would send: SentByAcceptor|AcceptorSubkey, usage 23.
  const h = Buffer.from('040405ffffffffff0000000000000009', 'hex');
  void MicFlags;
  const server = Buffer.concat([
    h,
    aes256CtsHmacSha1.checksum(key, KeyUsage.KG_USAGE_ACCEPTOR_SIGN, Buffer.concat([msg, h])),
  ]);
  assert.equal(verifyAcceptorMic(ctx, msg, server), true);
  assert.equal(verifyAcceptorMic(ctx, Buffer.from('other'), server), false);
  assert.equal(verifyAcceptorMic(ctx, msg, mic), false); // our own token is not the acceptor's
});
