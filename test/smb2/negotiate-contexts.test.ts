import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeNegotiateContexts,
  encodeNegotiateContexts,
  HashAlgorithm,
  NegotiateContextType,
  negotiateContextListSize,
  type NegotiateContext,
} from '../../src/smb2/negotiate-contexts.js';
import { MalformedMessageError } from '../../src/errors/smbench-error.js';

const ALL_KINDS: NegotiateContext[] = [
  {
    type: NegotiateContextType.SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
    hashAlgorithms: [HashAlgorithm.SHA_512],
    salt: Buffer.alloc(32, 0xab),
  },
  { type: NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, ciphers: [2, 1, 4, 3] },
  { type: NegotiateContextType.SMB2_COMPRESSION_CAPABILITIES, flags: 1, compressionAlgorithms: [1, 2, 3] },
  { type: NegotiateContextType.SMB2_NETNAME_NEGOTIATE_CONTEXT_ID, netName: 'fileserver.example' },
  { type: NegotiateContextType.SMB2_TRANSPORT_CAPABILITIES, flags: 1 },
  { type: NegotiateContextType.SMB2_RDMA_TRANSFORM_CAPABILITIES, transformIds: [1, 2] },
  { type: NegotiateContextType.SMB2_SIGNING_CAPABILITIES, signingAlgorithms: [2, 1, 0] },
  { type: 'unknown', contextType: 0x0100, data: Buffer.from([1, 2, 3]) },
];

test('every negotiate context kind round-trips, each one 8-byte aligned', () => {
  const start = 104;
  const size = negotiateContextListSize(ALL_KINDS);
  const msg = Buffer.alloc(start + size);
  const end = encodeNegotiateContexts(ALL_KINDS, msg, start);
  assert.equal(end, start + size);
  const decoded = decodeNegotiateContexts(msg, start, ALL_KINDS.length);
  assert.deepEqual(decoded, ALL_KINDS);
  // Walk the headers by hand: each context starts on an 8-byte boundary.
  let off = start;
  for (const ctx of ALL_KINDS) {
    assert.equal(off % 8, 0);
    const type = ctx.type === 'unknown' ? ctx.contextType : ctx.type;
    assert.equal(msg.readUInt16LE(off), type);
    off = Math.ceil((off + 8 + msg.readUInt16LE(off + 2)) / 8) * 8;
  }
});

test('narrowing on type works for the client', () => {
  const [ctx] = decodeNegotiateContexts(
    (() => {
      const m = Buffer.alloc(8 + negotiateContextListSize([ALL_KINDS[1]!]));
      encodeNegotiateContexts([ALL_KINDS[1]!], m, 8);
      return m;
    })(),
    8,
    1,
  );
  assert.ok(ctx && ctx.type === NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES);
  assert.deepEqual(ctx.ciphers, [2, 1, 4, 3]);
});

test('a context whose DataLength runs past the message is malformed', () => {
  const msg = Buffer.alloc(24);
  msg.writeUInt16LE(NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, 8);
  msg.writeUInt16LE(40, 10);
  assert.throws(() => decodeNegotiateContexts(msg, 8, 1), MalformedMessageError);
});

test('a cipher count larger than the data is malformed', () => {
  const msg = Buffer.alloc(16);
  msg.writeUInt16LE(NegotiateContextType.SMB2_ENCRYPTION_CAPABILITIES, 0);
  msg.writeUInt16LE(4, 2);
  msg.writeUInt16LE(9, 8);
  assert.throws(() => decodeNegotiateContexts(msg, 0, 1), MalformedMessageError);
});

test('more contexts announced than present, or a misaligned offset, is malformed', () => {
  const one = [ALL_KINDS[1]!];
  const msg = Buffer.alloc(8 + negotiateContextListSize(one));
  encodeNegotiateContexts(one, msg, 8);
  assert.throws(() => decodeNegotiateContexts(msg, 8, 2), MalformedMessageError);
  assert.throws(() => decodeNegotiateContexts(msg, 4, 1), MalformedMessageError);
  assert.throws(() => decodeNegotiateContexts(msg, 4096, 1), MalformedMessageError);
});
