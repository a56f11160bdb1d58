import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compileFiles } from './support/compile-trace.js';
import { hasTshark, tsharkRequestCounts } from './support/tshark.js';
import { BASIC_PCAP } from '../support/shared-pcaps.js';

/** Samba smbclient against Samba 4.17 on port 4450 (see ../shared/pcaps/SOURCES.md). */
const PCAP = BASIC_PCAP;
const PORT = 4450;

describe('the public smbclient capture', { skip: !existsSync(PCAP) && 'capture not present' }, () => {
  test('compiles to a valid workload with the expected ops', async () => {
    const { result, doc, problems } = await compileFiles([PCAP], { serverPorts: [PORT] });
    assert.deepEqual(problems, []);
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0]!.name, 'WORKGROUP\\benchuser');
    assert.equal(result.stats.unmatchedResponses, 0);
    assert.equal(result.stats.skipped.noResponse, 0);
    const byKind = result.stats.opsByKind;
    assert.equal(byKind.create, 12);
    assert.equal(byKind.close, 12);
    assert.equal(byKind.write, 1);
    assert.equal(byKind.read, 1);
    // mkdir, put, rename, get, delete, rmdir: everything the trace uses it creates itself.
    assert.deepEqual(doc.namespace, []);
    const rename = doc.ops.find((o) => o.op === 'set_info' && o.info.kind === 'rename');
    assert.ok(
      rename?.op === 'set_info' && rename.info.kind === 'rename' && rename.info.newPath === 'docs/final.bin',
    );
    assert.equal(result.stats.bytesWritten, 300 * 1024);
    assert.equal(result.stats.bytesRead, 300 * 1024);
  });

  test(
    'per-command request counts agree with tshark',
    { skip: !hasTshark && 'tshark not installed' },
    async () => {
      const { result } = await compileFiles([PCAP], { serverPorts: [PORT] });
      assert.deepEqual(result.stats.requestsByCommand, tsharkRequestCounts(PCAP, PORT));
    },
  );

  test('anonymisation keeps depth and extensions and is stable for a salt', async () => {
    const a = await compileFiles([PCAP], { serverPorts: [PORT], anonymize: { salt: 's1' } });
    const b = await compileFiles([PCAP], { serverPorts: [PORT], anonymize: { salt: 's1' } });
    assert.deepEqual(a.problems, []);
    assert.equal(a.doc.header.anonymized, true);
    assert.equal(a.result.sha256 === b.result.sha256, false, 'createdAt differs, so hashes differ');
    const paths = (d: typeof a.doc) => d.ops.flatMap((o) => (o.op === 'create' ? [o.path] : []));
    assert.deepEqual(paths(a.doc), paths(b.doc));
    for (const p of paths(a.doc)) {
      assert.ok(!p.includes('docs') && !p.includes('report') && !p.includes('final'), p);
    }
    const file = paths(a.doc).find((p) => p.endsWith('.bin'));
    assert.match(file ?? '', /^n[0-9a-f]{16}\/n[0-9a-f]{16}\.bin$/);
    assert.match(a.doc.users[0]!.name, /^ANON\\user0$/);
  });
});
