#!/usr/bin/env node
// Makes `npm run demo` and `npm test` work right after cloning on Debian: installs the npm
// dependencies if they are missing and, when run as root, the Debian packages smbench drives
// (Samba for the lab, tcpdump for recording, tshark/smbtorture/impacket for tests and benchmarks).
// Without root it only reports what is missing and the command that installs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = {
  smbd: 'samba',
  smbclient: 'smbclient',
  smbtorture: 'samba-testsuite',
  tshark: 'tshark',
  tcpdump: 'tcpdump',
  pdbedit: 'samba-common-bin',
  // The Active Directory lab (smbench lab up --ad) and its Kerberos tests.
  samba: 'samba-ad-dc',
  kinit: 'krb5-user',
  // Headless browser for the HTML report tests (test/e2e/report).
  chromium: 'chromium',
};
const PYTHON_IMPACKET = 'python3-impacket';

function have(command) {
  const r = spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`], { stdio: 'ignore' });
  return r.status === 0;
}

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) {
    console.error(`ensure-deps: ${command} ${args.join(' ')} failed (${r.status})`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules', '.bin', 'tsx'))) {
  console.error('ensure-deps: installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const missing = Object.entries(PACKAGES)
  .filter(([command]) => !have(command))
  .map(([, pkg]) => pkg);
const impacket = spawnSync('/usr/bin/python3', ['-c', 'import impacket'], { stdio: 'ignore' });
if (impacket.status !== 0) missing.push(PYTHON_IMPACKET);

if (missing.length > 0) {
  const unique = [...new Set(missing)];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && have('apt-get')) {
    console.error(`ensure-deps: installing Debian packages: ${unique.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...unique], { env });
  } else {
    console.error(
      `ensure-deps: missing Debian packages: ${unique.join(' ')}\n` +
        `  install them with: sudo apt-get update && sudo apt-get install -y ${unique.join(' ')}`,
    );
    process.exit(1);
  }
}
