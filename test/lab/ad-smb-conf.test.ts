import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adLabLayout } from '../../src/lab/ad-layout.js';
import { renderAdKrb5Conf } from '../../src/lab/ad-krb5-conf.js';
import { AD_SERVER_SERVICES, renderAdSmbConf } from '../../src/lab/ad-smb-conf.js';
import type { AdSmbConfInput } from '../../src/lab/ad-smb-conf.js';
import { SmbBenchError } from '../../src/errors/smbench-error.js';

const layout = adLabLayout('/tmp/smbench-ad-x');
const input: AdSmbConfInput = {
  layout,
  host: '127.9.8.7',
  smbPort: 40001,
  kdcPort: 40002,
  kpasswdPort: 40003,
  share: { name: 'bench', path: '/tmp/smbench-ad-x/shares/bench', group: 'BenchUsers' },
};

/** name -> value per section, as Samba would read it. */
function parse(conf: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of conf.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1]!, (current = new Map()));
    const param = /^\t([^=]+?) = (.*)$/.exec(line);
    if (param && current) current.set(param[1]!, param[2]!);
  }
  return sections;
}

test('the DC binds only its loopback address, on the ports it was given', () => {
  const global = parse(renderAdSmbConf(input)).get('global')!;
  assert.equal(global.get('server role'), 'active directory domain controller');
  assert.equal(global.get('realm'), 'SMBENCH.TEST');
  assert.equal(global.get('workgroup'), 'SMBENCH');
  assert.equal(global.get('interfaces'), '127.9.8.7/8');
  assert.equal(global.get('bind interfaces only'), 'yes');
  assert.equal(global.get('smb ports'), '40001');
  assert.equal(global.get('krb5 port'), '40002');
  assert.equal(global.get('kpasswd port'), '40003');
  assert.equal(global.get('server services'), AD_SERVER_SERVICES.join(', '));
  assert.ok(!AD_SERVER_SERVICES.includes('dns' as never));
});

test('every state path points into the lab directory', () => {
  const global = parse(renderAdSmbConf(input)).get('global')!;
  for (const key of [
    'private dir',
    'state directory',
    'cache directory',
    'lock directory',
    'pid directory',
    'ncalrpc dir',
  ]) {
    assert.ok(global.get(key)?.startsWith('/tmp/smbench-ad-x/'), `${key} = ${global.get(key)}`);
  }
});

test('the share admits only the share group and is writable', () => {
  const share = parse(renderAdSmbConf(input)).get('bench')!;
  assert.equal(share.get('valid users'), '+SMBENCH\\BenchUsers');
  assert.equal(share.get('read only'), 'no');
  assert.equal(share.get('path'), '/tmp/smbench-ad-x/shares/bench');
  const sections = parse(renderAdSmbConf(input));
  assert.ok(sections.has('sysvol') && sections.has('netlogon'));
});

test('extra global options come last so they win', () => {
  const conf = renderAdSmbConf({ ...input, extraGlobal: { 'ldb:nosync': 'false', 'log level': '3' } });
  const lines = conf.split('\n');
  assert.ok(lines.lastIndexOf('\tldb:nosync = false') > lines.indexOf('\tldb:nosync = true'));
});

test('a newline in a value cannot inject configuration', () => {
  assert.throws(
    () => renderAdSmbConf({ ...input, share: { ...input.share, group: 'x\n[evil]' } }),
    SmbBenchError,
  );
});

test('krb5.conf points at the lab KDC without DNS', () => {
  const conf = renderAdKrb5Conf({ host: '127.9.8.7', kdcPort: 40002, kpasswdPort: 40003 });
  assert.match(conf, /default_realm = SMBENCH\.TEST/);
  assert.match(conf, /kdc = 127\.9\.8\.7:40002/);
  assert.match(conf, /kpasswd_server = 127\.9\.8\.7:40003/);
  assert.match(conf, /dns_lookup_kdc = false/);
  assert.match(conf, /rdns = false/);
  assert.match(conf, /\.smbench\.test = SMBENCH\.TEST/);
});
