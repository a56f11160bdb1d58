/**
 * Issue #10 item 1 end to end: captures that begin mid-session compile to ops on synthesised users,
 * trees and pre-opened handles, and those replay against real Samba with every op executed and
 * every recorded status matched (prepare makes the pre-opened files, sized from the reads).
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileCaptures } from '../../../src/compiler/index.js';
import { readIrFully } from '../../../src/ir/ir-reader.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import type { Credential } from '../../../src/runner/credentials.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { encodeDirectoryEntries, type DirectoryEntry } from '../../../src/smb2/fscc/directory-entries.js';
import { Command } from '../../../src/smb2/constants.js';
import { fid, SmbScript, Status } from '../../compiler/support/smb-script.js';
import { errorBody, outputBufferBody, TraceBuilder } from '../../compiler/support/trace-builder.js';
import { writePcapWithoutFirst } from '../../compiler/support/cut-pcap.js';
import { BASIC_PCAP, sharedPcap } from '../../support/shared-pcaps.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

const ASYNC_PCAP = sharedPcap('suricata-verify--smb2-async.pcap');

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

/** A listing of a directory opened before the capture: its entries, then STATUS_NO_MORE_FILES. */
function listPreopened(s: SmbScript): void {
  const listing = encodeDirectoryEntries(
    [entry('.', 0n, 0x10), entry('..', 0n, 0x10), entry('a.txt', 500n, 0x20)],
    37,
  );
  const m1 = s.mid();
  s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(3)), s.hdr(m1), s.conn);
  s.b.response(Command.QUERY_DIRECTORY, outputBufferBody(listing), s.hdr(m1), s.conn);
  const m2 = s.mid();
  s.b.request(Command.QUERY_DIRECTORY, s.queryDirectoryBody(fid(3)), s.hdr(m2), s.conn);
  s.b.response(Command.QUERY_DIRECTORY, errorBody(), s.hdr(m2, { status: Status.NO_MORE_FILES }), s.conn);
  s.close(fid(3));
}

/** Two clients, each already logged on and connected when the capture started, on their own files. */
function midSessionTrace(): TraceBuilder {
  const b = new TraceBuilder();
  for (const conn of [0, 1]) {
    const s = new SmbScript(conn, b);
    s.sessionId = 0x70n + BigInt(conn);
    s.treeId = 5 + conn;
    // Each message fits one IPv4 packet of the built capture.
    s.read(fid(1), 0, 40_000);
    s.read(fid(1), 40_000, 40_000, 30_000); // the file ends at 70 000
    s.write(fid(2), 0, Buffer.alloc(4096, 0x61));
    s.write(fid(2), 4096, Buffer.alloc(4096, 0x62));
    s.close(fid(1));
    s.close(fid(2));
    listPreopened(s);
  }
  return b;
}

describe('replaying captures that begin mid-session', { skip: labSkipReason() }, () => {
  let lab: SambaLab;
  let work: string;
  let credentials: Credential[];
  const target = () => ({ host: lab.host, port: lab.port, share: lab.shares[0]!.name });

  before(async () => {
    lab = await startSambaLab({});
    work = await mkdtemp(join(tmpdir(), 'smbench-midsession-'));
    const u = lab.users[0]!;
    credentials = [{ user: u.user, password: u.password, domain: '' }];
  });

  after(async () => {
    await lab?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function compileAndRun(pcap: string, runRoot: string, serverPorts: number[] = []) {
    const workload = join(work, `${runRoot}.smbw`);
    const compiled = await compileCaptures([pcap], { output: workload, checks: 'full', serverPorts });
    const doc = await readIrFully(workload);
    const outcome = await runWorkload({
      workload,
      target: target(),
      credentials,
      runRoot,
      pacing: { mode: 'max' },
      prepare: true,
      cleanup: true,
      progress: false,
    });
    return { compiled, doc, results: outcome.results };
  }

  test('pre-opened FileIds of two unknown sessions replay with every status matched', async () => {
    const pcap = join(work, 'mid-session.pcap');
    writeFileSync(pcap, midSessionTrace().pcap());
    const { compiled, doc, results } = await compileAndRun(pcap, 'mid');
    assert.deepEqual(compiled.stats.synthesized, { users: 2, trees: 2, handles: 6 });
    assert.equal(doc.users.length, 2);
    assert.ok(doc.users.every((u) => u.synthetic === true));
    // Per user: 3 synthesised creates, 2 reads, 2 writes, 2 listings, 3 closes.
    assert.equal(doc.ops.length, 24);
    assert.ok(doc.namespace.some((e) => e.kind === 'file' && e.size === 70_000));
    assert.ok(doc.namespace.some((e) => e.kind === 'dir' && e.path.endsWith('fid-3-3eb')));
    assert.ok(doc.namespace.some((e) => e.kind === 'file' && e.path.endsWith('fid-3-3eb/a.txt')));
    assert.equal(results.totals.ops, doc.ops.length, JSON.stringify(results.perKind));
    assert.equal(results.totals.errors, 0);
    assert.equal(results.fidelity.matchRatio, 1, JSON.stringify(results.perKind));
    // The files' bytes, and the listings' (counted as read too).
    assert.ok(results.totals.bytesRead > 2 * 70_000, String(results.totals.bytesRead));
    assert.equal(results.totals.bytesWritten, 2 * 8192);
  });

  test(
    'the smbclient capture cut at several points replays with every status matched',
    { skip: !existsSync(BASIC_PCAP) && 'capture not present' },
    async () => {
      // After the IPC$ connect, in the PUT, after a rename, inside listings, near the end.
      for (const skip of [12, 40, 48, 60, 87, 105]) {
        const cut = join(work, `cut-${skip}.pcap`);
        writePcapWithoutFirst(BASIC_PCAP, skip, cut);
        const { compiled, doc, results } = await compileAndRun(cut, `cut${skip}`, [4450]);
        assert.equal(compiled.stats.synthesized.users, 1, `cut ${skip}`);
        assert.equal(results.totals.ops, doc.ops.length, `cut ${skip}`);
        assert.equal(results.totals.errors, 0, `cut ${skip}`);
        assert.equal(results.fidelity.matchRatio, 1, `cut ${skip}: ${JSON.stringify(results.perKind)}`);
      }
    },
  );

  test(
    'suricata smb2-async (a session and tree set up before the capture) replays fully',
    { skip: !existsSync(ASYNC_PCAP) && 'capture not present' },
    async () => {
      const { compiled, doc, results } = await compileAndRun(ASYNC_PCAP, 'async');
      assert.deepEqual(compiled.stats.synthesized, { users: 1, trees: 1, handles: 0 });
      assert.equal(doc.ops.length, 4);
      assert.equal(results.totals.ops, 4);
      assert.equal(results.totals.errors, 0);
      assert.equal(results.fidelity.matchRatio, 1, JSON.stringify(results.perKind));
    },
  );
});
