import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeAuthenticateMessage,
  encodeAuthenticateMessage,
} from '../../../src/auth/ntlm/authenticate-message.js';
import { avPairString, avPairTimestamp, decodeAvPairs } from '../../../src/auth/ntlm/av-pairs.js';
import { decodeChallengeMessage } from '../../../src/auth/ntlm/challenge-message.js';
import { AvId, NegotiateFlags, SMBENCH_NTLM_VERSION } from '../../../src/auth/ntlm/constants.js';
import { decodeNegotiateMessage, encodeNegotiateMessage } from '../../../src/auth/ntlm/negotiate-message.js';
import { decodeNegTokenInit } from '../../../src/auth/spnego/neg-token-init.js';
import { decodeNegTokenResp } from '../../../src/auth/spnego/neg-token-resp.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';

// SPNEGO tokens of one smbclient -> Samba 4.17 logon (../shared/pcaps/smbclient-samba-smb311-basic.pcap).
const SPNEGO_NEGOTIATE = Buffer.from(
  '604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a04284e544c4d535350000100000015820862' +
    '00000000280000000000000028000000060100000000000f',
  'hex',
);
const SPNEGO_CHALLENGE = Buffer.from(
  'a18181307fa0030a0101a10c060a2b06010401823702020aa26a04684e544c4d535350000200000004000400380000001582' +
    '8a620fae80414302f6ca00000000000000002c002c003c000000060100000000000f56004d000200040056004d0001000400' +
    '56004d00040000000300040076006d0007000800104b1b0b0a7cdd0100000000',
  'hex',
);
const SPNEGO_AUTHENTICATE = Buffer.from(
  'a18201903082018ca2820174048201704e544c4d53535000030000001800180058000000c800c80070000000120012003801' +
    '0000120012004a010000040004005c010000100010006001000015820862060100000000000f5ef869bdaf02f1ff05bc3338' +
    'debb8292000000000000000000000000000000000000000000000000739ea391fd5c1c937276a25c1a86be04010100000000' +
    '0000104b1b0b0a7cdd01b693aa6a6ca00bba000000000200040056004d000100040056004d00040000000300040076006d00' +
    '07000800104b1b0b0a7cdd010600040002000000080030003000000000000000000000000000000035f7f88b7c246f89ab1c' +
    '4be81cd20e7c942d3df1629155ae7c39f5dc263778fe0a0010000000000000000000000000000000000009001c0063006900' +
    '660073002f003100320037002e0030002e0030002e0031000000000057004f0052004b00470052004f005500500062006500' +
    '6e0063006800750073006500720056004d00038b77abba9acd10ceec1ad9b37d36f3a3120410010000008a2187d4658c4908' +
    '00000000',
  'hex',
);

const negotiateBytes = decodeNegTokenInit(SPNEGO_NEGOTIATE).mechToken!;
const challengeBytes = decodeNegTokenResp(SPNEGO_CHALLENGE).responseToken!;
const authenticateBytes = decodeNegTokenResp(SPNEGO_AUTHENTICATE).responseToken!;

function isProtocolError(err: unknown): boolean {
  return err instanceof SmbBenchError && err.code === ErrorCode.PROTOCOL;
}

test("decodes smbclient's NEGOTIATE_MESSAGE", () => {
  const msg = decodeNegotiateMessage(negotiateBytes);
  assert.equal(msg.negotiateFlags, 0x62088215);
  assert.equal(msg.version?.productMajorVersion, 6);
  assert.equal(msg.version?.ntlmRevisionCurrent, 0x0f);
  assert.equal(msg.domain.length, 0);
});

test('NEGOTIATE_MESSAGE round-trips and has the 40-byte layout', () => {
  const bytes = encodeNegotiateMessage({ negotiateFlags: 0xe2088297, version: SMBENCH_NTLM_VERSION });
  assert.equal(bytes.length, 40);
  const back = decodeNegotiateMessage(bytes);
  assert.equal(back.negotiateFlags, 0xe2088297);
  assert.deepEqual(back.version, SMBENCH_NTLM_VERSION);
  const noVersion = encodeNegotiateMessage({
    negotiateFlags: NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE,
    version: SMBENCH_NTLM_VERSION,
  });
  assert.equal(noVersion.length, 32);
});

test("decodes Samba's CHALLENGE_MESSAGE with its target info", () => {
  const msg = decodeChallengeMessage(challengeBytes);
  assert.equal(msg.negotiateFlags, 0x628a8215);
  assert.equal(msg.serverChallenge.toString('hex'), '0fae80414302f6ca');
  assert.equal(msg.targetName, 'VM');
  assert.deepEqual(
    msg.targetInfoPairs.map((p) => p.id),
    [
      AvId.MsvAvNbDomainName,
      AvId.MsvAvNbComputerName,
      AvId.MsvAvDnsDomainName,
      AvId.MsvAvDnsComputerName,
      AvId.MsvAvTimestamp,
    ],
  );
  assert.equal(avPairString(msg.targetInfoPairs, AvId.MsvAvDnsComputerName), 'vm');
  assert.equal(avPairTimestamp(msg.targetInfoPairs), 0x01dd7c0a0b1b4b10n);
});

test("decodes smbclient's AUTHENTICATE_MESSAGE (NTLMv2, zero LMv2, MIC)", () => {
  const msg = decodeAuthenticateMessage(authenticateBytes);
  assert.equal(msg.userName, 'benchuser');
  assert.equal(msg.domainName, 'WORKGROUP');
  assert.equal(msg.workstation, 'VM');
  assert.deepEqual(msg.lmChallengeResponse, Buffer.alloc(24));
  assert.equal(msg.ntChallengeResponse.length, 200);
  assert.equal(msg.encryptedRandomSessionKey.length, 16);
  assert.equal(msg.mic?.toString('hex'), '5ef869bdaf02f1ff05bc3338debb8292');
  // The client blob echoes the server's pairs and adds MsvAvFlags (MIC), SingleHost, ChannelBindings, TargetName.
  const pairs = decodeAvPairs(msg.ntChallengeResponse.subarray(16 + 28));
  assert.equal(avPairString(pairs, AvId.MsvAvTargetName), 'cifs/127.0.0.1');
});

test('AUTHENTICATE_MESSAGE round-trips', () => {
  const msg = {
    negotiateFlags: 0xe2888235,
    lmChallengeResponse: Buffer.alloc(24),
    ntChallengeResponse: Buffer.alloc(60, 3),
    domainName: 'CORP',
    userName: 'alice',
    workstation: 'LOADGEN01',
    encryptedRandomSessionKey: Buffer.alloc(16, 4),
    version: SMBENCH_NTLM_VERSION,
    mic: Buffer.alloc(16, 5),
  };
  assert.deepEqual(decodeAuthenticateMessage(encodeAuthenticateMessage(msg)), msg);
});

test('truncated NTLM messages throw protocol errors, never RangeError', () => {
  for (let n = 0; n < challengeBytes.length; n++) {
    try {
      decodeChallengeMessage(challengeBytes.subarray(0, n));
    } catch (err) {
      assert.ok(isProtocolError(err), `CHALLENGE length ${n}: ${String(err)}`);
    }
  }
  for (let n = 0; n < 64; n++) {
    assert.throws(() => decodeAuthenticateMessage(authenticateBytes.subarray(0, n)), isProtocolError);
  }
  assert.throws(() => decodeChallengeMessage(negotiateBytes), isProtocolError);
});

test('corrupted CHALLENGE fields throw protocol errors, never RangeError', () => {
  for (let i = 0; i < challengeBytes.length; i++) {
    for (const b of [0x00, 0x7f, 0xff]) {
      const bad = Buffer.from(challengeBytes);
      bad[i] = b;
      try {
        decodeChallengeMessage(bad);
      } catch (err) {
        assert.ok(isProtocolError(err), `byte ${i} = ${b}: ${String(err)}`);
      }
    }
  }
});
