import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIRROR_WINDOW_MICROS, MirrorFilter } from '../../../src/compiler/correlate/mirror-filter.js';
import { createMessageHeader } from '../../../src/compiler/extract/message-header.js';
import { compileTrace } from '../support/compile-trace.js';
import { fid, SmbScript } from '../support/smb-script.js';
import { TraceBuilder } from '../support/trace-builder.js';

const SESSION = 0x5000n;

describe('requests a relay repeats on a second connection', () => {
  test('are dropped with their responses and counted as mirrored, not doubled or skipped', async () => {
    const b = new TraceBuilder();
    const sides = [new SmbScript(0, b), new SmbScript(1, b)];
    const both = (step: (s: SmbScript) => void) => sides.forEach(step);
    both((s) => s.negotiate());
    both((s) => s.login('CONTOSO', 'alice', SESSION));
    both((s) => s.treeConnect('data', 7));
    both((s) => s.create({ name: 'a.txt', fileId: fid(1) }));
    both((s) => s.write(fid(1), 0, Buffer.alloc(100, 7)));
    both((s) => s.close(fid(1)));
    const { result, doc, problems } = await compileTrace(b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'write', 'close'],
    );
    const stats = result.stats;
    // Second SESSION_SETUP, TREE_CONNECT, CREATE, WRITE, CLOSE; NEGOTIATE and the first
    // SESSION_SETUP carry SessionId 0 and are never taken for mirrors.
    assert.equal(stats.mirroredRequests, 5);
    assert.equal(stats.mirroredResponses, 5);
    assert.equal(stats.skipped.unknownHandle, 0);
    assert.equal(stats.unmatchedResponses, 0);
    assert.equal(doc.users.length, 1);
  });

  test('multichannel requests with the same MessageId but different bodies are all kept', async () => {
    const b = new TraceBuilder();
    const first = new SmbScript(0, b).negotiate().login('CONTOSO', 'alice', SESSION).treeConnect('data', 7);
    const second = new SmbScript(1, b).negotiate().login('CONTOSO', 'alice', SESSION);
    // A channel shares the session's trees (MS-SMB2 3.2.5.3.3) but counts MessageIds on its own.
    second.treeId = 7;
    second.mid();
    first.create({ name: 'a.txt', fileId: fid(1) });
    second.create({ name: 'b.txt', fileId: fid(2) });
    const { doc, problems } = await compileTrace(b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.flatMap((o) => (o.op === 'create' ? [o.path] : [])),
      ['a.txt', 'b.txt'],
    );
  });
});

describe('MirrorFilter window bookkeeping', () => {
  const data = Buffer.alloc(64 + 24, 1);
  const header = (messageId: number) => ({
    ...createMessageHeader(),
    start: 0,
    end: data.length,
    command: 5,
    sessionIdLo: 9,
    messageIdLo: messageId,
  });

  test('a copy within the window on another connection is a mirror; after the window it is not', () => {
    const f = new MirrorFilter();
    assert.equal(f.isMirror(data, header(1), 0, 0), false);
    assert.equal(f.isMirror(data, header(1), 1, MIRROR_WINDOW_MICROS - 1), true);
    assert.equal(f.isMirror(data, header(2), 0, 10), false);
    assert.equal(f.isMirror(data, header(2), 1, 10 + MIRROR_WINDOW_MICROS + 1), false);
  });

  test('a repeat on the same connection refreshes the sighting, so older traffic expiring keeps it', () => {
    const f = new MirrorFilter();
    assert.equal(f.isMirror(data, header(1), 0, 0), false);
    assert.equal(f.isMirror(data, header(1), 0, MIRROR_WINDOW_MICROS), false);
    // Many other requests push the queue along; the refreshed sighting of 1 is still live.
    for (let i = 0; i < 10_000; i++) f.isMirror(data, header(100 + i), 0, MIRROR_WINDOW_MICROS + 1 + i);
    assert.equal(f.isMirror(data, header(1), 1, 2 * MIRROR_WINDOW_MICROS - 1), true);
    assert.equal(f.isMirror(data, header(1), 1, 3 * MIRROR_WINDOW_MICROS + 20_000), false);
  });
});
