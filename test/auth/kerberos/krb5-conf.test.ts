import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKrb5Conf } from '../../../src/auth/kerberos/krb5-conf.js';
import { parseKdcEndpoint } from '../../../src/auth/kerberos/kdc-transport.js';

test('krb5.conf: default_realm and [realms] kdc entries', () => {
  const conf = parseKrb5Conf(`
# comment
[libdefaults]
    default_realm = smbench.test
    dns_lookup_kdc = false

[realms]
    SMBENCH.TEST = {
        kdc = 127.0.0.5:10088
        kdc = dc2.smbench.test
        admin_server = 127.0.0.5
        auth_to_local = {
            kdc = ignored:1
        }
    }
    OTHER.TEST = {
        kdc = [::1]:88
    }
[domain_realm]
    .smbench.test = SMBENCH.TEST
`);
  assert.equal(conf.defaultRealm, 'SMBENCH.TEST');
  assert.deepEqual(conf.realms.get('SMBENCH.TEST'), ['127.0.0.5:10088', 'dc2.smbench.test']);
  assert.deepEqual(conf.realms.get('OTHER.TEST'), ['[::1]:88']);
});

test('KDC endpoints: host, host:port, [v6]:port', () => {
  assert.deepEqual(parseKdcEndpoint('dc1'), { host: 'dc1', port: 88 });
  assert.deepEqual(parseKdcEndpoint(' 127.0.0.5:10088 '), { host: '127.0.0.5', port: 10088 });
  assert.deepEqual(parseKdcEndpoint('[::1]:750'), { host: '::1', port: 750 });
  assert.deepEqual(parseKdcEndpoint('::1'), { host: '::1', port: 88 });
});
