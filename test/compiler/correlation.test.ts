import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { changeNotifyCodec } from '../../src/smb2/commands/change-notify.js';
import { closeCodec } from '../../src/smb2/commands/close.js';
import { CreateDisposition } from '../../src/smb2/commands/create.js';
import { queryInfoCodec } from '../../src/smb2/commands/query-info.js';
import { Command, HeaderFlags, RELATED_FILE_ID } from '../../src/smb2/constants.js';
import { emptyBody, errorBody, message, outputBufferBody, requestBody } from './support/trace-builder.js';
import { compound } from './support/trace-builder.js';
import { compileFiles, compileTrace } from './support/compile-trace.js';
import { fid, SmbScript, Status } from './support/smb-script.js';
import { transformFrame } from '../capture/capture-builder.js';

function loggedIn(): SmbScript {
  return new SmbScript().negotiate().login('CONTOSO', 'alice').treeConnect('data', 7);
}

describe('compiler correlation', () => {
  test('matches requests to responses and names the user from NTLM', async () => {
    const s = loggedIn();
    s.create({ name: 'a.txt', fileId: fid(1), endOfFile: 100n })
      .read(fid(1), 0, 100)
      .close(fid(1));
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0]!.name, 'CONTOSO\\alice');
    assert.equal(doc.users[0]!.dialect, 0x0311);
    assert.equal(doc.users[0]!.sessions, 1);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'read', 'close'],
    );
    assert.equal(result.stats.requestsByCommand['CREATE'], 1);
    assert.equal(result.stats.requestsByCommand['SESSION_SETUP'], 2);
    assert.equal(result.stats.unmatchedResponses, 0);
    const [create, read, close] = doc.ops;
    assert.equal(create!.op === 'create' && create.handle, 'h0');
    assert.equal(read!.op === 'read' && read.handle, 'h0');
    assert.deepEqual(read!.deps, [create!.seq]);
    assert.deepEqual(close!.deps, [read!.seq]);
    assert.ok(read!.latencyUs !== undefined && read!.latencyUs > 0);
  });

  test('an async request keeps its place and gets its final status', async () => {
    const s = loggedIn();
    s.create({ name: 'd', fileId: fid(1), createOptions: 1, attributes: 0x10 });
    const m = s.mid();
    const body = requestBody(changeNotifyCodec, {
      flags: 1,
      outputBufferLength: 4096,
      fileId: fid(1),
      completionFilter: 0x17,
    });
    s.b.request(Command.CHANGE_NOTIFY, body, s.hdr(m));
    s.b.response(Command.CHANGE_NOTIFY, errorBody(), s.hdr(m, { status: Status.PENDING, asyncId: 77n }));
    s.read(fid(1), 0, 10);
    // CANCEL names the async request by AsyncId (MS-SMB2 3.2.4.24).
    s.b.request(Command.CANCEL, emptyBody(4), { messageId: 0, sessionId: s.sessionId, asyncId: 77n });
    s.b.response(Command.CHANGE_NOTIFY, errorBody(), s.hdr(m, { status: Status.CANCELLED, asyncId: 77n }));
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'change_notify', 'read', 'cancel'],
    );
    const notify = doc.ops[1]!;
    assert.equal(notify.status, Status.CANCELLED);
    const cancel = doc.ops[3]!;
    assert.equal(cancel.op === 'cancel' && cancel.target, notify.seq);
    assert.equal(result.stats.interimResponses, 1);
    assert.equal(result.stats.asyncCompletions, 1);
  });

  test('a related compound becomes one chain that names the handle it creates', async () => {
    const s = loggedIn();
    const [m1, m2, m3] = [s.mid(), s.mid(), s.mid()];
    const related = { flags: HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS };
    const qi = requestBody(queryInfoCodec, {
      infoType: 1,
      fileInfoClass: 5,
      outputBufferLength: 1024,
      inputBuffer: Buffer.alloc(0),
      additionalInformation: 0,
      flags: 0,
      fileId: RELATED_FILE_ID,
    });
    s.b.send(
      true,
      compound([
        message(Command.CREATE, s.createBody({ name: 'docs\\x.bin' }), s.hdr(m1), false),
        message(Command.QUERY_INFO, qi, s.hdr(m2, related), false),
        message(
          Command.CLOSE,
          requestBody(closeCodec, { flags: 0, fileId: RELATED_FILE_ID }),
          s.hdr(m3, related),
          false,
        ),
      ]),
    );
    const standard = Buffer.alloc(24);
    standard.writeBigUInt64LE(4096n, 8);
    s.b.send(
      false,
      compound([
        message(
          Command.CREATE,
          s.createResponse({ name: 'docs\\x.bin', fileId: fid(5), endOfFile: 4096n }).body,
          s.hdr(m1),
          true,
        ),
        message(Command.QUERY_INFO, outputBufferBody(standard), s.hdr(m2), true),
        message(Command.CLOSE, emptyBody(60), s.hdr(m3), true),
      ]),
    );
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.equal(result.stats.compoundChains, 1);
    assert.equal(doc.ops.length, 3);
    const id = doc.ops[0]!.seq;
    doc.ops.forEach((op, index) => {
      assert.deepEqual(op.compound, { id, index, size: 3, related: index > 0 });
      assert.equal(op.t, doc.ops[0]!.t);
      assert.equal('handle' in op ? op.handle : undefined, 'h0');
    });
    assert.deepEqual(doc.namespace, [
      { user: 'u0', path: 'docs', kind: 'dir', size: 0 },
      { user: 'u0', path: 'docs/x.bin', kind: 'file', size: 4096, attributes: 0x20 },
    ]);
  });

  test('a failed create inside a chain keeps a handle for the rest of the chain only', async () => {
    const s = loggedIn();
    const [m1, m2] = [s.mid(), s.mid()];
    const related = { flags: HeaderFlags.SMB2_FLAGS_RELATED_OPERATIONS };
    s.b.send(
      true,
      compound([
        message(Command.CREATE, s.createBody({ name: 'missing.txt' }), s.hdr(m1), false),
        message(
          Command.CLOSE,
          requestBody(closeCodec, { flags: 0, fileId: RELATED_FILE_ID }),
          s.hdr(m2, related),
          false,
        ),
      ]),
    );
    s.b.send(
      false,
      compound([
        message(Command.CREATE, errorBody(), s.hdr(m1, { status: Status.OBJECT_NAME_NOT_FOUND }), true),
        message(Command.CLOSE, errorBody(), s.hdr(m2, { status: 0xc0000128 }), true),
      ]),
    );
    s.create({
      name: 'missing.txt',
      fileId: fid(2),
      disposition: CreateDisposition.FILE_CREATE,
      action: 2,
    }).close(fid(2));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, 'handle' in o ? o.handle : undefined]),
      [
        ['create', 'h0'],
        ['close', 'h0'],
        ['create', 'h1'],
        ['close', 'h1'],
      ],
    );
    assert.deepEqual(doc.namespace, []);
  });

  test('IPC$, encrypted, unknown handles and unanswered requests are counted, not emitted', async () => {
    const s = loggedIn();
    s.treeConnect('IPC$', 9, 2);
    s.create({ name: 'srvsvc', fileId: fid(9) });
    s.treeId = 7;
    s.read(fid(42), 0, 10); // opened before the capture
    s.b.send(true, transformFrame(100));
    const m = s.mid();
    s.b.request(Command.CREATE, s.createBody({ name: 'late.txt' }), s.hdr(m)); // never answered
    const { result, doc, problems } = await compileTrace(s.b, { synthesize: false });
    assert.deepEqual(problems, []);
    assert.equal(doc.ops.length, 0);
    assert.equal(result.stats.skipped.ipc, 1);
    assert.equal(result.stats.ipcByCommand['CREATE'], 1);
    assert.equal(result.stats.skipped.unknownHandle, 1);
    assert.equal(result.stats.skipped.noResponse, 1);
    assert.equal(result.stats.encryptedPdus, 1);
    assert.ok(result.warnings.some((w) => w.kind === 'encrypted'));
  });

  test('a long-pending op is forced out once the window is full', async () => {
    const s = loggedIn();
    s.create({ name: 'd', fileId: fid(1), createOptions: 1, attributes: 0x10 });
    const m = s.mid();
    const body = requestBody(changeNotifyCodec, {
      flags: 0,
      outputBufferLength: 4096,
      fileId: fid(1),
      completionFilter: 1,
    });
    s.b.request(Command.CHANGE_NOTIFY, body, s.hdr(m));
    s.b.response(Command.CHANGE_NOTIFY, errorBody(), s.hdr(m, { status: Status.PENDING, asyncId: 5n }));
    for (let i = 0; i < 5; i++) s.read(fid(1), i * 10, 10);
    const { result, doc, problems } = await compileTrace(s.b, { maxBufferedOps: 3 });
    assert.deepEqual(problems, []);
    assert.equal(doc.ops[1]!.op, 'change_notify');
    assert.equal(doc.ops[1]!.status, Status.PENDING);
    assert.equal(result.stats.forcedEmits, 1);
    assert.equal(doc.ops.length, 7);
  });
});

describe('compiler options and inputs', () => {
  test('--keep-data keeps write payloads as base64; the checked writer gives the same ops', async () => {
    const s = loggedIn();
    s.create({ name: 'w.bin', fileId: fid(1), disposition: CreateDisposition.FILE_CREATE, action: 2 });
    s.write(fid(1), 0, Buffer.from('hello world')).close(fid(1));
    const fast = await compileTrace(s.b, { keepData: true });
    const checked = await compileTrace(s.b, { keepData: true, checks: 'full' });
    assert.deepEqual(fast.problems, []);
    assert.equal(fast.doc.header.payloads, 'data');
    const write = fast.doc.ops.find((o) => o.op === 'write');
    assert.equal(write?.op === 'write' && Buffer.from(write.data ?? '', 'base64').toString(), 'hello world');
    assert.deepEqual(checked.doc.ops, fast.doc.ops);
    assert.deepEqual(checked.doc.namespace, fast.doc.namespace);
  });

  test('captures split across files (rotated) compile like one trace', async () => {
    const s = loggedIn();
    for (let i = 0; i < 5; i++)
      s.create({ name: `f${i}`, fileId: fid(i), endOfFile: 3n })
        .read(fid(i), 0, 3)
        .close(fid(i));
    const whole = s.b.pcap();
    // Split after the global header plus about half of the records.
    const cut = recordBoundaryNear(whole, Math.floor(whole.length / 2));
    const first = whole.subarray(0, cut);
    const second = Buffer.concat([whole.subarray(0, 24), whole.subarray(cut)]);
    const dir = mkdtempSync(join(tmpdir(), 'smbench-split-'));
    try {
      writeFileSync(join(dir, 'a.pcap'), first);
      writeFileSync(join(dir, 'b.pcap'), second);
      writeFileSync(join(dir, 'all.pcap'), whole);
      const split = await compileFiles([join(dir, 'a.pcap'), join(dir, 'b.pcap')]);
      const single = await compileFiles([join(dir, 'all.pcap')]);
      assert.deepEqual(split.problems, []);
      assert.deepEqual(split.doc.ops, single.doc.ops);
      assert.deepEqual(
        split.doc.header.sources.map((x) => x.file),
        ['a.pcap', 'b.pcap'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The offset of the first pcap record boundary at or after `near`. */
function recordBoundaryNear(pcap: Buffer, near: number): number {
  let at = 24;
  while (at < near) at += 16 + pcap.readUInt32LE(at + 8);
  return at;
}
