import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../../src/bytes/byte-writer.js';
import { decodeAuthenticateMessage } from '../../../src/auth/ntlm/authenticate-message.js';
import {
  avPairFlags,
  avPairString,
  decodeAvPairs,
  encodeAvPairs,
  findAvPair,
} from '../../../src/auth/ntlm/av-pairs.js';
import {
  AvId,
  MessageType,
  MsvAvFlags,
  NegotiateFlags,
  NTLMSSP_SIGNATURE,
} from '../../../src/auth/ntlm/constants.js';
import { decodeNegotiateMessage } from '../../../src/auth/ntlm/negotiate-message.js';
import { createNtlmAuthenticator, NTLM_CLIENT_FLAGS } from '../../../src/auth/ntlm/ntlm-authenticator.js';
import { createClientSecurity } from '../../../src/auth/ntlm/ntlm-session-security.js';
import { hmacMd5, ntHash, ntowfv2 } from '../../../src/auth/ntlm/ntlmv2.js';
import {
  decodeNegTokenInit,
  encodeMechTypeList,
  encodeNegTokenInit,
} from '../../../src/auth/spnego/neg-token-init.js';
import { decodeNegTokenResp, encodeNegTokenResp, NegState } from '../../../src/auth/spnego/neg-token-resp.js';
import { MechOid } from '../../../src/auth/spnego/oid.js';
import { rc4 } from '../../../src/crypto/rc4.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';

const SAMBA_NEGOTIATE_HINT = Buffer.from(
  '604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa32a3028a0261b246e6f745f646566696e65645f696e5f' +
    '5246433431373840706c656173655f69676e6f7265',
  'hex',
);
const SERVER_CHALLENGE = Buffer.from('0123456789abcdef', 'hex');
const SERVER_FLAGS = 0xe28a8235;
const TIMESTAMP = 0x01dd7c0a0b1b4b10n;

/** A deterministic randomness source: 0x11.. for the client challenge, 0x55.. for the session key. */
function fixedRandom(): (n: number) => Buffer {
  const fills = [0x11, 0x55];
  let i = 0;
  return (n) => Buffer.alloc(n, fills[i++ % fills.length]);
}

/** Builds a CHALLENGE_MESSAGE the way a server would (MS-NLMP 2.2.1.2). */
function challengeMessage(flags: number, withTimestamp: boolean): Buffer {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE(TIMESTAMP);
  const targetInfo = encodeAvPairs([
    { id: AvId.MsvAvNbDomainName, value: Buffer.from('LAB', 'utf16le') },
    { id: AvId.MsvAvNbComputerName, value: Buffer.from('FS1', 'utf16le') },
    ...(withTimestamp ? [{ id: AvId.MsvAvTimestamp, value: ts }] : []),
  ]);
  const targetName = Buffer.from('LAB', 'utf16le');
  const header = 56;
  return new ByteWriter(Buffer.alloc(header + targetName.length + targetInfo.length))
    .bytes(NTLMSSP_SIGNATURE)
    .u32(MessageType.NtLmChallenge)
    .u16(targetName.length)
    .u16(targetName.length)
    .u32(header)
    .u32(flags)
    .bytes(SERVER_CHALLENGE)
    .zeros(8)
    .u16(targetInfo.length)
    .u16(targetInfo.length)
    .u32(header + targetName.length)
    .bytes(Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 0x0f]))
    .bytes(targetName)
    .bytes(targetInfo).buf;
}

interface Exchange {
  negotiate: Buffer;
  challenge: Buffer;
  authenticateToken: Buffer;
}

function runToAuthenticate(
  creds: Parameters<typeof createNtlmAuthenticator>[0],
  withTimestamp = true,
  serverFlags = SERVER_FLAGS,
) {
  const auth = createNtlmAuthenticator(creds, {
    randomBytes: fixedRandom(),
    now: () => 42n,
    targetName: 'cifs/fs1.lab.example',
  });
  const first = auth.step(SAMBA_NEGOTIATE_HINT) as Buffer;
  const init = decodeNegTokenInit(first);
  const challenge = challengeMessage(serverFlags, withTimestamp);
  const second = auth.step(
    encodeNegTokenResp({
      negState: NegState.ACCEPT_INCOMPLETE,
      supportedMech: MechOid.NTLMSSP,
      responseToken: challenge,
    }),
  ) as Buffer;
  const ex: Exchange = { negotiate: init.mechToken!, challenge, authenticateToken: second };
  return { auth, init, ex };
}

/** Server-side validation of an AUTHENTICATE, independent of the client's code path. */
function serverCheck(ex: Exchange, password: string, user: string, domain: string) {
  const resp = decodeNegTokenResp(ex.authenticateToken);
  const msg = decodeAuthenticateMessage(resp.responseToken!);
  const key = ntowfv2(ntHash(password), user, domain);
  const ntProofStr = hmacMd5(key, SERVER_CHALLENGE, msg.ntChallengeResponse.subarray(16));
  assert.deepEqual(ntProofStr, msg.ntChallengeResponse.subarray(0, 16), 'NTProofStr');
  const sessionBaseKey = hmacMd5(key, ntProofStr);
  const exportedSessionKey = rc4(sessionBaseKey, msg.encryptedRandomSessionKey);
  return { resp, msg, exportedSessionKey };
}

function isAuthError(err: unknown): boolean {
  return err instanceof SmbBenchError && err.code === ErrorCode.AUTH;
}

function isProtocolOrAuthError(err: unknown): boolean {
  return err instanceof SmbBenchError && (err.code === ErrorCode.AUTH || err.code === ErrorCode.PROTOCOL);
}

test('first token is a framed NegTokenInit carrying NTLM NEGOTIATE with the client flags', () => {
  const { init, ex } = runToAuthenticate({ user: 'alice', password: 'pw', domain: 'LAB' });
  assert.deepEqual(init.mechTypes, [MechOid.NTLMSSP]);
  assert.equal(decodeNegotiateMessage(ex.negotiate).negotiateFlags, NTLM_CLIENT_FLAGS);
});

test('AUTHENTICATE carries a verifiable NTLMv2 response, MIC and mechListMIC', () => {
  const { auth, ex } = runToAuthenticate({
    user: 'alice',
    password: 'S3cret!',
    domain: 'LAB',
    workstation: 'GEN1',
  });
  const { resp, msg, exportedSessionKey } = serverCheck(ex, 'S3cret!', 'alice', 'LAB');
  assert.equal(auth.principal, 'LAB\\alice');
  assert.equal(auth.mechanism, 'NTLM');
  assert.equal(msg.negotiateFlags, (SERVER_FLAGS & NTLM_CLIENT_FLAGS) >>> 0);
  assert.equal(msg.userName, 'alice');
  assert.equal(msg.domainName, 'LAB');
  assert.equal(msg.workstation, 'GEN1');
  assert.deepEqual(exportedSessionKey, Buffer.alloc(16, 0x55));
  // MsvAvTimestamp present: LMv2 zeroed, blob time = server timestamp, MIC provided (3.1.5.1.2).
  assert.deepEqual(msg.lmChallengeResponse, Buffer.alloc(24));
  const blob = msg.ntChallengeResponse.subarray(16);
  assert.equal(blob.readBigUInt64LE(8), TIMESTAMP);
  assert.deepEqual(blob.subarray(16, 24), Buffer.alloc(8, 0x11));
  const pairs = decodeAvPairs(blob.subarray(28));
  assert.equal(avPairFlags(pairs) & MsvAvFlags.MIC_PROVIDED, MsvAvFlags.MIC_PROVIDED);
  assert.equal(avPairString(pairs, AvId.MsvAvTargetName), 'cifs/fs1.lab.example');
  assert.deepEqual(findAvPair(pairs, AvId.MsvAvChannelBindings), Buffer.alloc(16));
  const zeroedMic = Buffer.from(resp.responseToken!);
  zeroedMic.fill(0, 72, 88);
  assert.deepEqual(msg.mic, hmacMd5(exportedSessionKey, ex.negotiate, ex.challenge, zeroedMic));
  // The server checks mechListMIC with its view of the client-to-server direction.
  const serverView = createClientSecurity(exportedSessionKey, msg.negotiateFlags);
  assert.ok(serverView.outbound.verify(encodeMechTypeList([MechOid.NTLMSSP]), resp.mechListMIC!));
  assert.equal(resp.negState, undefined);
});

test('finish() accepts a correct server mechListMIC and exposes the exported session key', () => {
  const { auth, ex } = runToAuthenticate({ user: 'alice', password: 'pw' });
  const { msg, exportedSessionKey } = serverCheck(ex, 'pw', 'alice', '');
  const serverView = createClientSecurity(exportedSessionKey, msg.negotiateFlags);
  const mechListMIC = serverView.inbound.sign(encodeMechTypeList([MechOid.NTLMSSP]));
  auth.finish(encodeNegTokenResp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC }));
  assert.deepEqual(auth.sessionKey(), exportedSessionKey);
});

test('finish() rejects a wrong server mechListMIC, reject and incomplete states', () => {
  const bad = Buffer.from('01000000aaaaaaaaaaaaaaaa00000000', 'hex');
  const cases = [
    encodeNegTokenResp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC: bad }),
    encodeNegTokenResp({ negState: NegState.REJECT }),
    encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE }),
  ];
  for (const token of cases) {
    const { auth } = runToAuthenticate({ user: 'alice', password: 'pw' });
    assert.throws(() => auth.finish(token), isAuthError);
    assert.throws(() => auth.sessionKey(), isAuthError);
  }
});

test('finish() tolerates an empty final token', () => {
  const { auth } = runToAuthenticate({ user: 'alice', password: 'pw' });
  auth.finish(Buffer.alloc(0));
  assert.equal(auth.sessionKey().length, 16);
});

test('an NT hash gives the same AUTHENTICATE as the password', () => {
  const a = runToAuthenticate({ user: 'bob', password: 'hunter2', domain: 'LAB' }).ex.authenticateToken;
  const b = runToAuthenticate({ user: 'bob', ntHash: ntHash('hunter2'), domain: 'LAB' }).ex.authenticateToken;
  assert.deepEqual(a, b);
});

test('without MsvAvTimestamp: LMv2 computed, local time used, no MIC', () => {
  const { ex } = runToAuthenticate({ user: 'carol', password: 'pw' }, false);
  const { msg } = serverCheck(ex, 'pw', 'carol', '');
  assert.notDeepEqual(msg.lmChallengeResponse, Buffer.alloc(24));
  assert.deepEqual(msg.lmChallengeResponse.subarray(16), Buffer.alloc(8, 0x11));
  assert.equal(msg.ntChallengeResponse.subarray(16).readBigUInt64LE(8), 42n);
  assert.deepEqual(msg.mic, Buffer.alloc(16));
});

test('without KEY_EXCH the exported session key is the session base key', () => {
  const flags = SERVER_FLAGS & ~NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH;
  const { auth, ex } = runToAuthenticate({ user: 'dave', password: 'pw' }, true, flags);
  const resp = decodeNegTokenResp(ex.authenticateToken);
  const msg = decodeAuthenticateMessage(resp.responseToken!);
  assert.equal(msg.encryptedRandomSessionKey.length, 0);
  auth.finish(undefined);
  const key = ntowfv2(ntHash('pw'), 'dave', '');
  assert.deepEqual(auth.sessionKey(), hmacMd5(key, msg.ntChallengeResponse.subarray(0, 16)));
});

test('a server without extended session security is refused', () => {
  const flags = SERVER_FLAGS & ~NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
  assert.throws(() => runToAuthenticate({ user: 'erin', password: 'pw' }, true, flags), isAuthError);
});

test('a server that offers only Kerberos is refused with an AUTH error', () => {
  const auth = createNtlmAuthenticator({ user: 'alice', password: 'pw' });
  const hint = encodeNegTokenInit({ mechTypes: [MechOid.MS_KRB5, MechOid.KRB5] });
  assert.throws(() => auth.step(hint), isAuthError);
});

test('an empty or absent NEGOTIATE hint is fine', () => {
  assert.ok((createNtlmAuthenticator({ user: 'a', password: 'p' }).step(undefined) as Buffer).length > 0);
  assert.ok(
    (createNtlmAuthenticator({ user: 'a', password: 'p' }).step(Buffer.alloc(0)) as Buffer).length > 0,
  );
});

test('protocol misuse and malformed challenges throw SmbBenchError, never RangeError', () => {
  const auth = createNtlmAuthenticator({ user: 'alice', password: 'pw' });
  assert.throws(() => auth.finish(undefined), isAuthError);
  const reject = createNtlmAuthenticator({ user: 'alice', password: 'pw' });
  reject.step(undefined);
  assert.throws(() => reject.step(encodeNegTokenResp({ negState: NegState.REJECT })), isAuthError);
  const challenge = challengeMessage(SERVER_FLAGS, true);
  for (let n = 0; n < challenge.length; n += 3) {
    const a = createNtlmAuthenticator({ user: 'alice', password: 'pw' });
    a.step(undefined);
    const token = encodeNegTokenResp({
      negState: NegState.ACCEPT_INCOMPLETE,
      responseToken: challenge.subarray(0, n),
    });
    try {
      a.step(token);
    } catch (err) {
      assert.ok(isProtocolOrAuthError(err), `length ${n}: ${String(err)}`);
    }
  }
  const again = createNtlmAuthenticator({ user: 'alice', password: 'pw' });
  again.step(undefined);
  assert.throws(() => again.step(Buffer.from([0xa1, 0x05, 0x30])), isProtocolOrAuthError);
  assert.throws(() => again.step(undefined), isProtocolOrAuthError);
});

test('credentials are validated up front', () => {
  assert.throws(() => createNtlmAuthenticator({ user: '', password: 'x' }), SmbBenchError);
  assert.throws(() => createNtlmAuthenticator({ user: 'a' }), SmbBenchError);
  assert.throws(() => createNtlmAuthenticator({ user: 'a', ntHash: Buffer.alloc(8) }), SmbBenchError);
});
