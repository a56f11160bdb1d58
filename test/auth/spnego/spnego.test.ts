import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeNegTokenInit,
  encodeMechTypeList,
  encodeNegTokenInit,
} from '../../../src/auth/spnego/neg-token-init.js';
import { decodeNegTokenResp, encodeNegTokenResp, NegState } from '../../../src/auth/spnego/neg-token-resp.js';
import { decodeNegotiationToken } from '../../../src/auth/spnego/negotiation-token.js';
import { decodeOidValue, encodeOidValue, MechOid } from '../../../src/auth/spnego/oid.js';
import { DerReader, encodeLength } from '../../../src/auth/spnego/der.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';

// Security buffers from ../shared/pcaps/smbclient-samba-smb311-basic.pcap (Samba 4.17).
const SAMBA_NEGOTIATE_HINT = Buffer.from(
  '604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa32a3028a0261b246e6f745f646566696e65645f696e5f' +
    '5246433431373840706c656173655f69676e6f7265',
  'hex',
);
const SMBCLIENT_NEG_TOKEN_INIT = Buffer.from(
  '604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a04284e544c4d53535000010000001582086200000000' +
    '280000000000000028000000060100000000000f',
  'hex',
);
const SAMBA_CHALLENGE_RESP = Buffer.from(
  'a18181307fa0030a0101a10c060a2b06010401823702020aa26a04684e544c4d5353500002000000040004003800000015828a620fae' +
    '80414302f6ca00000000000000002c002c003c000000060100000000000f56004d000200040056004d000100040056004d0004000000' +
    '0300040076006d0007000800104b1b0b0a7cdd0100000000',
  'hex',
);
const SAMBA_FINAL_RESP = Buffer.from('a11b3019a0030a0100a312041001000000e04627a215f7e06100000000', 'hex');

function isSpnegoError(err: unknown): boolean {
  return err instanceof SmbBenchError && (err.code === ErrorCode.PROTOCOL || err.code === ErrorCode.AUTH);
}

test('OIDs round-trip, including multi-byte arcs', () => {
  for (const oid of Object.values(MechOid)) assert.equal(decodeOidValue(encodeOidValue(oid)), oid);
  assert.equal(encodeOidValue(MechOid.NTLMSSP).toString('hex'), '2b06010401823702020a');
  assert.equal(encodeOidValue(MechOid.KRB5).toString('hex'), '2a864886f712010202');
});

test('DER lengths use the long form from 128 on', () => {
  assert.deepEqual(encodeLength(127), Buffer.from([0x7f]));
  assert.deepEqual(encodeLength(128), Buffer.from([0x81, 0x80]));
  assert.deepEqual(encodeLength(0x170), Buffer.from([0x82, 0x01, 0x70]));
});

test("decodes Samba's NegTokenInit2 hint from the NEGOTIATE response", () => {
  const init = decodeNegTokenInit(SAMBA_NEGOTIATE_HINT);
  assert.deepEqual(init.mechTypes, [MechOid.NTLMSSP]);
  assert.equal(init.negHints?.hintName, 'not_defined_in_RFC4178@please_ignore');
  assert.equal(init.mechToken, undefined);
  assert.equal(init.mechTypesDer.toString('hex'), '300c060a2b06010401823702020a');
});

test('encodes the same NegTokenInit bytes as smbclient for the same NTLM NEGOTIATE', () => {
  const decoded = decodeNegTokenInit(SMBCLIENT_NEG_TOKEN_INIT);
  assert.equal(decoded.mechToken?.subarray(0, 8).toString('latin1'), 'NTLMSSP\0');
  const encoded = encodeNegTokenInit({ mechTypes: [MechOid.NTLMSSP], mechToken: decoded.mechToken! });
  assert.deepEqual(encoded, SMBCLIENT_NEG_TOKEN_INIT);
});

test('NegTokenInit round-trips with every field, including NegTokenInit2 hints', () => {
  const full = {
    mechTypes: [MechOid.MS_KRB5, MechOid.KRB5, MechOid.NTLMSSP],
    reqFlags: Buffer.from([0x00, 0x20]),
    mechToken: Buffer.alloc(300, 7),
    negHints: { hintName: 'host@REALM', hintAddress: Buffer.from([1, 2, 3]) },
    mechListMIC: Buffer.alloc(16, 9),
  };
  const decoded = decodeNegTokenInit(encodeNegTokenInit(full));
  assert.deepEqual(decoded, { ...full, mechTypesDer: encodeMechTypeList(full.mechTypes) });
  const { negHints: _omit, ...plain } = full;
  const decodedPlain = decodeNegTokenInit(encodeNegTokenInit(plain));
  assert.deepEqual(decodedPlain.mechListMIC, full.mechListMIC);
});

test("decodes Samba's NegTokenResp carrying the NTLM CHALLENGE", () => {
  const resp = decodeNegTokenResp(SAMBA_CHALLENGE_RESP);
  assert.equal(resp.negState, NegState.ACCEPT_INCOMPLETE);
  assert.equal(resp.supportedMech, MechOid.NTLMSSP);
  assert.equal(resp.responseToken?.length, 0x68);
  assert.equal(resp.mechListMIC, undefined);
});

test("decodes Samba's final accept-completed NegTokenResp with mechListMIC", () => {
  const resp = decodeNegTokenResp(SAMBA_FINAL_RESP);
  assert.equal(resp.negState, NegState.ACCEPT_COMPLETED);
  assert.equal(resp.mechListMIC?.toString('hex'), '01000000e04627a215f7e06100000000');
  assert.equal(resp.responseToken, undefined);
});

test('NegTokenResp round-trips', () => {
  const resp = {
    negState: NegState.REQUEST_MIC,
    supportedMech: MechOid.NTLMSSP,
    responseToken: Buffer.alloc(200, 1),
    mechListMIC: Buffer.alloc(16, 2),
  };
  assert.deepEqual(decodeNegTokenResp(encodeNegTokenResp(resp)), resp);
  assert.deepEqual(decodeNegTokenResp(encodeNegTokenResp({})), {});
});

test('decodeNegotiationToken dispatches on the first tag', () => {
  assert.equal(decodeNegotiationToken(SAMBA_NEGOTIATE_HINT).kind, 'init');
  assert.equal(decodeNegotiationToken(SAMBA_FINAL_RESP).kind, 'resp');
  assert.throws(() => decodeNegotiationToken(Buffer.alloc(0)), isSpnegoError);
  assert.throws(() => decodeNegotiationToken(Buffer.from([0x04, 0x00])), isSpnegoError);
});

test('every truncation of real tokens throws a protocol error, never RangeError', () => {
  for (const token of [
    SAMBA_NEGOTIATE_HINT,
    SMBCLIENT_NEG_TOKEN_INIT,
    SAMBA_CHALLENGE_RESP,
    SAMBA_FINAL_RESP,
  ]) {
    for (let n = 0; n < token.length; n++) {
      assert.throws(() => decodeNegotiationToken(token.subarray(0, n)), isSpnegoError, `length ${n}`);
    }
  }
});

test('corrupted tokens throw protocol errors, never RangeError', () => {
  for (const token of [SAMBA_NEGOTIATE_HINT, SAMBA_CHALLENGE_RESP, SAMBA_FINAL_RESP]) {
    for (let i = 0; i < token.length; i++) {
      for (const b of [0x00, 0x80, 0x84, 0xff]) {
        const bad = Buffer.from(token);
        bad[i] = b;
        try {
          decodeNegotiationToken(bad);
        } catch (err) {
          assert.ok(isSpnegoError(err), `byte ${i} = ${b}: ${String(err)}`);
        }
      }
    }
  }
});

test('DER reader rejects indefinite and oversized lengths', () => {
  assert.throws(() => new DerReader(Buffer.from([0x30, 0x80, 0x00, 0x00])).read(), isSpnegoError);
  assert.throws(() => new DerReader(Buffer.from([0x30, 0x85, 1, 0, 0, 0, 0])).read(), isSpnegoError);
  assert.throws(() => new DerReader(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])).read(), isSpnegoError);
});
