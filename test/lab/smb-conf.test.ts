import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encryptParameterFor, renderSmbConf } from '../../src/lab/smb-conf.js';
import type { SmbConfInput } from '../../src/lab/smb-conf.js';
import { labLayout } from '../../src/lab/lab-layout.js';
import { SmbBenchError, ErrorCode } from '../../src/errors/smbench-error.js';

const layout = labLayout('/tmp/smbench-lab-x');

function input(overrides: Partial<SmbConfInput> = {}): SmbConfInput {
  return {
    layout,
    port: 40123,
    shares: [
      {
        name: 'bench',
        path: '/tmp/smbench-lab-x/shares/bench',
        encrypt: undefined,
        extra: {},
        streams: true,
      },
    ],
    encryptParameter: 'server smb encrypt',
    ...overrides,
  };
}

/** section name -> parameter -> value (the last one wins, as in Samba). */
function parse(conf: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of conf.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1]!, (current = new Map()));
    else if (line.includes('=') && current) {
      const eq = line.indexOf('=');
      current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  return sections;
}

test('global section pins the server to loopback, the chosen port and the lab directory', () => {
  const global = parse(renderSmbConf(input())).get('global')!;
  assert.equal(global.get('interfaces'), '127.0.0.1');
  assert.equal(global.get('bind interfaces only'), 'yes');
  assert.equal(global.get('smb ports'), '40123');
  assert.equal(global.get('disable netbios'), 'yes');
  assert.equal(global.get('server role'), 'standalone server');
  assert.equal(global.get('passdb backend'), 'tdbsam:/tmp/smbench-lab-x/private/passdb.tdb');
  for (const key of [
    'private dir',
    'lock directory',
    'state directory',
    'cache directory',
    'pid directory',
    'ncalrpc dir',
  ]) {
    assert.ok(global.get(key)?.startsWith('/tmp/smbench-lab-x/'), `${key} = ${global.get(key)}`);
  }
  assert.equal(global.get('map to guest'), 'never');
  assert.equal(global.get('load printers'), 'no');
  // Prerequisites for durable handles (smb.conf(5) "durable handles").
  assert.equal(global.get('kernel oplocks'), 'no');
  assert.equal(global.get('kernel share modes'), 'no');
  assert.equal(global.get('posix locking'), 'no');
});

test('unset security options are left to Samba defaults', () => {
  const global = parse(renderSmbConf(input())).get('global')!;
  for (const key of ['server min protocol', 'server max protocol', 'server signing', 'server smb encrypt']) {
    assert.equal(global.has(key), false, key);
  }
  assert.equal(
    parse(renderSmbConf(input({ encrypt: 'default' })))
      .get('global')!
      .has('server smb encrypt'),
    false,
  );
});

test('protocol range, mandatory signing and global encryption are rendered', () => {
  const global = parse(
    renderSmbConf(
      input({ minProtocol: 'SMB3_00', maxProtocol: 'SMB3_11', signing: 'required', encrypt: 'required' }),
    ),
  ).get('global')!;
  assert.equal(global.get('server min protocol'), 'SMB3_00');
  assert.equal(global.get('server max protocol'), 'SMB3_11');
  assert.equal(global.get('server signing'), 'required');
  assert.equal(global.get('server smb encrypt'), 'required');
});

test('per-share encryption and the pre-4.15 parameter name', () => {
  const conf = renderSmbConf(
    input({
      encryptParameter: 'smb encrypt',
      shares: [
        { name: 'plain', path: '/p', encrypt: undefined, extra: {}, streams: true },
        {
          name: 'secret',
          path: '/s',
          encrypt: 'required',
          extra: { 'vfs objects': 'acl_xattr' },
          streams: false,
        },
      ],
    }),
  );
  const sections = parse(conf);
  assert.deepEqual([...sections.keys()], ['global', 'plain', 'secret']);
  assert.equal(sections.get('plain')!.has('smb encrypt'), false);
  assert.equal(sections.get('secret')!.get('smb encrypt'), 'required');
  assert.equal(sections.get('secret')!.get('vfs objects'), 'acl_xattr');
  assert.equal(sections.get('secret')!.get('path'), '/s');
  assert.equal(sections.get('secret')!.get('read only'), 'no');
});

test('shares serve alternate data streams through fruit and streams_xattr unless told not to', () => {
  const conf = renderSmbConf(
    input({
      shares: [
        { name: 'streams', path: '/a', encrypt: undefined, extra: {}, streams: true },
        { name: 'nostreams', path: '/b', encrypt: undefined, extra: {}, streams: false },
      ],
    }),
  );
  const sections = parse(conf);
  assert.equal(sections.get('streams')!.get('vfs objects'), 'fruit streams_xattr');
  assert.equal(sections.get('streams')!.get('fruit:resource'), 'stream');
  assert.equal(sections.get('streams')!.get('fruit:metadata'), 'stream');
  assert.equal(sections.get('streams')!.get('ea support'), 'yes');
  assert.equal(sections.get('nostreams')!.has('vfs objects'), false);
});

test('extra global parameters come last so they override the defaults', () => {
  const conf = renderSmbConf(input({ extraGlobal: { 'smb2 leases': 'no' } }));
  const lines = conf.split('\n').filter((l) => l.includes('smb2 leases'));
  assert.deepEqual(lines, ['\tsmb2 leases = yes', '\tsmb2 leases = no']);
  assert.equal(parse(conf).get('global')!.get('smb2 leases'), 'no');
});

test('values with newlines are rejected instead of injecting config', () => {
  assert.throws(
    () => renderSmbConf(input({ extraGlobal: { 'log level': '1\n[evil]' } })),
    (err: unknown) => err instanceof SmbBenchError && err.code === ErrorCode.USAGE,
  );
  assert.throws(() => renderSmbConf(input({ extraGlobal: { 'a=b': 'c' } })), SmbBenchError);
});

test('encryptParameterFor picks the name by Samba version', () => {
  assert.equal(encryptParameterFor({ major: 4, minor: 17 }), 'server smb encrypt');
  assert.equal(encryptParameterFor({ major: 4, minor: 15 }), 'server smb encrypt');
  assert.equal(encryptParameterFor({ major: 4, minor: 13 }), 'smb encrypt');
  assert.equal(encryptParameterFor({ major: 5, minor: 0 }), 'server smb encrypt');
});
