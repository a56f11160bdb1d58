/**
 * One Debian package list for CI and newcomers alike (scripts/debian-packages.txt): .ci/run and
 * scripts/ensure-deps.mjs must both read it, and it must name the packages that only arrive as a
 * Recommends of another, because both install with --no-install-recommends.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain ESM script without type declarations
import { readPackageList } from '../../scripts/ensure-deps.mjs';
import { REPO_ROOT } from '../support/shared-pcaps.js';

const packages = readPackageList() as string[];

test('the package list names every package the tests, the demo and the benchmarks drive', () => {
  for (const pkg of [
    'samba',
    'samba-vfs-modules',
    'smbclient',
    'samba-testsuite',
    'tshark',
    'tcpdump',
    'python3-impacket',
    'samba-ad-dc',
    // Only a Recommends of samba-ad-dc: without it provisioning finds no ad-schema/*.ldf.
    'samba-ad-provision',
    'krb5-user',
    'chromium',
  ]) {
    assert.ok(packages.includes(pkg), `${pkg} missing from scripts/debian-packages.txt`);
  }
  assert.equal(new Set(packages).size, packages.length, 'no package listed twice');
});

test('.ci/run installs from the same list and names no package of its own', () => {
  const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
  assert.match(ci, /scripts\/debian-packages\.txt/);
  assert.match(ci, /--no-install-recommends "\$\{packages\[@\]\}"/);
  for (const pkg of packages) {
    const named = new RegExp(`apt-get install[^\\n]*\\b${pkg.replace(/[-+.]/g, '\\$&')}\\b`);
    assert.doesNotMatch(ci, named, `.ci/run names ${pkg} itself`);
  }
});
