import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedMessageError } from '../../../../src/errors/smbench-error.js';
import { DerReader } from '../../../../src/auth/spnego/der.js';
import {
  decodeInteger,
  decodeKerberosFlags,
  decodeKerberosTime,
  encodeInteger,
  encodeKerberosFlags,
  encodeKerberosTime,
} from '../../../../src/auth/kerberos/asn1/krb-der.js';
import {
  DEFAULT_KDC_OPTIONS,
  decodeKdcReq,
  encodeKdcReq,
  encodeKdcReqBody,
  KrbMessageType,
} from '../../../../src/auth/kerberos/asn1/kdc-req.js';
import {
  decodeEncKdcRepPart,
  decodeKdcRep,
  ENC_AS_REP_PART,
  encodeEncKdcRepPart,
  encodeKdcRep,
  TicketFlags,
} from '../../../../src/auth/kerberos/asn1/kdc-rep.js';
import { decodeKrbError, encodeKrbError, isKrbError } from '../../../../src/auth/kerberos/asn1/krb-error.js';
import {
  decodeEtypeInfo2,
  decodeMethodData,
  encodeEtypeInfo2,
  encodePacRequest,
  encodePaDataList,
  PaDataType,
} from '../../../../src/auth/kerberos/asn1/pa-data.js';
import { tgsPrincipal, userPrincipal } from '../../../../src/auth/kerberos/asn1/principal-name.js';
import { decodeTicket, encodeTicket } from '../../../../src/auth/kerberos/asn1/ticket.js';
import {
  ApOptions,
  decodeApReq,
  decodeAuthenticator,
  encodeApReq,
  encodeAuthenticator,
} from '../../../../src/auth/kerberos/asn1/ap-req.js';
import {
  decodeApRep,
  decodeEncApRepPart,
  encodeApRep,
  encodeEncApRepPart,
} from '../../../../src/auth/kerberos/asn1/ap-rep.js';

const el = (b: Buffer) => new DerReader(b).read();

test('INTEGER uses minimal two’s complement over the Kerberos range', () => {
  const cases: [number, string][] = [
    [0, '020100'],
    [5, '020105'],
    [127, '02017f'],
    [128, '02020080'],
    [-1, '0201ff'],
    [-138, '0202ff76'],
    [0x7fffffff, '02047fffffff'],
    [0xffffffff, '020500ffffffff'],
    [-0x80000000, '020480000000'],
  ];
  for (const [n, hex] of cases) {
    assert.equal(encodeInteger(n).toString('hex'), hex, `encode ${n}`);
    assert.equal(decodeInteger(el(Buffer.from(hex, 'hex')), 'n'), n, `decode ${n}`);
  }
  assert.throws(() => encodeInteger(2 ** 32), RangeError);
});

test('KerberosTime is GeneralizedTime without fractions, UTC', () => {
  const t = new Date(Date.UTC(2037, 8, 13, 2, 48, 5, 999));
  const enc = encodeKerberosTime(t);
  assert.equal(enc.subarray(2).toString('latin1'), '20370913024805Z');
  assert.equal(decodeKerberosTime(el(enc), 't').getTime(), Date.UTC(2037, 8, 13, 2, 48, 5));
});

test('KerberosFlags is a 32-bit BIT STRING with bit 0 first', () => {
  const enc = encodeKerberosFlags(DEFAULT_KDC_OPTIONS);
  assert.equal(enc.toString('hex'), '03050040810010');
  assert.equal(decodeKerberosFlags(el(enc), 'f'), DEFAULT_KDC_OPTIONS);
});

const realm = 'SMBENCH.TEST';
const ticketBytes = encodeTicket({
  realm,
  sname: tgsPrincipal(realm),
  encPart: { etype: 18, kvno: 2, cipher: Buffer.alloc(40, 0xab) },
});

test('AS-REQ round-trips with PA-DATA and the body bytes', () => {
  const body = encodeKdcReqBody({
    kdcOptions: DEFAULT_KDC_OPTIONS,
    cname: userPrincipal('alice'),
    realm,
    sname: tgsPrincipal(realm),
    till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
    nonce: 0x9abcdef0,
    etypes: [18, 17, 23],
  });
  const req = encodeKdcReq(
    KrbMessageType.KRB_AS_REQ,
    [{ type: PaDataType.PA_PAC_REQUEST, value: encodePacRequest(true) }],
    body,
  );
  assert.equal(req[0], 0x6a);
  const d = decodeKdcReq(req);
  assert.equal(d.msgType, 10);
  assert.deepEqual(d.bodyBytes, body);
  assert.deepEqual(d.body.cname, userPrincipal('alice'));
  assert.equal(d.body.nonce, 0x9abcdef0);
  assert.deepEqual(d.body.etypes, [18, 17, 23]);
  assert.equal(d.padata[0]!.type, 128);
  assert.equal(encodePacRequest(true).toString('hex'), '3005a0030101ff');
});

test('Ticket keeps its exact encoding', () => {
  const t = decodeTicket(ticketBytes);
  assert.deepEqual(t.encoded, ticketBytes);
  assert.equal(t.encPart.kvno, 2);
  assert.deepEqual(t.sname.nameString, ['krbtgt', realm]);
});

test('AS-REP and EncASRepPart round-trip', () => {
  const encPart = encodeEncKdcRepPart(ENC_AS_REP_PART, {
    key: { keytype: 18, keyvalue: Buffer.alloc(32, 1) },
    nonce: 42,
    flags: TicketFlags.initial | TicketFlags.renewable,
    authtime: new Date(Date.UTC(2024, 0, 1)),
    endtime: new Date(Date.UTC(2024, 0, 1, 10)),
    renewTill: new Date(Date.UTC(2024, 0, 8)),
    srealm: realm,
    sname: tgsPrincipal(realm),
  });
  const dec = decodeEncKdcRepPart(encPart);
  assert.equal(dec.nonce, 42);
  assert.equal(dec.key.keyvalue.length, 32);
  assert.equal(dec.renewTill?.getTime(), Date.UTC(2024, 0, 8));
  assert.equal(dec.starttime, undefined);

  const rep = encodeKdcRep({
    msgType: KrbMessageType.KRB_AS_REP,
    padata: [
      {
        type: PaDataType.PA_ETYPE_INFO2,
        value: encodeEtypeInfo2([{ etype: 18, salt: 'SMBENCH.TESTalice' }]),
      },
    ],
    crealm: realm,
    cname: userPrincipal('alice'),
    ticket: ticketBytes,
    encPart: { etype: 18, cipher: Buffer.alloc(60) },
  });
  const r = decodeKdcRep(rep);
  assert.equal(r.msgType, 11);
  assert.deepEqual(r.ticket.encoded, ticketBytes);
  assert.equal(r.crealm, realm);
  assert.deepEqual(decodeEtypeInfo2(r.padata[0]!.value), [{ etype: 18, salt: 'SMBENCH.TESTalice' }]);
});

test('KRB-ERROR round-trips, with METHOD-DATA e-data', () => {
  const eData = encodePaDataList([
    {
      type: PaDataType.PA_ETYPE_INFO2,
      value: encodeEtypeInfo2([{ etype: 18, salt: 'X', s2kparams: Buffer.from('00001000', 'hex') }]),
    },
    { type: PaDataType.PA_ENC_TIMESTAMP, value: Buffer.alloc(0) },
  ]);
  const buf = encodeKrbError({
    stime: new Date(Date.UTC(2024, 5, 1)),
    susec: 123,
    errorCode: 25,
    realm,
    sname: tgsPrincipal(realm),
    eText: 'Need to use PA-ENC-TIMESTAMP',
    eData,
  });
  assert.ok(isKrbError(buf));
  const e = decodeKrbError(buf);
  assert.equal(e.errorCode, 25);
  assert.equal(e.susec, 123);
  assert.equal(e.eText, 'Need to use PA-ENC-TIMESTAMP');
  const methods = decodeMethodData(e.eData!);
  assert.deepEqual(
    methods.map((m) => m.type),
    [19, 2],
  );
  assert.equal(decodeEtypeInfo2(methods[0]!.value)[0]!.s2kparams!.readUInt32BE(0), 4096);
});

test('AP-REQ, Authenticator, AP-REP and EncAPRepPart round-trip', () => {
  const auth = encodeAuthenticator({
    crealm: realm,
    cname: userPrincipal('alice'),
    cksum: { cksumtype: 0x8003, checksum: Buffer.alloc(24) },
    cusec: 999999,
    ctime: new Date(Date.UTC(2024, 0, 1)),
    subkey: { keytype: 18, keyvalue: Buffer.alloc(32, 9) },
    seqNumber: 0xfffffffe,
  });
  const a = decodeAuthenticator(auth);
  assert.equal(a.cksum?.cksumtype, 0x8003);
  assert.equal(a.seqNumber, 0xfffffffe);
  assert.equal(a.subkey?.keyvalue[0], 9);

  const apReq = encodeApReq(ApOptions.mutual_required, ticketBytes, { etype: 18, cipher: Buffer.alloc(50) });
  const r = decodeApReq(apReq);
  assert.equal(r.apOptions, ApOptions.mutual_required);
  assert.deepEqual(r.ticket.encoded, ticketBytes);

  const encRep = encodeEncApRepPart({
    ctime: a.ctime,
    cusec: a.cusec,
    subkey: { keytype: 17, keyvalue: Buffer.alloc(16, 3) },
    seqNumber: 7,
  });
  const p = decodeEncApRepPart(encRep);
  assert.equal(p.subkey?.keytype, 17);
  assert.equal(p.seqNumber, 7);
  assert.deepEqual(decodeApRep(encodeApRep({ etype: 17, cipher: Buffer.alloc(30) })).etype, 17);
});

test('decoders reject truncated and mistyped input with MalformedMessageError', () => {
  assert.throws(() => decodeKdcRep(Buffer.from('6b0530033001', 'hex')), MalformedMessageError);
  assert.throws(() => decodeKrbError(Buffer.from('7e00', 'hex')), MalformedMessageError);
  assert.throws(() => decodeTicket(ticketBytes.subarray(0, ticketBytes.length - 1)), MalformedMessageError);
  assert.throws(
    () => decodeApRep(encodeApReq(0, ticketBytes, { etype: 18, cipher: Buffer.alloc(1) })),
    MalformedMessageError,
  );
});
