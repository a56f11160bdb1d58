import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SmbClient } from '../../../src/client/smb-client.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { CreateDisposition } from '../../../src/smb2/commands/create.js';
import { Dialect } from '../../../src/smb2/constants.js';

const SIZE = 100 * 1000 * 1000;

/** Deterministic, non-repeating content so a misplaced chunk cannot go unnoticed. */
function pattern(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = 0x12345678;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeInt32LE(x | 0, i);
  }
  buf.fill(7, size - (size % 4));
  return buf;
}

describe('large files byte-exact', () => {
  let lab: SambaLab;
  before(async () => (lab = await startSambaLab({ encrypt: 'desired' })));
  after(() => lab?.stop());

  for (const [label, dialect, size] of [
    ['100 MB over 3.1.1', Dialect.SMB3_1_1, SIZE],
    ['20 MB over 2.1 (single-credit chunks)', Dialect.SMB2_1, 20_000_000],
    ['20 MB over 2.0.2 (64 KiB max I/O)', Dialect.SMB2_0_2, 20_000_000],
  ] as const) {
    test(`${label} written and read back`, async () => {
      const data = pattern(size);
      const u = lab.users[0]!;
      const client = await SmbClient.connect({ host: lab.host, port: lab.port, dialects: [dialect] });
      try {
        const tree = await (
          await client.login({ user: u.user, password: u.password })
        ).connectTree(lab.shares[0]!.name);
        const name = `large-${dialect}.bin`;
        const w = await tree.open(name, {
          access: 'readwrite',
          disposition: CreateDisposition.FILE_OVERWRITE_IF,
        });
        assert.equal(await w.write(data, 0n), size);
        await w.flush();
        const closed = await w.close(true);
        assert.equal(closed.endOfFile, BigInt(size));
        const r = await tree.open(name, { access: 'read' });
        assert.equal(r.size, BigInt(size));
        const back = await r.read(0n, size);
        await r.close();
        assert.equal(back.length, size);
        assert.equal(
          createHash('sha256').update(back).digest('hex'),
          createHash('sha256').update(data).digest('hex'),
        );
        // Past end of file: empty, not an error.
        const tail = await tree.open(name, { access: 'read' });
        assert.equal((await tail.readOnce(BigInt(size), 4096)).length, 0);
        await tail.close();
      } finally {
        client.close();
      }
    });
  }
});
