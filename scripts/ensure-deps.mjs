#!/usr/bin/env node
// Makes `npm run demo`, `npm test` and `npm run bench` work right after cloning on Debian: installs
// the npm dependencies if they are missing and, when run as root, every Debian package in
// scripts/debian-packages.txt (the one list .ci/run installs too). Each package is checked on its
// own with dpkg, so a package that only a Recommends would have pulled in (samba-ad-provision under
// samba-ad-dc with --no-install-recommends) is caught and named. Without root it names what is
// missing and the command that installs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Package names from the list: the first word of each line that is not blank or a # comment. */
export function readPackageList(path = join(root, 'scripts', 'debian-packages.txt')) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/)[0]);
}

/** Whether dpkg says the package is installed ("ii"): present on disk, configured, not half-removed. */
function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith('ii');
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) {
    console.error(`ensure-deps: ${command} ${args.join(' ')} failed (${r.status})`);
    process.exit(1);
  }
}

function missingPackages(packages) {
  return packages.filter((pkg) => !installed(pkg));
}

function main() {
  if (!existsSync(join(root, 'node_modules', '.bin', 'tsx'))) {
    console.error('ensure-deps: installing npm dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  const packages = readPackageList();
  const hasDpkg = spawnSync('sh', ['-c', 'command -v dpkg-query'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) {
    console.error(
      `ensure-deps: not a Debian system (no dpkg-query); make sure these are installed: ${packages.join(' ')}`,
    );
    return;
  }
  let missing = missingPackages(packages);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `ensure-deps: missing Debian packages: ${missing.join(' ')}\n` +
        `  install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  console.error(`ensure-deps: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  missing = missingPackages(packages);
  if (missing.length > 0) {
    console.error(`ensure-deps: still not installed after apt-get: ${missing.join(' ')}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
