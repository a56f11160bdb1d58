import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createContextChainSize,
  decodeCreateContextChain,
  encodeCreateContextChain,
  type RawCreateContext,
} from '../../../src/smb2/create-contexts/chain.js';
import { createContextTag } from '../../../src/smb2/create-contexts/names.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import { CREATE_REQUEST_WITH_CONTEXTS } from '../fixtures/tshark-verified.js';

const CHAIN: RawCreateContext[] = [
  { name: Buffer.from('MxAc'), data: Buffer.alloc(0) },
  { name: Buffer.from('45bca66aefa7f74a9008fa462e144d74', 'hex'), data: Buffer.alloc(20, 1) },
  { name: Buffer.from('AlSi'), data: Buffer.alloc(8, 2) },
];

test('raw chain round-trips; Next and DataOffset are multiples of 8', () => {
  const size = createContextChainSize(CHAIN);
  const buf = Buffer.alloc(8 + size);
  assert.equal(encodeCreateContextChain(CHAIN, buf, 8), 8 + size);
  assert.deepEqual(decodeCreateContextChain(buf, 8, size), CHAIN);
  let off = 8;
  for (;;) {
    const next = buf.readUInt32LE(off);
    assert.equal(next % 8, 0);
    assert.equal(buf.readUInt16LE(off + 10) % 8, 0);
    if (next === 0) break;
    off += next;
  }
  assert.deepEqual(
    CHAIN.map((c) => createContextTag(c.name)),
    ['MxAc', '45bca66aefa7f74a9008fa462e144d74', 'AlSi'],
  );
});

test('the tshark-verified CREATE carries the chain in the expected order', () => {
  const msg = CREATE_REQUEST_WITH_CONTEXTS;
  const chain = decodeCreateContextChain(msg, msg.readUInt32LE(64 + 48), msg.readUInt32LE(64 + 52));
  assert.deepEqual(
    chain.map((c) => createContextTag(c.name)),
    ['RqLs', 'DH2Q', 'MxAc', 'QFid', 'AlSi'],
  );
  assert.deepEqual(
    chain.map((c) => c.data.length),
    [52, 32, 0, 0, 8],
  );
});

test('a Next pointing outside the chain is malformed', () => {
  const size = createContextChainSize(CHAIN);
  const buf = Buffer.alloc(size);
  encodeCreateContextChain(CHAIN, buf, 0);
  buf.writeUInt32LE(size + 8, 0);
  assert.throws(() => decodeCreateContextChain(buf, 0, size), MalformedMessageError);
  buf.writeUInt32LE(8, 0); // smaller than a context header
  assert.throws(() => decodeCreateContextChain(buf, 0, size), MalformedMessageError);
});

test('Name or Data outside its own context is malformed', () => {
  const size = createContextChainSize(CHAIN);
  const fresh = () => {
    const b = Buffer.alloc(size);
    encodeCreateContextChain(CHAIN, b, 0);
    return b;
  };
  const first = fresh();
  first.writeUInt16LE(40, 6); // NameLength runs into the next context
  assert.throws(() => decodeCreateContextChain(first, 0, size), MalformedMessageError);
  const data = fresh();
  const second = data.readUInt32LE(0);
  data.writeUInt32LE(400, second + 12); // DataLength
  assert.throws(() => decodeCreateContextChain(data, 0, size), MalformedMessageError);
  const nameInHeader = fresh();
  nameInHeader.writeUInt16LE(4, 4);
  assert.throws(() => decodeCreateContextChain(nameInHeader, 0, size), MalformedMessageError);
});

test('a chain longer than the message, or truncated mid-header, is malformed', () => {
  assert.throws(() => decodeCreateContextChain(Buffer.alloc(32), 8, 64), MalformedMessageError);
  assert.throws(() => decodeCreateContextChain(Buffer.alloc(32), 24, 8), MalformedMessageError);
});
