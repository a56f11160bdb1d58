import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dnsDomainOfDn,
  escapeDnValue,
  escapeFilterValue,
  firstRdnValue,
  isDnUnder,
  normalizeDn,
  resolveOuDn,
  sameDn,
  splitDn,
} from '../../src/control/ldap-escape.js';

test('DN values are escaped per RFC 4514 2.4', () => {
  assert.equal(escapeDnValue('plain'), 'plain');
  assert.equal(escapeDnValue('a,b+c"d\\e<f>g;h=i'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
  assert.equal(escapeDnValue(' lead'), '\\ lead');
  assert.equal(escapeDnValue('#hash'), '\\#hash');
  assert.equal(escapeDnValue('trail '), 'trail\\ ');
  assert.equal(escapeDnValue('in#side'), 'in#side');
  assert.equal(escapeDnValue('nul\0'), 'nul\\00');
});

test('filter values are escaped per RFC 4515 3', () => {
  assert.equal(escapeFilterValue('sbu*'), 'sbu\\2a');
  assert.equal(escapeFilterValue('a(b)c\\d'), 'a\\28b\\29c\\5cd');
  assert.equal(escapeFilterValue('x\0'), 'x\\00');
});

test('DNs split at unescaped commas only', () => {
  assert.deepEqual(splitDn('CN=a\\,b,OU=x , DC=test'), ['CN=a\\,b', 'OU=x', 'DC=test']);
  assert.deepEqual(splitDn(''), []);
});

test('DN comparison ignores case and spacing', () => {
  assert.ok(
    sameDn('CN=Sbu0001,OU=Smbench,DC=smbench,DC=test', 'cn=sbu0001, ou=smbench, dc=SMBENCH, dc=TEST'),
  );
  assert.ok(!sameDn('CN=a,DC=test', 'CN=b,DC=test'));
  assert.equal(normalizeDn('OU = X ,DC=Y'), 'ou=x,dc=y');
  assert.ok(isDnUnder('CN=u,OU=smbench,DC=smbench,DC=test', 'ou=SMBENCH,dc=smbench,dc=test'));
  assert.ok(!isDnUnder('CN=u,OU=other,DC=smbench,DC=test', 'OU=smbench,DC=smbench,DC=test'));
});

test('OU names resolve under the base DN; full DNs pass through', () => {
  assert.equal(resolveOuDn('smbench', 'DC=smbench,DC=test'), 'OU=smbench,DC=smbench,DC=test');
  assert.equal(resolveOuDn('a,b', 'DC=x'), 'OU=a\\,b,DC=x');
  assert.equal(resolveOuDn('OU=load,OU=tests,DC=x', 'DC=y'), 'OU=load,OU=tests,DC=x');
  assert.equal(firstRdnValue('OU=a\\,b,DC=x'), 'a,b');
  assert.equal(firstRdnValue('CN=x\\2ay,DC=x'), 'x*y');
  assert.equal(dnsDomainOfDn('OU=x,DC=Corp,DC=Example,DC=com'), 'corp.example.com');
});
