import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  listDirectory,
  makeDirectory,
  queryStandardInfo,
  removePath,
  renameOpen,
  setDeletePending,
  setEndOfFile,
} from '../../../src/client/file-info.js';
import { SmbClient } from '../../../src/client/smb-client.js';
import { SmbStatusError } from '../../../src/client/errors.js';
import type { Tree } from '../../../src/client/tree.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { CreateDisposition, OplockLevel } from '../../../src/smb2/commands/create.js';
import { LockFlags } from '../../../src/smb2/commands/lock.js';
import { LeaseState } from '../../../src/smb2/create-contexts/lease.js';
import { openRequest } from '../../../src/client/open-request.js';
import {
  decodeCopyChunkResponse,
  decodeResumeKeyResponse,
  encodeCopyChunkRequest,
  Fsctl,
} from '../../../src/smb2/fsctl.js';
import { FsInformationClass, InfoType } from '../../../src/smb2/fscc/info-classes.js';

describe('file operations against Samba', () => {
  let lab: SambaLab;
  let client: SmbClient;
  let tree: Tree;
  before(async () => {
    lab = await startSambaLab({});
    client = await SmbClient.connect({ host: lab.host, port: lab.port });
    const u = lab.users[0]!;
    tree = await (
      await client.login({ user: u.user, password: u.password })
    ).connectTree(lab.shares[0]!.name);
  });
  after(async () => {
    client?.close();
    await lab?.stop();
  });

  test('mkdir, create, list, rename, truncate, delete', async () => {
    await makeDirectory(tree, 'ops');
    await makeDirectory(tree, 'ops'); // idempotent
    const f = await tree.open('ops/a.txt', {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_CREATE,
    });
    await f.write(Buffer.from('hello world'), 0n);
    await setEndOfFile(f, 5n);
    assert.equal((await queryStandardInfo(f)).endOfFile, 5n);
    await f.close();
    await assert.rejects(
      tree.open('ops/a.txt', { access: 'write', disposition: CreateDisposition.FILE_CREATE }),
      (e: unknown) => e instanceof SmbStatusError && e.statusName === 'STATUS_OBJECT_NAME_COLLISION',
    );
    const r = await tree.open('ops/a.txt', { access: 'delete' });
    await renameOpen(r, 'ops/b.txt');
    await r.close();
    const names = (await listDirectory(tree, 'ops')).map((e) => e.fileName);
    assert.deepEqual(names, ['b.txt']);
    const d = await tree.open('ops/b.txt', { access: 'delete' });
    await setDeletePending(d);
    await d.close();
    assert.deepEqual(await listDirectory(tree, 'ops'), []);
    await removePath(tree, 'ops', 'directory');
  });

  test('byte-range locks conflict across handles and unlock', async () => {
    const a = await tree.open('locked.bin', {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_OVERWRITE_IF,
    });
    const b = await tree.open('locked.bin', { access: 'readwrite' });
    const exclusive = LockFlags.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY;
    await a.lock([{ offset: 0n, length: 100n, flags: exclusive }]);
    await assert.rejects(b.lock([{ offset: 50n, length: 10n, flags: exclusive }]), (e: unknown) => {
      return e instanceof SmbStatusError && /LOCK_NOT_GRANTED|FILE_LOCK_CONFLICT/.test(e.statusName);
    });
    await a.lock([{ offset: 0n, length: 100n, flags: LockFlags.SMB2_LOCKFLAG_UNLOCK }]);
    await b.lock([{ offset: 50n, length: 10n, flags: exclusive }]);
    await a.close();
    await b.close();
  });

  test('server-side copy with FSCTL_SRV_COPYCHUNK_WRITE', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const src = await tree.open('copy-src.bin', {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_OVERWRITE_IF,
    });
    await src.write(data, 0n);
    const key = decodeResumeKeyResponse(
      await src.ioctl(Fsctl.FSCTL_SRV_REQUEST_RESUME_KEY, Buffer.alloc(0), 32),
    );
    const dst = await tree.open('copy-dst.bin', {
      access: 'readwrite',
      disposition: CreateDisposition.FILE_OVERWRITE_IF,
    });
    const chunk = 1024 * 1024;
    const chunks = [0, 1, 2].map((i) => ({
      sourceOffset: BigInt(i * chunk),
      targetOffset: BigInt(i * chunk),
      length: chunk,
    }));
    const out = await dst.ioctl(
      Fsctl.FSCTL_SRV_COPYCHUNK_WRITE,
      encodeCopyChunkRequest({ sourceKey: key.resumeKey, chunks }),
      12,
    );
    assert.equal(decodeCopyChunkResponse(out).totalBytesWritten, data.length);
    assert.deepEqual(await dst.read(0n, data.length), data);
    await src.close();
    await dst.close();
  });

  test('filesystem info on the share root', async () => {
    const root = await tree.open('', { kind: 'directory' });
    const buf = await root.queryInfo(
      InfoType.SMB2_0_INFO_FILESYSTEM,
      FsInformationClass.FileFsFullSizeInformation,
    );
    assert.equal(buf.length, 32);
    await root.close();
  });

  test('lease break on a conflicting open is acknowledged automatically', async () => {
    const holder = tree;
    const other = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const u = lab.users[0]!;
      const otherTree = await (
        await other.login({ user: u.user, password: u.password })
      ).connectTree(lab.shares[0]!.name);
      const leaseKey = randomBytes(16);
      const req = openRequest('leased.txt', {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
        oplockLevel: OplockLevel.SMB2_OPLOCK_LEVEL_LEASE,
      });
      const rwh =
        LeaseState.SMB2_LEASE_READ_CACHING |
        LeaseState.SMB2_LEASE_WRITE_CACHING |
        LeaseState.SMB2_LEASE_HANDLE_CACHING;
      req.createContexts = [
        {
          kind: 'leaseV2',
          leaseKey,
          leaseState: rwh,
          leaseFlags: 0,
          leaseDuration: 0n,
          parentLeaseKey: Buffer.alloc(16),
          epoch: 0,
        },
      ];
      const leased = await holder.create(req);
      assert.ok(leased.leaseKey?.equals(leaseKey), 'server granted the lease');
      const broke = new Promise((resolve) => client.breaks.once('break', resolve));
      const started = performance.now();
      // A second client opening for write breaks the write-caching lease; without an ack this
      // open would stall for the server's break timeout (35 s on Samba).
      const second = await otherTree.open('leased.txt', {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      const event = (await broke) as { acknowledged: boolean };
      assert.ok(event.acknowledged);
      assert.ok(
        performance.now() - started < 20_000,
        'the conflicting open did not wait for a break timeout',
      );
      assert.equal(client.breaks.acknowledged, 1);
      await second.close();
      await leased.close();
    } finally {
      other.close();
    }
  });

  test('a lease shared by two opens is still acknowledged after the first one closes', async () => {
    const other = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const u = lab.users[0]!;
      const otherTree = await (
        await other.login({ user: u.user, password: u.password })
      ).connectTree(lab.shares[0]!.name);
      const leaseKey = randomBytes(16);
      const leasedOpen = () => {
        const req = openRequest('shared-lease.txt', {
          access: 'readwrite',
          disposition: CreateDisposition.FILE_OPEN_IF,
          oplockLevel: OplockLevel.SMB2_OPLOCK_LEVEL_LEASE,
        });
        req.createContexts = [
          {
            kind: 'leaseV2',
            leaseKey,
            leaseState:
              LeaseState.SMB2_LEASE_READ_CACHING |
              LeaseState.SMB2_LEASE_WRITE_CACHING |
              LeaseState.SMB2_LEASE_HANDLE_CACHING,
            leaseFlags: 0,
            leaseDuration: 0n,
            parentLeaseKey: Buffer.alloc(16),
            epoch: 0,
          },
        ];
        return tree.create(req);
      };
      // Both opens hold the one lease of their key (MS-SMB2 3.3.1.4); closing one keeps it.
      const first = await leasedOpen();
      const kept = await leasedOpen();
      assert.ok(kept.leaseKey?.equals(leaseKey), 'server granted the lease');
      await first.close();
      const before = client.breaks.acknowledged;
      const broke = new Promise((resolve) => client.breaks.once('break', resolve));
      const second = await otherTree.open('shared-lease.txt', {
        access: 'readwrite',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      const event = (await broke) as { acknowledged: boolean };
      assert.ok(event.acknowledged, 'the break for the remaining open was acknowledged');
      assert.equal(client.breaks.acknowledged, before + 1);
      await second.close();
      await kept.close();
    } finally {
      other.close();
    }
  });
});
