import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MANIFEST_VERSION,
  mergeManifests,
  parseManifest,
  readManifest,
  readManifestIfPresent,
  writeManifest,
} from '../../src/control/provision-manifest.js';
import type { ProvisionManifest } from '../../src/control/provision-manifest.js';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';

const base: ProvisionManifest = {
  version: MANIFEST_VERSION,
  ldapUrl: 'ldaps://dc',
  baseDn: 'DC=x',
  domain: 'X',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ou: { dn: 'OU=smbench,DC=x', created: true },
  group: { dn: 'CN=G,OU=smbench,DC=x', name: 'G', created: true },
  users: [
    { dn: 'CN=sbu0001,OU=smbench,DC=x', samAccountName: 'sbu0001', created: true, addedToGroup: true },
    { dn: 'CN=old,CN=Users,DC=x', samAccountName: 'old', created: false, addedToGroup: true },
  ],
};

test('a re-run keeps "created" from the first run and adds new users', () => {
  const rerun: ProvisionManifest = {
    ...base,
    createdAt: '2026-02-01T00:00:00.000Z',
    updatedAt: '2026-02-01T00:00:00.000Z',
    ou: { dn: 'ou=SMBENCH,dc=x', created: false },
    group: { dn: 'CN=G,OU=smbench,DC=x', name: 'G', created: false },
    users: [
      { dn: 'cn=SBU0001,ou=smbench,dc=x', samAccountName: 'sbu0001', created: false, addedToGroup: false },
      { dn: 'CN=sbu0002,OU=smbench,DC=x', samAccountName: 'sbu0002', created: true, addedToGroup: true },
    ],
  };
  const merged = mergeManifests(base, rerun);
  assert.equal(merged.createdAt, base.createdAt);
  assert.equal(merged.updatedAt, rerun.updatedAt);
  assert.equal(merged.ou.created, true);
  assert.equal(merged.group?.created, true);
  const bySam = new Map(merged.users.map((u) => [u.samAccountName, u]));
  assert.equal(bySam.size, 3);
  assert.equal(bySam.get('sbu0001')?.created, true);
  assert.equal(bySam.get('sbu0001')?.addedToGroup, true);
  assert.equal(bySam.get('sbu0002')?.created, true);
  assert.equal(bySam.get('old')?.created, false);
  assert.equal(mergeManifests(undefined, rerun), rerun);
});

test('a different OU on the re-run does not inherit "created"', () => {
  const merged = mergeManifests(base, { ...base, ou: { dn: 'OU=other,DC=x', created: false } });
  assert.equal(merged.ou.created, false);
});

test('manifests round-trip and invalid ones are usage errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  try {
    const path = join(dir, 'm.json');
    await writeManifest(path, base);
    assert.deepEqual(await readManifest(path), base);
    assert.equal(await readManifestIfPresent(join(dir, 'none.json')), undefined);
    await assert.rejects(readManifest(join(dir, 'none.json')), /does not exist/);
    await writeManifest(path, { ...base, version: 9 } as unknown as ProvisionManifest);
    await assert.rejects(
      readManifest(path),
      (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.USAGE,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseManifest({ ...base, users: [{ dn: 'x' }] }), /samAccountName/);
  assert.throws(() => parseManifest({ ...base, ou: { dn: 'x', created: 'yes' } }), /created/);
});
