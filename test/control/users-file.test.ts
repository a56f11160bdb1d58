import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatUsersCsv,
  parseUsersCsv,
  readUsersCsvIfPresent,
  writeUsersCsv,
} from '../../src/control/users-file.js';
import { parseUsersFile } from '../../src/runner/credentials.js';

const users = [
  { user: 'sbu0001', password: 'Plain-Pw1', domain: 'SMBENCH' },
  { user: 'sbu0002', password: 'with,comma"quote', domain: 'SMBENCH' },
  { user: 'sbu0003', password: ' edge space ', domain: 'SMBENCH' },
];

test('CSV has a header and quotes only where RFC 4180 needs it', () => {
  const text = formatUsersCsv(users);
  assert.equal(
    text,
    'user,password,domain\nsbu0001,Plain-Pw1,SMBENCH\nsbu0002,"with,comma""quote",SMBENCH\nsbu0003," edge space ",SMBENCH\n',
  );
});

test('the runner reads what provisioning writes', () => {
  const parsed = parseUsersFile(formatUsersCsv(users), 'users.csv');
  assert.deepEqual(
    parsed.map((c) => ({ user: c.user, password: c.password, domain: c.domain })),
    users,
  );
});

test('reading back keys users case-insensitively', () => {
  const map = parseUsersCsv(formatUsersCsv(users));
  assert.equal(map.get('sbu0002')?.password, 'with,comma"quote');
  assert.equal(parseUsersCsv('SBU9,pw\n').get('sbu9')?.user, 'SBU9');
});

test('the file is written 0600 and a missing file reads as empty', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'users-file-'));
  try {
    const path = join(dir, 'deep', 'users.csv');
    await writeUsersCsv(path, users);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await readUsersCsvIfPresent(path)).size, 3);
    assert.equal((await readUsersCsvIfPresent(join(dir, 'none.csv'))).size, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
