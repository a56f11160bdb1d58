import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { SmbStatusError } from '../../../src/client/errors.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { ErrorCode, SmbBenchError } from '../../../src/errors/smbench-error.js';

describe('clear errors', () => {
  let lab: SambaLab;
  before(async () => (lab = await startSambaLab({})));
  after(() => lab?.stop());

  test('wrong password gives an AUTH error naming STATUS_LOGON_FAILURE', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      await assert.rejects(
        client.login({ user: lab.users[0]!.user, password: 'definitely-wrong' }),
        (err: unknown) => {
          assert.ok(err instanceof SmbBenchError);
          assert.equal(err.code, ErrorCode.AUTH);
          assert.match(err.message, /STATUS_LOGON_FAILURE/);
          assert.match(err.message, new RegExp(lab.users[0]!.user));
          return true;
        },
      );
      // The connection survives a failed login: a correct one works afterwards.
      const session = await client.login({ user: lab.users[0]!.user, password: lab.users[0]!.password });
      await session.logoff();
    } finally {
      client.close();
    }
  });

  test('unknown share gives STATUS_BAD_NETWORK_NAME', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const session = await client.login({ user: lab.users[0]!.user, password: lab.users[0]!.password });
      await assert.rejects(session.connectTree('no-such-share'), (err: unknown) => {
        assert.ok(err instanceof SmbStatusError);
        assert.equal(err.statusName, 'STATUS_BAD_NETWORK_NAME');
        assert.equal(err.code, ErrorCode.STATUS);
        return true;
      });
    } finally {
      client.close();
    }
  });

  test('opening a missing file gives STATUS_OBJECT_NAME_NOT_FOUND and the session goes on', async () => {
    const client = await SmbClient.connect({ host: lab.host, port: lab.port });
    try {
      const session = await client.login({ user: lab.users[0]!.user, password: lab.users[0]!.password });
      const tree = await session.connectTree(lab.shares[0]!.name);
      await assert.rejects(tree.open('missing/file.txt'), /STATUS_OBJECT_(PATH|NAME)_NOT_FOUND/);
      const root = await tree.open('', { kind: 'directory' });
      await root.close();
    } finally {
      client.close();
    }
  });

  test('nothing listening gives a TRANSPORT error, not a hang', async () => {
    await assert.rejects(
      SmbClient.connect({ host: '127.0.0.1', port: 1, connectTimeoutMs: 2000 }),
      (err: unknown) => {
        assert.ok(err instanceof SmbBenchError);
        assert.equal(err.code, ErrorCode.TRANSPORT);
        return true;
      },
    );
  });

  test('server going away mid-request rejects outstanding requests with TRANSPORT', async () => {
    const other = await startSambaLab({});
    const client = await SmbClient.connect({ host: other.host, port: other.port });
    const session = await client.login({ user: other.users[0]!.user, password: other.users[0]!.password });
    const tree = await session.connectTree(other.shares[0]!.name);
    const dir = await tree.open('', { kind: 'directory' });
    // Settle into a value right away so the rejection is never "unhandled" while smbd stops.
    const waiting = dir.changeNotify(0x1).then(
      () => undefined,
      (err: unknown) => err,
    );
    await other.stop();
    const err = await waiting;
    assert.ok(err instanceof SmbBenchError, String(err));
    // An smbd that gets to act before it exits completes the pending notify with a status of its
    // own (STATUS_NOTIFY_CLEANUP as it closes the handle, MS-SMB2 3.3.4.1; NAME_NOT_FOUND once the
    // lab's directory is gone); one that does not is a dropped connection. Either way the request
    // ends with an error instead of hanging, which is the point.
    assert.ok(
      err.code === ErrorCode.TRANSPORT || err.code === ErrorCode.STATUS,
      `${err.code}: ${err.message}`,
    );
    client.close();
  });
});
