import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAvPairs } from '../../../src/auth/ntlm/av-pairs.js';
import { AvId, NegotiateFlags } from '../../../src/auth/ntlm/constants.js';
import { computeNtlmv2Response, fileTimeNow, ntHash, ntowfv2 } from '../../../src/auth/ntlm/ntlmv2.js';
import { createClientSecurity, sealKey, signKey } from '../../../src/auth/ntlm/ntlm-session-security.js';
import { rc4 } from '../../../src/crypto/rc4.js';

// MS-NLMP 4.2.1 common values and 4.2.4 NTLMv2 results.
const USER = 'User';
const DOMAIN = 'Domain';
const PASSWORD = 'Password';
const SERVER_CHALLENGE = Buffer.from('0123456789abcdef', 'hex');
const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
/** 4.2.4: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL. */
const AV_PAIRS = encodeAvPairs([
  { id: AvId.MsvAvNbDomainName, value: Buffer.from(DOMAIN, 'utf16le') },
  { id: AvId.MsvAvNbComputerName, value: Buffer.from('Server', 'utf16le') },
]);
/** 4.2.4 flags: KEY_EXCH, 56, 128, VERSION, TARGET_INFO, ESS, TARGET_TYPE_SERVER, ALWAYS_SIGN, NTLM, SEAL, SIGN, OEM, UNICODE. */
const FLAGS_4_2_4 = 0xe28a8233;

const hex = (b: Buffer): string => b.toString('hex');

test('MS-NLMP 4.2.2.1.2 NTOWFv1 and 4.2.4.1.1 NTOWFv2', () => {
  assert.equal(hex(ntHash(PASSWORD)), 'a4f49c406510bdcab6824ee7c30fd852');
  assert.equal(hex(ntowfv2(ntHash(PASSWORD), USER, DOMAIN)), '0c868a403bfd7a93a3001ef22ef02e3f');
  // Only the user name is upper-cased (3.3.2).
  assert.equal(hex(ntowfv2(ntHash(PASSWORD), 'user', DOMAIN)), '0c868a403bfd7a93a3001ef22ef02e3f');
  assert.notEqual(hex(ntowfv2(ntHash(PASSWORD), USER, 'DOMAIN')), '0c868a403bfd7a93a3001ef22ef02e3f');
});

test('MS-NLMP 4.2.4.1.2 / 4.2.4.2 NTLMv2 responses and session base key', () => {
  const r = computeNtlmv2Response({
    responseKeyNT: ntowfv2(ntHash(PASSWORD), USER, DOMAIN),
    serverChallenge: SERVER_CHALLENGE,
    clientChallenge: CLIENT_CHALLENGE,
    time: 0n,
    avPairs: AV_PAIRS,
    zeroLmResponse: false,
  });
  assert.equal(hex(r.lmChallengeResponse), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  assert.equal(hex(r.ntProofStr), '68cd0ab851e51c96aabc927bebef6a1c');
  assert.equal(
    hex(r.ntChallengeResponse),
    '68cd0ab851e51c96aabc927bebef6a1c' +
      '0101000000000000' +
      '0000000000000000' +
      'aaaaaaaaaaaaaaaa' +
      '00000000' +
      '02000c0044006f006d00610069006e00' +
      '01000c00530065007200760065007200' +
      '00000000' +
      '00000000',
  );
  assert.equal(hex(r.sessionBaseKey), '8de40ccadbc14a82f15cb0ad0de95ca3');
  // 4.2.4.2.3: EncryptedRandomSessionKey = RC4(KeyExchangeKey = SessionBaseKey, RandomSessionKey).
  assert.equal(hex(rc4(r.sessionBaseKey, RANDOM_SESSION_KEY)), 'c5dad2544fc9799094ce1ce90bc9d03e');
});

test('LMv2 is zeroed when the server sent MsvAvTimestamp (3.1.5.1.2)', () => {
  const r = computeNtlmv2Response({
    responseKeyNT: ntowfv2(ntHash(PASSWORD), USER, DOMAIN),
    serverChallenge: SERVER_CHALLENGE,
    clientChallenge: CLIENT_CHALLENGE,
    time: 0n,
    avPairs: AV_PAIRS,
    zeroLmResponse: true,
  });
  assert.deepEqual(r.lmChallengeResponse, Buffer.alloc(24));
  assert.equal(hex(r.ntProofStr), '68cd0ab851e51c96aabc927bebef6a1c');
});

test('MS-NLMP 4.2.4.4 sealing/signing keys, SEAL and signature', () => {
  assert.equal(
    hex(sealKey(RANDOM_SESSION_KEY, FLAGS_4_2_4, 'client-to-server')),
    '59f600973cc4960a25480a7c196e4c58',
  );
  assert.equal(hex(signKey(RANDOM_SESSION_KEY, 'client-to-server')), '4788dc861b4782f35d43fd98fe1a2d39');
  const { outbound } = createClientSecurity(RANDOM_SESSION_KEY, FLAGS_4_2_4);
  const plaintext = Buffer.from('Plaintext', 'utf16le');
  assert.equal(hex(outbound.seal(plaintext)), '54e50165bf1936dc996020c1811b0f06fb5f');
  assert.equal(hex(outbound.sign(plaintext)), '010000007fb38ec5c55d497600000000');
  assert.equal(outbound.seqNum, 1);
});

test('sealing key strength follows NEGOTIATE_128 / NEGOTIATE_56', () => {
  const k128 = sealKey(RANDOM_SESSION_KEY, NegotiateFlags.NTLMSSP_NEGOTIATE_128, 'server-to-client');
  const k56 = sealKey(RANDOM_SESSION_KEY, NegotiateFlags.NTLMSSP_NEGOTIATE_56, 'server-to-client');
  const k40 = sealKey(RANDOM_SESSION_KEY, 0, 'server-to-client');
  assert.equal(new Set([hex(k128), hex(k56), hex(k40)]).size, 3);
});

test('a server-side context verifies what the client-side context signs', () => {
  const client = createClientSecurity(RANDOM_SESSION_KEY, FLAGS_4_2_4);
  const peer = createClientSecurity(RANDOM_SESSION_KEY, FLAGS_4_2_4);
  const msg = Buffer.from('mechTypes');
  const sig = client.outbound.sign(msg);
  assert.ok(peer.outbound.verify(msg, sig));
  assert.ok(!createClientSecurity(RANDOM_SESSION_KEY, FLAGS_4_2_4).inbound.verify(msg, sig));
});

test('fileTimeNow converts the Unix epoch to FILETIME', () => {
  assert.equal(fileTimeNow(0), 116444736000000000n);
});
