import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userAttributes } from '../../../src/control/ad-attributes.js';
import { deprovisionUsers } from '../../../src/control/deprovision-users.js';
import { LdapFailure, LdapOperationError } from '../../../src/control/ldap-errors.js';
import { LdapSession, entryString, entryStrings } from '../../../src/control/ldap-session.js';
import { readManifest } from '../../../src/control/provision-manifest.js';
import { provisionUsers } from '../../../src/control/provision-users.js';
import type { ProvisionOptions } from '../../../src/control/provision-users.js';
import { ErrorCode } from '../../../src/errors/smbench-error.js';
import { startAdLab } from '../../../src/lab/ad-lab.js';
import type { AdLab } from '../../../src/lab/ad-lab.js';
import { findAdTool } from '../../../src/lab/ad-tools.js';
import { parseUsersFile } from '../../../src/runner/credentials.js';
import { main } from '../../../src/cli/main.js';
import { adLabSkipReason, adminConnection, tryShare } from './ad-lab-fixture.js';

const COUNT = 200;

describe('AD lab and user provisioning', { skip: adLabSkipReason(), timeout: 240_000 }, () => {
  let lab: AdLab;
  let work: string;
  let usersFile: string;
  let manifestFile: string;
  let ldap: LdapSession;
  const run = (overrides: Partial<ProvisionOptions> = {}): ReturnType<typeof provisionUsers> =>
    provisionUsers({
      connection: adminConnection(lab),
      ou: 'smbench',
      count: COUNT,
      prefix: 'sbu',
      group: lab.shareGroup,
      usersFile,
      manifestFile,
      ...overrides,
    });

  before(async () => {
    lab = await startAdLab();
    work = await mkdtemp(join(tmpdir(), 'smbench-ad-e2e-'));
    usersFile = join(work, 'users.csv');
    manifestFile = join(work, 'users.manifest.json');
    ldap = await LdapSession.open(adminConnection(lab));
  });

  after(async () => {
    await ldap?.close();
    await lab?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  test('the DC serves LDAPS, Kerberos and SMB3 on a loopback address of its own', async (t) => {
    assert.match(lab.host, /^127\./);
    assert.notEqual(lab.host, '127.0.0.1');
    assert.equal(lab.realm, 'SMBENCH.TEST');
    assert.equal(lab.domain, 'SMBENCH');
    assert.equal(lab.baseDn, 'DC=smbench,DC=test');
    assert.notEqual(lab.smbPort, 445);
    assert.notEqual(lab.kdcPort, 88);
    const root = await ldap.searchAll('', '(objectClass=*)', ['defaultNamingContext'], 'base');
    assert.equal(entryString(root[0], 'defaultNamingContext'), lab.baseDn);
    const admin = { user: lab.adminUser, password: lab.adminPassword, domain: lab.domain };
    assert.equal(await tryShare(lab, admin), 'ok');
    const kinit = whichSync('kinit');
    if (kinit === undefined) return t.diagnostic('kinit not installed: Kerberos check skipped');
    const r = await exec(kinit, [`${lab.adminUser}@${lab.realm}`], {
      input: `${lab.adminPassword}\n`,
      env: { ...process.env, KRB5_CONFIG: lab.krb5ConfPath, KRB5CCNAME: `FILE:${join(work, 'ccache')}` },
    });
    assert.equal(r.code, 0, r.stderr);
  });

  test('the generated smb.conf has no parameter samba does not know', async () => {
    const sambaTool = findAdTool('samba-tool');
    assert.ok(sambaTool);
    const r = await exec(sambaTool, ['testparm', '--suppress-prompt', '-s', lab.confPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Unknown parameter|Ignoring unknown/i, r.stderr);
  });

  test(`provisions ${COUNT} users into a new OU and grants them the share`, async (t) => {
    // One user of the range exists already, outside the OU: it must be skipped and left alone.
    await ldap.add(
      `CN=sbu0007,CN=Users,${lab.baseDn}`,
      userAttributes({
        samAccountName: 'sbu0007',
        userPrincipalName: 'sbu0007@smbench.test',
        password: 'Pre-Existing-7',
        passwordNeverExpires: true,
      }),
    );
    let progressCalls = 0;
    const result = await run({ onProgress: () => progressCalls++ });
    t.diagnostic(
      `${COUNT} users in ${result.elapsedMs} ms (${((COUNT * 1000) / result.elapsedMs).toFixed(0)}/s); ` +
        `add latency p50 ${result.latencyMs.p50.toFixed(0)} ms p95 ${result.latencyMs.p95.toFixed(0)} ms`,
    );
    assert.equal(result.created, COUNT - 1);
    assert.equal(result.skipped, 1);
    assert.deepEqual(result.withoutPassword, ['sbu0007']);
    assert.equal(result.written, COUNT - 1);
    assert.equal(result.ouCreated, true);
    assert.equal(result.ouDn, `OU=smbench,${lab.baseDn}`);
    assert.equal(result.groupCreated, false);
    assert.equal(result.addedToGroup, COUNT);
    assert.equal(progressCalls, COUNT);

    const creds = parseUsersFile(await readFile(usersFile, 'utf8'), usersFile);
    assert.equal(creds.length, COUNT - 1);
    assert.ok(creds.every((c) => c.domain === 'SMBENCH' && /^sbu\d{4}$/.test(c.user)));
    assert.equal(new Set(creds.map((c) => c.password)).size, COUNT - 1);

    const inOu = await ldap.searchAll(result.ouDn, '(objectClass=user)', [
      'sAMAccountName',
      'userAccountControl',
      'memberOf',
      'userPrincipalName',
    ]);
    assert.equal(inOu.length, COUNT - 1);
    for (const entry of inOu) {
      // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWD, not disabled.
      assert.equal(entryString(entry, 'userAccountControl'), '66048');
      assert.equal(
        entryString(entry, 'userPrincipalName'),
        `${entryString(entry, 'sAMAccountName')}@smbench.test`,
      );
      assert.ok(entryStrings(entry, 'memberOf').some((g) => g.toLowerCase().startsWith('cn=benchusers,')));
    }
  });

  test('provisioned users log on over SMB3 and reach the share; non-members and bad passwords do not', async () => {
    const creds = parseUsersFile(await readFile(usersFile, 'utf8'));
    for (const cred of [creds[0]!, creds[99]!, creds.at(-1)!]) {
      assert.equal(await tryShare(lab, { ...cred, domain: cred.domain ?? '' }), 'ok', cred.user);
    }
    assert.equal(
      await tryShare(lab, { user: creds[0]!.user, password: 'Wrong-Password-1', domain: 'SMBENCH' }),
      'STATUS_LOGON_FAILURE',
    );
    const side = join(work, 'nogroup.csv');
    await provisionUsers({
      connection: adminConnection(lab),
      ou: 'smbench-side',
      count: 1,
      prefix: 'nog',
      usersFile: side,
      manifestFile: join(work, 'nogroup.manifest.json'),
    });
    const [outsider] = parseUsersFile(await readFile(side, 'utf8'));
    assert.equal(await tryShare(lab, { ...outsider!, domain: 'SMBENCH' }), 'STATUS_ACCESS_DENIED');
  });

  test('re-running is idempotent: existing users are skipped and keep their passwords', async () => {
    const before = await readFile(usersFile, 'utf8');
    const result = await run();
    assert.equal(result.created, 0);
    assert.equal(result.skipped, COUNT);
    assert.equal(result.addedToGroup, 0);
    assert.equal(result.ouCreated, false);
    assert.equal(await readFile(usersFile, 'utf8'), before);
    const manifest = await readManifest(manifestFile);
    assert.equal(manifest.ou.created, true, 'the OU stays recorded as ours');
    assert.equal(manifest.users.filter((u) => u.created).length, COUNT - 1);
  });

  test('--existing reset gives existing users new passwords that work', async () => {
    const file = join(work, 'reset.csv');
    const opts = {
      ou: 'smbench-side',
      count: 2,
      prefix: 'rst',
      group: lab.shareGroup,
      usersFile: file,
      manifestFile: join(work, 'reset.manifest.json'),
    };
    await run(opts);
    const first = parseUsersFile(await readFile(file, 'utf8'));
    const result = await run({ ...opts, existing: 'reset' });
    assert.equal(result.reset, 2);
    const second = parseUsersFile(await readFile(file, 'utf8'));
    assert.notEqual(second[0]!.password, first[0]!.password);
    // (The old password may still work for NTLM for a while: AD's OldPasswordAllowedPeriod.)
    assert.equal(await tryShare(lab, { ...second[0]!, domain: 'SMBENCH' }), 'ok');
    assert.equal(await tryShare(lab, { ...second[1]!, domain: 'SMBENCH' }), 'ok');
    await assert.rejects(run({ ...opts, existing: 'fail' }), (err: unknown) => {
      assert.ok(err instanceof LdapOperationError);
      assert.equal(err.failure, LdapFailure.ALREADY_EXISTS);
      return true;
    });
  });

  test('bad credentials, TLS problems, plaintext LDAP and policy rejections are clear errors', async () => {
    const side = {
      ou: 'smbench-side',
      usersFile: join(work, 'err.csv'),
      manifestFile: join(work, 'err.manifest.json'),
      count: 1,
      prefix: 'err',
    };
    const failure = (expected: LdapFailure, code: ErrorCode, message: RegExp) => (err: unknown) => {
      assert.ok(err instanceof LdapOperationError, String(err));
      assert.equal(err.failure, expected, err.message);
      assert.equal(err.code, code);
      assert.match(err.message, message);
      return true;
    };
    await assert.rejects(
      run({ ...side, connection: { ...adminConnection(lab), bindPassword: 'not-it' } }),
      failure(LdapFailure.BIND_CREDENTIALS, ErrorCode.AUTH, /refused the bind credentials \(wrong password/),
    );
    await assert.rejects(
      run({ ...side, connection: { ...adminConnection(lab), caFiles: [] } }),
      failure(LdapFailure.TLS, ErrorCode.TRANSPORT, /--ca-file/),
    );
    const { tlsServerName: _, ...byAddress } = adminConnection(lab);
    await assert.rejects(
      run({ ...side, connection: byAddress }),
      failure(LdapFailure.TLS, ErrorCode.TRANSPORT, /--tls-server-name/),
    );
    await assert.rejects(
      run({ ...side, connection: { ...adminConnection(lab), url: lab.ldapUrl } }),
      failure(LdapFailure.CONFIDENTIALITY_REQUIRED, ErrorCode.UNSUPPORTED, /ldaps:\/\/ or --starttls/),
    );
    await assert.rejects(
      run({ ...side, password: 'Ab1!x' }),
      failure(LdapFailure.PASSWORD_POLICY, ErrorCode.STATUS, /password policy rejected/),
    );
    await assert.rejects(
      run({ ...side, password: 'onlylowercaseletters' }),
      failure(LdapFailure.PASSWORD_POLICY, ErrorCode.STATUS, /complexity/),
    );
    const starttls = await run({
      ...side,
      password: 'StartTls-Works-1',
      connection: { ...adminConnection(lab), url: lab.ldapUrl, startTls: true },
    });
    assert.equal(starttls.created, 1);
  });

  test('the CLI provisions from the lab state file and deprovisions', async () => {
    const state = join(work, 'ad-lab.json');
    await writeFile(state, JSON.stringify(lab.toJSON()));
    const csv = join(work, 'cli.csv');
    const common = ['--lab-state', state, '-o', csv, '--quiet', '--json'];
    const code = await main([
      'users',
      'provision',
      ...common,
      '--grant-share',
      '--count',
      '3',
      '--prefix',
      'cli',
      '--ou',
      'smbench-cli',
    ]);
    assert.equal(code, 0);
    const creds = parseUsersFile(await readFile(csv, 'utf8'));
    assert.equal(creds.length, 3);
    assert.equal(await tryShare(lab, { ...creds[2]!, domain: 'SMBENCH' }), 'ok');
    assert.equal(await main(['users', 'deprovision', ...common]), 0);
    assert.equal(await ldap.read(`OU=smbench-cli,${lab.baseDn}`, ['ou']), undefined);
    await assert.rejects(readFile(csv), /ENOENT/);
    const bad = await main(['users', 'provision', '--lab-state', state, '--count', '0', '-o', csv]);
    assert.equal(bad, 2);
  });

  test('deprovision removes exactly what provisioning created', async (t) => {
    const result = await deprovisionUsers({
      connection: adminConnection(lab),
      manifest: await readManifest(manifestFile),
    });
    t.diagnostic(`deprovisioned in ${result.elapsedMs} ms`);
    assert.equal(result.usersDeleted, COUNT - 1);
    assert.equal(result.usersMissing, 0);
    // All memberships it added, including the pre-existing user's, are taken back first.
    assert.equal(result.membershipsRemoved, COUNT);
    assert.equal(result.ouKeptReason, undefined);
    assert.equal(result.ouDeleted, true);
    assert.equal(await ldap.read(`OU=smbench,${lab.baseDn}`, ['ou']), undefined);
    // The user that existed before survives, without the membership provisioning gave it.
    const pre = await ldap.read(`CN=sbu0007,CN=Users,${lab.baseDn}`, ['memberOf']);
    assert.ok(pre);
    assert.deepEqual(entryStrings(pre, 'memberOf'), []);
    // The group (not ours) survives with its original member.
    const group = await ldap.searchAll(lab.baseDn, `(sAMAccountName=${lab.shareGroup})`, ['member']);
    assert.deepEqual(
      entryStrings(group[0]!, 'member').filter((m) => !/OU=smbench-side/i.test(m)),
      [`CN=Administrator,CN=Users,${lab.baseDn}`],
    );
    const again = await deprovisionUsers({
      connection: adminConnection(lab),
      manifest: await readManifest(manifestFile),
    });
    assert.equal(again.usersDeleted, 0);
    assert.equal(again.usersMissing, COUNT - 1);
    assert.equal(again.membershipsRemoved, 0);
  });
});

function whichSync(tool: string): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(':'), '/usr/bin', '/usr/sbin']) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

function exec(
  file: string,
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      [...args],
      { timeout: 30_000, encoding: 'utf8', env: opts.env },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
