/**
 * `smbench users provision|deprovision`: creates the load-test accounts in Active Directory over
 * LDAPS (and the users file `smbench run --users-file` reads), and removes exactly those again.
 * `--lab` takes the URL, credentials and CA from a running `smbench lab up --ad`.
 */
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, SmbBenchError } from '../../errors/smbench-error.js';
import { deprovisionUsers } from '../../control/deprovision-users.js';
import type { LdapConnectOptions } from '../../control/ldap-session.js';
import { readManifest } from '../../control/provision-manifest.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CONNECTIONS,
  ExistingUserPolicy,
  provisionUsers,
} from '../../control/provision-users.js';
import type { ProvisionResult } from '../../control/provision-users.js';
import { DEFAULT_AD_LAB_STATE_PATH, readAdLabState } from '../../lab/ad-lab-state.js';
import type { AdLabState } from '../../lab/ad-lab-state.js';
import { choiceFlag, formatFlagHelp, intFlag, parseFlags } from '../args.js';
import type { ParsedFlags } from '../args.js';
import { usageError } from '../cli-command.js';
import type { CliCommand } from '../cli-command.js';
import { ExitCode } from '../exit-codes.js';

/** The bind password comes from here unless --bind-password-file is given (keeps it out of `ps`). */
export const BIND_PASSWORD_ENV = 'SMBENCH_BIND_PASSWORD';
export const DEFAULT_USERS_FILE = 'smbench-users.csv';

const CONNECTION_FLAGS = {
  ldap: { type: 'string', valueName: 'URL', description: 'ldaps://dc[:636] (or ldap://dc with --starttls)' },
  bind: {
    type: 'string',
    valueName: 'WHO',
    description: 'bind as this DN, UPN (admin@realm) or DOMAIN\\user',
  },
  'bind-password-file': {
    type: 'string',
    valueName: 'FILE',
    description: `file holding the bind password (default: $${BIND_PASSWORD_ENV})`,
  },
  'ca-file': { type: 'string', multiple: true, valueName: 'PEM', description: 'trust this CA for LDAPS' },
  'tls-server-name': {
    type: 'string',
    valueName: 'NAME',
    description: "verify the certificate against NAME (e.g. the DC's FQDN when --ldap uses an IP)",
  },
  'insecure-tls': { type: 'boolean', description: 'do not verify the certificate (throwaway labs only)' },
  starttls: { type: 'boolean', description: 'upgrade ldap:// with StartTLS before binding' },
  lab: { type: 'boolean', description: 'use the AD lab from "smbench lab up --ad" (URL, admin, CA)' },
  'lab-state': {
    type: 'string',
    valueName: 'FILE',
    description: `AD lab state file (default ${DEFAULT_AD_LAB_STATE_PATH})`,
  },
  concurrency: {
    type: 'string',
    valueName: 'N',
    description: `LDAP operations in flight (default ${DEFAULT_CONCURRENCY})`,
  },
  connections: {
    type: 'string',
    valueName: 'N',
    description: `LDAP connections they share (default ${DEFAULT_CONNECTIONS})`,
  },
  manifest: {
    type: 'string',
    valueName: 'FILE',
    description: 'record of what was created (default: the users file name + .manifest.json)',
  },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
} as const;

const PROVISION_FLAGS = {
  ...CONNECTION_FLAGS,
  count: { type: 'string', valueName: 'N', description: 'number of users (required)' },
  prefix: {
    type: 'string',
    valueName: 'P',
    description: 'user name prefix (default sbu): sbu0001, sbu0002...',
  },
  start: { type: 'string', valueName: 'N', description: 'first index (default 1)' },
  ou: {
    type: 'string',
    valueName: 'OU',
    description: 'OU name under the domain root, or a full DN (default smbench)',
  },
  group: {
    type: 'string',
    valueName: 'GROUP',
    description: 'add every user to this group (name or DN; created if missing)',
  },
  'grant-share': {
    type: 'boolean',
    description: "with --lab: add the users to the group the lab's share admits",
  },
  password: {
    type: 'string',
    valueName: 'PW',
    description:
      'one password for all users (default: random per user; visible in ps, unlike the users file)',
  },
  'password-length': {
    type: 'string',
    valueName: 'N',
    description: 'length of generated passwords (default 20)',
  },
  'password-expires': {
    type: 'boolean',
    description: 'let the domain policy expire passwords (default: never expire)',
  },
  existing: {
    type: 'string',
    valueName: 'MODE',
    description: 'existing users: skip (default), reset (new password), fail',
  },
  out: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description: `users file to write (default ${DEFAULT_USERS_FILE})`,
  },
  'base-dn': { type: 'string', valueName: 'DN', description: 'domain root (default: from the root DSE)' },
  domain: {
    type: 'string',
    valueName: 'NAME',
    description: 'NetBIOS domain for the users file (default: from the directory)',
  },
  'upn-suffix': {
    type: 'string',
    valueName: 'SUFFIX',
    description: 'userPrincipalName suffix (default: the DNS domain)',
  },
} as const;

const DEPROVISION_FLAGS = {
  ...CONNECTION_FLAGS,
  out: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description: `users file whose manifest to use (default ${DEFAULT_USERS_FILE})`,
  },
  'keep-files': {
    type: 'boolean',
    description: 'keep the users file and manifest after a complete deprovision',
  },
} as const;

const USAGE = `Usage: smbench users provision|deprovision [options]

Creates load-test accounts in Active Directory over LDAPS and writes the users file for
"smbench run --users-file"; deprovision removes exactly what provision created (per its manifest).

Options for provision:
${formatFlagHelp(PROVISION_FLAGS)}

Options for deprovision:
${formatFlagHelp(DEPROVISION_FLAGS)}

Examples:
  SMBENCH_BIND_PASSWORD=... smbench users provision --ldap ldaps://dc1.corp.example --ca-file corp-ca.pem \\
      --bind admin@corp.example --ou smbench --count 5000 --prefix sbu --group FileBench -o users.csv
  smbench users provision --lab --grant-share --count 200
  smbench users deprovision --lab`;

export const usersCommand: CliCommand = {
  name: 'users',
  summary: 'provision/deprovision load-test users in Active Directory over LDAPS',
  usage: USAGE,
  async run(argv) {
    const [action, ...rest] = argv;
    switch (action) {
      case 'provision':
        return provision(rest);
      case 'deprovision':
        return deprovision(rest);
      default:
        throw usageError(
          action === undefined
            ? 'users needs an action: provision or deprovision'
            : `unknown users action ${JSON.stringify(action)}`,
        );
    }
  },
};

async function provision(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, PROVISION_FLAGS, { maxPositionals: 0 });
  const count = intFlag(flags.count, 'count', { min: 1, max: 100_000 });
  if (count === undefined) throw usageError('--count is required');
  const lab = await labState(flags);
  if (flags['grant-share'] && lab === undefined) {
    throw usageError(
      '--grant-share needs --lab; for another server pass --group with the group its share admits',
    );
  }
  const group = flags.group ?? (flags['grant-share'] ? lab?.shareGroup : undefined);
  const usersFile = resolve(flags.out ?? DEFAULT_USERS_FILE);
  const progress = progressReporter(flags.quiet || flags.json, 'provisioned');
  const result = await provisionUsers({
    connection: await connectionOptions(flags, lab),
    ou: flags.ou ?? 'smbench',
    count,
    prefix: flags.prefix ?? 'sbu',
    start: intFlag(flags.start, 'start', { min: 0 }),
    password: flags.password,
    passwordLength: intFlag(flags['password-length'], 'password-length', { min: 8, max: 256 }),
    passwordNeverExpires: !flags['password-expires'],
    group,
    existing: choiceFlag(flags.existing, 'existing', Object.values(ExistingUserPolicy)),
    concurrency: intFlag(flags.concurrency, 'concurrency', { min: 1, max: 256 }) ?? DEFAULT_CONCURRENCY,
    connections: intFlag(flags.connections, 'connections', { min: 1, max: 64 }) ?? DEFAULT_CONNECTIONS,
    baseDn: flags['base-dn'],
    netbiosDomain: flags.domain,
    upnSuffix: flags['upn-suffix'],
    usersFile,
    manifestFile: resolve(flags.manifest ?? manifestPathFor(usersFile)),
    onProgress: (p) => progress(p.done, p.total),
  });
  progress.finish();
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(describeProvision(result));
  return ExitCode.OK;
}

async function deprovision(argv: readonly string[]): Promise<ExitCode> {
  const { flags } = parseFlags(argv, DEPROVISION_FLAGS, { maxPositionals: 0 });
  const lab = await labState(flags);
  const usersFile = resolve(flags.out ?? DEFAULT_USERS_FILE);
  const manifestFile = resolve(flags.manifest ?? manifestPathFor(usersFile));
  const manifest = await readManifest(manifestFile);
  const progress = progressReporter(flags.quiet || flags.json, 'deleted');
  const result = await deprovisionUsers({
    connection: await connectionOptions(
      { ...flags, ldap: flags.ldap ?? (lab === undefined ? manifest.ldapUrl : undefined) },
      lab,
    ),
    manifest,
    manifestFile,
    concurrency: intFlag(flags.concurrency, 'concurrency', { min: 1, max: 256 }) ?? DEFAULT_CONCURRENCY,
    connections: intFlag(flags.connections, 'connections', { min: 1, max: 64 }) ?? DEFAULT_CONNECTIONS,
    onProgress: (p) => progress(p.done, p.total),
  });
  progress.finish();
  if (!flags['keep-files']) {
    await rm(manifestFile, { force: true });
    if (flags.manifest === undefined) await rm(usersFile, { force: true });
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(
      `deleted ${result.usersDeleted} user(s)` +
        (result.usersMissing > 0 ? ` (${result.usersMissing} already gone)` : '') +
        (result.membershipsRemoved > 0 ? `, removed ${result.membershipsRemoved} group membership(s)` : '') +
        (result.groupDeleted ? ', deleted the group' : '') +
        (result.ouDeleted
          ? `, deleted ${manifest.ou.dn}`
          : result.ouKeptReason
            ? `; kept ${manifest.ou.dn}: ${result.ouKeptReason}`
            : '') +
        ` in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
    );
  }
  return ExitCode.OK;
}

type ConnectionFlags = ParsedFlags<typeof CONNECTION_FLAGS>;

async function labState(flags: ConnectionFlags): Promise<AdLabState | undefined> {
  if (!flags.lab && flags['lab-state'] === undefined) return undefined;
  const path = resolve(flags['lab-state'] ?? DEFAULT_AD_LAB_STATE_PATH);
  const state = await readAdLabState(path);
  if (state === undefined) {
    throw new SmbBenchError(ErrorCode.USAGE, `no AD lab state at ${path}: run "smbench lab up --ad" first`);
  }
  return state;
}

async function connectionOptions(
  flags: ConnectionFlags,
  lab: AdLabState | undefined,
): Promise<LdapConnectOptions> {
  const url = flags.ldap ?? (lab === undefined ? undefined : `ldaps://${lab.host}:${lab.ldapsPort}`);
  if (url === undefined) throw usageError('--ldap URL is required (or --lab)');
  const bindDn = flags.bind ?? (lab === undefined ? undefined : `${lab.adminUser}@${lab.realm}`);
  if (bindDn === undefined) throw usageError('--bind is required (or --lab)');
  const bindPassword = await bindPasswordFrom(flags, flags.bind === undefined ? lab : undefined);
  const caFiles = flags['ca-file'].length > 0 ? flags['ca-file'] : lab === undefined ? [] : [lab.caPath];
  const tlsServerName =
    flags['tls-server-name'] ??
    (lab !== undefined && flags.ldap === undefined ? lab.tlsServerName : undefined);
  if (flags['insecure-tls'])
    process.stderr.write('smbench: warning: --insecure-tls: the LDAPS certificate is not verified\n');
  return {
    url,
    bindDn,
    bindPassword,
    caFiles,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
    insecureTls: flags['insecure-tls'],
    startTls: flags.starttls,
  };
}

async function bindPasswordFrom(flags: ConnectionFlags, lab: AdLabState | undefined): Promise<string> {
  const file = flags['bind-password-file'];
  if (file !== undefined) {
    try {
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (cause) {
      throw new SmbBenchError(
        ErrorCode.USAGE,
        `cannot read --bind-password-file ${file}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  const env = process.env[BIND_PASSWORD_ENV];
  if (env !== undefined && env !== '') return env;
  if (lab !== undefined) return lab.adminPassword;
  throw usageError(`no bind password: set ${BIND_PASSWORD_ENV} or pass --bind-password-file`);
}

export function manifestPathFor(usersFile: string): string {
  return `${usersFile.replace(/\.csv$/i, '')}.manifest.json`;
}

interface ProgressReporter {
  (done: number, total: number): void;
  finish(): void;
}

/** On a TTY one line rewritten in place; elsewhere a line per 10% so CI logs stay short. */
function progressReporter(silent: boolean, verb: string): ProgressReporter {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastDecile = 0;
  let drawn = false;
  const report = ((done: number, total: number) => {
    if (silent) return;
    const now = Date.now();
    if (tty) {
      if (now - lastDraw < 200 && done < total) return;
      lastDraw = now;
      drawn = true;
      process.stderr.write(`\r\x1b[2K${verb} ${done}/${total}`);
      return;
    }
    const decile = Math.floor((done * 10) / total);
    if (decile > lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${verb} ${done}/${total}\n`);
    }
  }) as ProgressReporter;
  report.finish = () => {
    if (drawn) process.stderr.write('\n');
  };
  return report;
}

function describeProvision(r: ProvisionResult): string {
  const lines = [
    `users: ${r.created} created, ${r.reset} reset, ${r.skipped} skipped (of ${r.total}) in ${(r.elapsedMs / 1000).toFixed(1)} s` +
      ` (add/reset latency p50 ${r.latencyMs.p50.toFixed(0)} ms, p95 ${r.latencyMs.p95.toFixed(0)} ms)`,
    `  ou:       ${r.ouDn}${r.ouCreated ? ' (created)' : ''}`,
  ];
  if (r.groupDn !== undefined) {
    lines.push(
      `  group:    ${r.groupDn}${r.groupCreated ? ' (created)' : ''}, ${r.addedToGroup} membership(s) added`,
    );
  }
  lines.push(`  users:    ${r.usersFile} (${r.written} accounts, domain ${r.directory.netbiosDomain})`);
  lines.push(`  manifest: ${r.manifestFile}`);
  if (r.withoutPassword.length > 0) {
    lines.push(
      `  warning:  ${r.withoutPassword.length} existing user(s) left out of the users file (password unknown), e.g. ` +
        `${r.withoutPassword.slice(0, 3).join(', ')}; rerun with --existing reset to include them`,
    );
  }
  return `${lines.join('\n')}\n`;
}
