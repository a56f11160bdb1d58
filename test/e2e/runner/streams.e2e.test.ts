/**
 * Issue #10 items 2 and 4 against the real lab: alternate data streams (MS-FSCC 2.1.5) prepared
 * with their sizes and replayed; a target without streams named once, with the refused ops
 * counted; ops on handles whose CREATE failed replayed so the target sees what the original
 * server saw (STATUS_FILE_CLOSED), and the spec-sanctioned difference of related compound ops
 * after a failed CREATE counted as equivalent (MS-SMB2 3.3.5.2.7.2).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { compileCaptures } from '../../../src/compiler/index.js';
import { readIrFully } from '../../../src/ir/ir-reader.js';
import { isStreamPath } from '../../../src/ir/ir-stream-path.js';
import { IrWriter } from '../../../src/ir/ir-writer.js';
import type { IrOp } from '../../../src/ir/types.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { FidelityNote } from '../../../src/observe/fidelity-notes.js';
import type { Credential } from '../../../src/runner/credentials.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { streamsRefusedLine } from '../../../src/runner/stream-refusal.js';
import { NtStatus } from '../../../src/smb2/nt-status.js';
import { sharedPcap } from '../../support/shared-pcaps.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

const FILE_OPEN = 1;
const READ = 0x00120089;
const SHARE_ALL = 7;
const NOT_FOUND = NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
const FILE_CLOSED = NtStatus.STATUS_FILE_CLOSED;
const DELETE_PCAP = sharedPcap('suricata-verify--smb2-delete.pcap');

type Op = Omit<IrOp, 'seq' | 'user' | 't' | 'deps'>;

function create(path: string, handle: string | undefined, status = 0): Op {
  return {
    op: 'create',
    path,
    ...(handle === undefined ? {} : { handle }),
    desiredAccess: READ,
    fileAttributes: 0,
    shareAccess: SHARE_ALL,
    createDisposition: FILE_OPEN,
    createOptions: 0,
    oplockLevel: 0,
    status,
  } as Op;
}

const queryStandard = (handle: string, status: number, extra: object = {}): Op =>
  ({ op: 'query_info', handle, infoType: 1, infoClass: 5, outputBufferLength: 24, status, ...extra }) as Op;

/**
 * A macOS-like user: a file with two streams before the trace, opened and read; a related
 * CREATE+QUERY_INFO+CLOSE whose CREATE fails; a QUERY_INFO sent on a never-opened handle.
 */
async function writeStreamsWorkload(path: string): Promise<void> {
  const w = await IrWriter.create(path, {
    format: 'smbench-ir',
    version: 1,
    generator: 'smbench streams e2e',
    createdAt: new Date(0).toISOString(),
    sources: [],
    payloads: 'sizes',
    anonymized: true,
  });
  await w.writeUser({ id: 'u0', name: 'LAB\\mac', dialect: 0x0302, sessions: 1 });
  await w.writeNamespaceEntry({
    user: 'u0',
    path: 'doc.txt',
    kind: 'file',
    size: 11,
    streams: [
      { name: 'AFP_AfpInfo', size: 60 },
      { name: 'com.apple.TextEncoding', size: 15 },
    ],
  });
  const ops: Op[] = [
    create('doc.txt:com.apple.TextEncoding', 'h0'),
    { op: 'read', handle: 'h0', offset: 0, length: 15, status: 0 } as Op,
    { op: 'close', handle: 'h0', flags: 0, status: 0 } as Op,
    create('doc.txt:AFP_AfpInfo', 'h1'),
    { op: 'read', handle: 'h1', offset: 0, length: 60, status: 0 } as Op,
    { op: 'close', handle: 'h1', flags: 0, status: 0 } as Op,
    // Related compound after a failed CREATE: the recorded server said FILE_CLOSED.
    { ...create('gone.txt', 'h2', NOT_FOUND), compound: { id: 6, index: 0, size: 3, related: false } } as Op,
    queryStandard('h2', FILE_CLOSED, { compound: { id: 6, index: 1, size: 3, related: true } }),
    {
      op: 'close',
      handle: 'h2',
      flags: 0,
      status: FILE_CLOSED,
      compound: { id: 6, index: 2, size: 3, related: true },
    } as Op,
    queryStandard('h3', FILE_CLOSED, { neverOpened: true }),
  ];
  let seq = 0;
  for (const op of ops) {
    // A compound chain is sent at once: its ops share one time.
    const t = ((op as IrOp).compound?.id ?? seq) * 1000;
    await w.writeOp({ ...op, seq: seq++, user: 'u0', t, deps: [] } as IrOp);
  }
  await w.close();
}

describe('alternate data streams and failed-create handles against Samba', { skip: labSkipReason() }, () => {
  let streamsLab: SambaLab;
  let plainLab: SambaLab;
  let dir: string;
  let workload: string;
  const credentialsOf = (lab: SambaLab): Credential[] => [
    { user: lab.users[0]!.user, password: lab.users[0]!.password, domain: '' },
  ];
  const targetOf = (lab: SambaLab) => ({ host: lab.host, port: lab.port, share: lab.shares[0]!.name });

  before(async () => {
    streamsLab = await startSambaLab({});
    plainLab = await startSambaLab({ shares: [{ name: 'plain', streams: false }] });
    dir = await mkdtemp(join(tmpdir(), 'smbench-streams-e2e-'));
    workload = join(dir, 'streams.smbw');
    await writeStreamsWorkload(workload);
  });
  after(async () => {
    await streamsLab?.stop();
    await plainLab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('prepare creates streams with their sizes; stream ops, never-opened handles and equivalences match', async () => {
    const outcome = await runWorkload({
      workload,
      target: targetOf(streamsLab),
      credentials: credentialsOf(streamsLab),
      users: 1,
      runRoot: 'streams',
      prepare: true,
      progress: false,
    });
    assert.deepEqual(outcome.prepare?.streams, { created: 2, resized: 0, unchanged: 0, refused: 0 });
    const { fidelity } = outcome.results;
    assert.equal(fidelity.mismatched, 0, JSON.stringify(outcome.results.perKind, null, 1));
    assert.equal(fidelity.equivalent, 2);
    assert.deepEqual(fidelity.equivalences, { [FidelityNote.relatedAfterFailedCreate]: 2 });
    assert.equal(fidelity.matchRatio, 1);
    assert.equal(outcome.results.perKind['query_info']!.statuses['STATUS_FILE_CLOSED'], 1);

    const client = await SmbClient.connect({ host: streamsLab.host, port: streamsLab.port });
    try {
      const user = streamsLab.users[0]!;
      const tree = await (
        await client.login({ user: user.user, password: user.password })
      ).connectTree('bench');
      for (const [name, size] of [
        ['com.apple.TextEncoding', 15n],
        ['AFP_AfpInfo', 60n],
      ] as const) {
        const f = await tree.open(`streams/u0/doc.txt:${name}`, { access: 'read', kind: 'file' });
        assert.equal(f.size, size, name);
        await f.close();
      }
    } finally {
      client.close();
    }
  });

  test('a share without streams: prepare and run go on, the refusal is counted and named once', async () => {
    const outcome = await runWorkload({
      workload,
      target: targetOf(plainLab),
      credentials: credentialsOf(plainLab),
      users: 1,
      runRoot: 'nostreams',
      prepare: true,
      cleanup: true,
      progress: false,
    });
    assert.equal(outcome.prepare?.streams.refused, 2);
    const { fidelity } = outcome.results;
    // The two stream creates; their reads and closes are skipped (handle unavailable).
    assert.deepEqual(fidelity.explained, { [FidelityNote.streamsRefused]: 2 });
    assert.equal(
      streamsRefusedLine(outcome.results, outcome.prepare?.streams.refused),
      'target share does not support alternate data streams: 2 ops on streams will not match ' +
        '(2 streams of the initial namespace not created)',
    );
  });

  test(
    'smb2-delete (a macOS client): share-root AFP_AfpInfo opens answer as recorded',
    { skip: !existsSync(DELETE_PCAP) && 'shared capture missing' },
    async () => {
      const output = join(dir, 'delete.smbw');
      await compileCaptures([DELETE_PCAP], { output });
      const doc = await readIrFully(output);
      const streamOps = doc.ops.filter((o) => o.op === 'create' && isStreamPath(o.path));
      assert.ok(streamOps.length >= 2, 'the capture opens streams');
      const outcome = await runWorkload({
        workload: output,
        target: targetOf(streamsLab),
        credentials: credentialsOf(streamsLab),
        users: 1,
        runRoot: 'delete',
        prepare: true,
        cleanup: true,
        progress: false,
      });
      const { results } = outcome;
      assert.equal(results.fidelity.explained, undefined);
      const mismatches = Object.keys(results.perKind['create']!.fidelity.mismatches);
      assert.deepEqual(mismatches, [], 'every create, stream ones included, answers as recorded');
      assert.ok(results.fidelity.matchRatio >= 0.98, JSON.stringify(results.perKind, null, 1));
    },
  );
});
