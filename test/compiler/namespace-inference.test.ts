import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setInfoCodec } from '../../src/smb2/commands/set-info.js';
import { CreateAction, CreateDisposition } from '../../src/smb2/commands/create.js';
import { Command } from '../../src/smb2/constants.js';
import { encodeDirectoryEntries, type DirectoryEntry } from '../../src/smb2/fscc/directory-entries.js';
import { encodeFileRenameInformation } from '../../src/smb2/fscc/file-rename.js';
import { emptyBody, outputBufferBody, requestBody } from './support/trace-builder.js';
import { compileTrace } from './support/compile-trace.js';
import { fid, SmbScript, Status } from './support/smb-script.js';

function entry(fileName: string, endOfFile: bigint, fileAttributes: number): DirectoryEntry {
  return {
    fileIndex: 0,
    fileName,
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    endOfFile,
    allocationSize: 0n,
    fileAttributes,
    eaSize: 0,
    shortName: '',
    fileId: 0n,
  };
}

function setInfo(s: SmbScript, fileId: ReturnType<typeof fid>, infoClass: number, buffer: Buffer): void {
  const m = s.mid();
  const body = requestBody(setInfoCodec, {
    infoType: 1,
    fileInfoClass: infoClass,
    buffer,
    additionalInformation: 0,
    fileId,
  });
  s.b.request(Command.SET_INFO, body, s.hdr(m));
  s.b.response(Command.SET_INFO, emptyBody(2), s.hdr(m));
}

describe('namespace inference', () => {
  test('files read but not created are in the namespace with their size; created ones are not', async () => {
    const s = new SmbScript().negotiate().login('LAB', 'bob').treeConnect('share', 3);
    // Opened (FILE_OPENED) and read: pre-existing, 5000 bytes.
    s.create({ name: 'in\\old.dat', fileId: fid(1), endOfFile: 5000n })
      .read(fid(1), 0, 4096)
      .read(fid(1), 4096, 4096, 904)
      .close(fid(1));
    // Created: must not pre-exist, even after being written and reopened.
    s.create({
      name: 'in\\new.dat',
      fileId: fid(2),
      disposition: CreateDisposition.FILE_CREATE,
      action: CreateAction.FILE_CREATED,
    });
    s.write(fid(2), 0, Buffer.alloc(300)).close(fid(2));
    s.create({ name: 'in\\new.dat', fileId: fid(3), endOfFile: 300n }).close(fid(3));
    // Probed and missing, then created with OPEN_IF: not pre-existing either.
    s.create({ name: 'tmp.log', status: Status.OBJECT_NAME_NOT_FOUND });
    s.create({
      name: 'tmp.log',
      fileId: fid(4),
      disposition: CreateDisposition.FILE_OPEN_IF,
      action: CreateAction.FILE_CREATED,
    }).close(fid(4));
    // A listing reveals two more entries; the file the trace created is listed too but stays out.
    s.create({ name: 'in', fileId: fid(5), createOptions: 1, attributes: 0x10 });
    const m = s.mid();
    s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(5)), s.hdr(m));
    const listing = encodeDirectoryEntries(
      [
        entry('.', 0n, 0x10),
        entry('..', 0n, 0x10),
        entry('old.dat', 5000n, 0x20),
        entry('new.dat', 300n, 0x20),
        entry('sub', 0n, 0x10),
        entry('z.txt', 77n, 0x20),
      ],
      37,
    );
    s.b.response(Command.QUERY_DIRECTORY, outputBufferBody(listing), s.hdr(m));
    s.close(fid(5));
    // Renamed away and deleted: both pre-existed; the rename target did not.
    s.create({ name: 'z.txt', fileId: fid(6), endOfFile: 10n });
    setInfo(
      s,
      fid(6),
      10,
      encodeFileRenameInformation({ replaceIfExists: false, rootDirectory: 0n, fileName: 'in\\renamed.txt' }),
    );
    s.close(fid(6));
    s.create({ name: 'in\\sub', fileId: fid(7), createOptions: 1, attributes: 0x10 });
    setInfo(s, fid(7), 13, Buffer.from([1]));
    s.close(fid(7));

    const { doc, problems, result } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    const ns = doc.namespace.map((e) => [e.path, e.kind, e.size]);
    assert.deepEqual(ns, [
      ['in', 'dir', 0],
      ['in/old.dat', 'file', 5000],
      ['in/sub', 'dir', 0],
      ['in/z.txt', 'file', 77],
      ['z.txt', 'file', 10],
    ]);
    assert.equal(result.namespace.files, 3);
    const qd = doc.ops.find((o) => o.op === 'query_directory');
    assert.equal(qd?.op === 'query_directory' && qd.entries, 6);
    const rename = doc.ops.find((o) => o.op === 'set_info' && o.info.kind === 'rename');
    assert.ok(rename && rename.op === 'set_info' && rename.info.kind === 'rename');
    assert.equal(rename.info.newPath, 'in/renamed.txt');
  });

  test('a read beyond the size from the open raises the inferred size only when not exact', async () => {
    const s = new SmbScript().negotiate().login('LAB', 'bob').treeConnect('share', 3);
    const m = s.mid();
    s.b.request(Command.CREATE, s.createBody({ name: 'x.bin' }), s.hdr(m));
    s.b.response(
      Command.CREATE,
      s.createResponse({ name: 'x.bin', fileId: fid(1), action: CreateAction.FILE_OVERWRITTEN }).body,
      s.hdr(m),
    );
    s.read(fid(1), 0, 10, 0).close(fid(1));
    s.create({ name: 'y.bin', fileId: fid(2), endOfFile: 100n })
      .read(fid(2), 0, 100)
      .close(fid(2));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.namespace.map((e) => [e.path, e.size]),
      [
        ['x.bin', 0],
        ['y.bin', 100],
      ],
    );
  });

  test('paths are matched case-insensitively and written with the first spelling', async () => {
    const s = new SmbScript().negotiate().login('LAB', 'bob').treeConnect('share', 3);
    s.create({ name: 'Docs\\A.txt', fileId: fid(1), endOfFile: 5n }).close(fid(1));
    s.create({ name: 'docs\\a.TXT', fileId: fid(2), endOfFile: 5n }).close(fid(2));
    const { doc, problems } = await compileTrace(s.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.namespace.map((e) => e.path),
      ['Docs', 'Docs/A.txt'],
    );
  });

  test('each user has its own namespace', async () => {
    const a = new SmbScript(0).negotiate().login('LAB', 'ann').treeConnect('share', 3);
    const b = new SmbScript(1, a.b).negotiate().login('LAB', 'bob').treeConnect('share', 3);
    a.create({
      name: 'shared.txt',
      fileId: fid(1),
      disposition: CreateDisposition.FILE_CREATE,
      action: CreateAction.FILE_CREATED,
    });
    a.write(fid(1), 0, Buffer.alloc(12)).close(fid(1));
    b.create({ name: 'shared.txt', fileId: fid(2), endOfFile: 12n })
      .read(fid(2), 0, 12)
      .close(fid(2));
    const { doc, problems } = await compileTrace(a.b);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      doc.users.map((u) => u.name),
      ['LAB\\ann', 'LAB\\bob'],
    );
    assert.deepEqual(doc.namespace, [
      { user: 'u1', path: 'shared.txt', kind: 'file', size: 12, attributes: 0x20 },
    ]);
    // Users never depend on each other.
    for (const op of doc.ops)
      for (const d of op.deps) assert.equal(doc.ops.find((o) => o.seq === d)!.user, op.user);
  });
});
