import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createMessageHeader,
  HeaderProblem,
  readMessageHeader,
} from '../../../src/compiler/extract/message-header.js';
import { Command, HeaderFlags } from '../../../src/smb2/constants.js';
import { compound, emptyBody, message } from '../support/trace-builder.js';

describe('readMessageHeader', () => {
  test('reads sync and async headers and walks a compound', () => {
    const pdu = compound([
      message(
        Command.CREATE,
        emptyBody(57),
        { messageId: 5, sessionId: 0x1234_0000_0001n, treeId: 9 },
        false,
      ),
      message(
        Command.CLOSE,
        emptyBody(24),
        { messageId: 6, asyncId: 0x77n, flags: HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS },
        true,
      ),
    ]);
    const h = createMessageHeader();
    assert.equal(readMessageHeader(pdu, 0, h), HeaderProblem.OK);
    assert.equal(h.command, Command.CREATE);
    assert.equal(h.messageIdLo, 5);
    assert.equal(h.treeId, 9);
    assert.equal(h.sessionIdLo, 1);
    assert.equal(h.sessionIdHi, 0x1234);
    assert.equal(h.end % 8, 0);
    assert.equal(readMessageHeader(pdu, h.end, h), HeaderProblem.OK);
    assert.equal(h.command, Command.CLOSE);
    assert.equal(h.asyncIdLo, 0x77);
    assert.equal(h.treeId, 0);
    assert.equal(h.end, pdu.length);
  });

  test('reports truncation, foreign protocol ids and bad NextCommand', () => {
    const h = createMessageHeader();
    const msg = message(Command.ECHO, emptyBody(4), { messageId: 1 }, false);
    assert.equal(readMessageHeader(msg.subarray(0, 40), 0, h), HeaderProblem.TRUNCATED);
    const smb1 = Buffer.from(msg);
    smb1[0] = 0xff;
    assert.equal(readMessageHeader(smb1, 0, h), HeaderProblem.NOT_SMB2);
    const bad = Buffer.from(msg);
    bad.writeUInt32LE(10_000, 20);
    assert.equal(readMessageHeader(bad, 0, h), HeaderProblem.BAD_NEXT_COMMAND);
  });
});
