/**
 * Captures that begin mid-session (issue #10): requests on sessions, trees and FileIds set up
 * before the recording compile to ops on synthesised users, trees and pre-opened handles, counted
 * in the stats and the IR header; `synthesize: false` skips them as before.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { closeCodec } from '../../src/smb2/commands/close.js';
import { queryInfoCodec } from '../../src/smb2/commands/query-info.js';
import { Command } from '../../src/smb2/constants.js';
import type { IrCreateOp } from '../../src/ir/types.js';
import { totalSkipped } from '../../src/compiler/compile-stats.js';
import { formatCompileSummary } from '../../src/compiler/compile-summary.js';
import { emptyBody, errorBody, outputBufferBody, requestBody } from './support/trace-builder.js';
import { compileFiles, compileTrace } from './support/compile-trace.js';
import { fid, SmbScript, Status } from './support/smb-script.js';
import { BASIC_PCAP, sharedPcap } from '../support/shared-pcaps.js';
import { writePcapWithoutFirst } from './support/cut-pcap.js';

const ASYNC_PCAP = sharedPcap('suricata-verify--smb2-async.pcap');

/** A client already logged on (session 0x55) and connected (tree 3) when the capture started. */
function midSession(): SmbScript {
  const s = new SmbScript();
  s.sessionId = 0x55n;
  s.treeId = 3;
  return s;
}

const FID1 = 'smbench-preopened/fid-1-3e9';
const FID2 = 'smbench-preopened/fid-2-3ea';

describe('a capture that begins mid-session', () => {
  test('unknown FileIds become pre-opened files with a synthesised CREATE each', async () => {
    const s = midSession();
    s.read(fid(1), 0, 4096);
    s.read(fid(1), 4096, 4096, 1000); // short read: the file ends at 5096
    s.write(fid(2), 0, Buffer.alloc(100, 1));
    s.close(fid(1));
    s.close(fid(2));
    s.read(fid(1), 0, 10); // after its CLOSE: a closed FileId, not one opened before the capture
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.equal(totalSkipped(result.stats), 1);
    assert.equal(result.stats.skipped.unknownHandle, 1);
    assert.deepEqual(result.stats.synthesized, { users: 1, trees: 1, handles: 2 });
    assert.deepEqual(doc.header.synthesized, { users: 1, trees: 1, handles: 2 });
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0]!.name, 'UNKNOWN\\session-0000000000000055');
    assert.equal(doc.users[0]!.synthetic, true);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, 'handle' in o ? o.handle : undefined]),
      [
        ['create', 'h0'],
        ['read', 'h0'],
        ['read', 'h0'],
        ['create', 'h1'],
        ['write', 'h1'],
        ['close', 'h0'],
        ['close', 'h1'],
      ],
    );
    const creates = doc.ops.filter((o): o is IrCreateOp => o.op === 'create');
    assert.deepEqual(
      creates.map((c) => [c.path, c.synthetic, c.createDisposition]),
      [
        [FID1, true, 1],
        [FID2, true, 1],
      ],
    );
    // Each use waits for the CREATE that opened its handle, like after a real CREATE.
    assert.deepEqual(doc.ops[1]!.deps, [0]);
    assert.deepEqual(
      doc.namespace.map((e) => [e.path, e.kind, e.size]),
      [
        ['smbench-preopened', 'dir', 0],
        [FID1, 'file', 5096],
        [FID2, 'file', 0],
      ],
    );
    assert.match(formatCompileSummary(result), /synthesized .*1 users, 1 trees, 2 pre-opened handles/);
  });

  test('a listing on an unknown FileId pre-opens a directory', async () => {
    const s = midSession();
    const m = s.mid();
    s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(4)), s.hdr(m));
    s.b.response(Command.QUERY_DIRECTORY, errorBody(), s.hdr(m, { status: Status.NO_MORE_FILES }));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'query_directory', 'query_directory'],
    );
    assert.equal((doc.ops[0] as IrCreateOp).isDirectory, true);
    assert.ok(doc.namespace.some((e) => e.path.endsWith('fid-4-3ec') && e.kind === 'dir'));
  });

  test('a listing that ends at once continues one begun before the capture: its start is synthesised', async () => {
    const s = midSession();
    const m = s.mid();
    s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(4)), s.hdr(m));
    s.b.response(Command.QUERY_DIRECTORY, errorBody(), s.hdr(m, { status: Status.NO_MORE_FILES }));
    s.close(fid(4));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => [o.op, o.status, 'synthetic' in o ? o.synthetic : undefined, o.deps]),
      [
        ['create', 0, true, []],
        ['query_directory', 0, true, [0]],
        ['query_directory', Status.NO_MORE_FILES, undefined, [0, 1]],
        ['close', 0, undefined, [2]],
      ],
    );
  });

  test('directory attributes in a QUERY_INFO answer make a pre-opened FileId a directory', async () => {
    const s = midSession();
    const m = s.mid();
    const basic = Buffer.alloc(40); // FileBasicInformation (MS-FSCC 2.4.7)
    basic.writeUInt32LE(0x10, 32); // FILE_ATTRIBUTE_DIRECTORY
    const query = requestBody(queryInfoCodec, {
      infoType: 1,
      fileInfoClass: 4,
      outputBufferLength: 40,
      inputBuffer: Buffer.alloc(0),
      additionalInformation: 0,
      flags: 0,
      fileId: fid(6),
    });
    s.b.request(Command.QUERY_INFO, query, s.hdr(m));
    s.b.response(Command.QUERY_INFO, outputBufferBody(basic), s.hdr(m));
    s.close(fid(6));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'query_info', 'close'],
    );
    assert.ok(doc.namespace.some((e) => e.path.endsWith('fid-6-3ee') && e.kind === 'dir'));
  });

  test('directory attributes in a CLOSE with POSTQUERY_ATTRIB make it a directory too', async () => {
    const s = midSession();
    const m = s.mid();
    const response = emptyBody(60); // MS-SMB2 2.2.16
    response.writeUInt32LE(0x10, 56); // FileAttributes: FILE_ATTRIBUTE_DIRECTORY
    s.b.request(Command.CLOSE, requestBody(closeCodec, { flags: 1, fileId: fid(7) }), s.hdr(m));
    s.b.response(Command.CLOSE, response, s.hdr(m));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'close'],
    );
    assert.ok(doc.namespace.some((e) => e.path.endsWith('fid-7-3ef') && e.kind === 'dir'));
  });

  test('an unknown tree whose first CREATE names a well-known pipe is IPC$', async () => {
    const s = midSession();
    s.treeId = 9;
    s.create({ name: 'srvsvc', fileId: fid(9) });
    s.read(fid(9), 0, 100);
    s.treeId = 3;
    s.create({ name: 'doc.txt', fileId: fid(1), endOfFile: 10n });
    s.close(fid(1));
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.equal(result.stats.skipped.ipc, 2);
    assert.equal(totalSkipped(result.stats), 2);
    assert.deepEqual(
      doc.ops.map((o) => o.op),
      ['create', 'close'],
    );
    // Trees of unknown shares all map to the user's root: no `tree-3/` prefix.
    assert.equal((doc.ops[0] as IrCreateOp).path, 'doc.txt');
    assert.equal(result.stats.synthesized.handles, 0);
  });

  test('a re-authentication of a synthesised session keeps its user and opens', async () => {
    const s = midSession();
    s.read(fid(1), 0, 10);
    s.login('CONTOSO', 'alice', 0x55n); // re-authentication of the session (MS-SMB2 3.3.5.5.3)
    s.read(fid(1), 10, 10);
    s.close(fid(1));
    const { result, doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.equal(totalSkipped(result.stats), 0);
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0]!.name, 'UNKNOWN\\session-0000000000000055');
    assert.deepEqual(
      doc.ops.map((o) => [o.op, o.user]),
      [
        ['create', 'u0'],
        ['read', 'u0'],
        ['read', 'u0'],
        ['close', 'u0'],
      ],
    );
  });

  test('SessionId 0 is never synthesised', async () => {
    const s = midSession();
    s.sessionId = 0n;
    s.read(fid(1), 0, 10);
    const { result, doc } = await compileTrace(s.b);
    assert.equal(doc.ops.length, 0);
    assert.equal(result.stats.skipped.unknownSession, 1);
  });

  test('synthesize: false skips them as unknown sessions and handles', async () => {
    const s = midSession();
    s.read(fid(1), 0, 10);
    const off = await compileTrace(s.b, { synthesize: false });
    assert.equal(off.doc.ops.length, 0);
    assert.equal(off.result.stats.skipped.unknownSession, 1);
    assert.equal(off.doc.header.synthesized, undefined);
  });
});

describe(
  'the suricata smb2-async capture',
  { skip: !existsSync(ASYNC_PCAP) && 'capture not present' },
  () => {
    test('compiles its CREATE/SET_INFO/QUERY_INFO/CLOSE on a session set up before the capture', async () => {
      const { result, doc, problems } = await compileFiles([ASYNC_PCAP]);
      assert.deepEqual(problems, []);
      assert.equal(totalSkipped(result.stats), 0);
      assert.deepEqual(result.stats.synthesized, { users: 1, trees: 1, handles: 0 });
      assert.deepEqual(
        doc.ops.map((o) => o.op),
        ['create', 'set_info', 'query_info', 'close'],
      );
      assert.equal(doc.users[0]!.synthetic, true);
      assert.ok(doc.namespace.some((e) => e.path.endsWith('F9768.pdf') && e.kind === 'file'));
    });

    test('compiles to nothing with synthesis off', async () => {
      const { result, doc } = await compileFiles([ASYNC_PCAP], { synthesize: false });
      assert.equal(doc.ops.length, 0);
      assert.equal(result.stats.skipped.unknownSession, 4);
    });
  },
);

describe(
  'the smbclient capture without its first 40 packets',
  { skip: !existsSync(BASIC_PCAP) && 'capture not present' },
  () => {
    test('starts in the middle of a PUT and still compiles every later request', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smbench-cut-'));
      try {
        // Packet 41 is the SET_INFO after the PUT of docs/report.bin: the logon, tree connect and
        // CREATE of that file are cut off.
        const cut = join(dir, 'cut.pcap');
        writePcapWithoutFirst(BASIC_PCAP, 40, cut);
        const { result, doc, problems } = await compileFiles([cut], { serverPorts: [4450] });
        assert.deepEqual(problems, []);
        assert.equal(totalSkipped(result.stats), 0);
        assert.deepEqual(result.stats.synthesized, { users: 1, trees: 1, handles: 1 });
        assert.equal(doc.ops.length, 32);
        assert.equal(doc.ops[0]!.op, 'create');
        assert.equal((doc.ops[0] as IrCreateOp).synthetic, true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('cut anywhere, it compiles to a valid workload with nothing skipped as unknown', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smbench-cuts-'));
      try {
        for (let skip = 0; skip <= 120; skip += 4) {
          const cut = join(dir, `cut-${skip}.pcap`);
          writePcapWithoutFirst(BASIC_PCAP, skip, cut);
          const { result, problems } = await compileFiles([cut], { serverPorts: [4450] });
          const s = result.stats;
          assert.deepEqual(problems, [], `cut ${skip}`);
          const unknown = s.skipped.unknownSession + s.skipped.unknownTree + s.skipped.unknownHandle;
          assert.equal(unknown + s.skipped.orphanHandle, 0, `cut ${skip}`);
          // Nothing is invented beyond a CREATE per pre-opened FileId, and maybe the start of its
          // listing (the whole capture has 37 ops).
          assert.ok(s.ops <= 37 + 2 * s.synthesized.handles, `cut ${skip}: ${s.ops} ops`);
        }
        // Cut after the TREE_CONNECT to IPC$: its DFS referral request still says IPC$.
        const cut = join(dir, 'cut-12.pcap');
        writePcapWithoutFirst(BASIC_PCAP, 12, cut);
        const { result } = await compileFiles([cut], { serverPorts: [4450] });
        assert.equal(result.stats.skipped.ipc, 1);
        assert.equal(result.stats.opsByKind.ioctl, 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
