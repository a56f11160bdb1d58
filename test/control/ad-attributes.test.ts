import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GroupType,
  UserAccountControl,
  encodeUnicodePwd,
  groupAttributes,
  memberChange,
  passwordResetChange,
  samAccountNameProblem,
  userAttributes,
} from '../../src/control/ad-attributes.js';

function values(attrs: ReturnType<typeof userAttributes>, type: string): (string | Buffer)[] {
  return attrs.find((a) => a.type === type)?.values ?? [];
}

test('unicodePwd is the quoted password in UTF-16LE (MS-ADTS 3.1.1.3.1.5.1)', () => {
  assert.deepEqual(
    encodeUnicodePwd('Ab1!'),
    Buffer.from([0x22, 0, 0x41, 0, 0x62, 0, 0x31, 0, 0x21, 0, 0x22, 0]),
  );
  assert.deepEqual(encodeUnicodePwd('é'), Buffer.from([0x22, 0, 0xe9, 0, 0x22, 0]));
});

test('a user is created enabled, with its password, in one add', () => {
  const attrs = userAttributes({
    samAccountName: 'sbu0001',
    userPrincipalName: 'sbu0001@smbench.test',
    password: 'Pw-12345',
    passwordNeverExpires: true,
  });
  assert.deepEqual(values(attrs, 'objectClass'), ['top', 'person', 'organizationalPerson', 'user']);
  assert.deepEqual(values(attrs, 'sAMAccountName'), ['sbu0001']);
  assert.deepEqual(values(attrs, 'userPrincipalName'), ['sbu0001@smbench.test']);
  // 0x200 NORMAL_ACCOUNT | 0x10000 DONT_EXPIRE_PASSWD = 66048; no ACCOUNTDISABLE bit.
  assert.deepEqual(values(attrs, 'userAccountControl'), ['66048']);
  assert.deepEqual(values(attrs, 'unicodePwd'), [encodeUnicodePwd('Pw-12345')]);
  const expiring = userAttributes({
    samAccountName: 'x',
    userPrincipalName: 'x@y',
    password: 'p',
    passwordNeverExpires: false,
  });
  assert.deepEqual(values(expiring, 'userAccountControl'), [String(UserAccountControl.UF_NORMAL_ACCOUNT)]);
});

test('groups are global security groups (groupType as a signed 32-bit integer)', () => {
  const attrs = groupAttributes('BenchUsers', 'd');
  assert.deepEqual(values(attrs, 'groupType'), ['-2147483646']);
  assert.equal(GroupType.GROUP_TYPE_SECURITY_ENABLED | GroupType.GROUP_TYPE_ACCOUNT_GROUP | 0, -2147483646);
});

test('password reset and membership changes', () => {
  const reset = passwordResetChange('New-Pass-1');
  assert.equal(reset.operation, 'replace');
  assert.equal(reset.modification.type, 'unicodePwd');
  const add = memberChange('add', ['CN=a,DC=x', 'CN=b,DC=x']);
  assert.equal(add.operation, 'add');
  assert.deepEqual(add.modification.values, ['CN=a,DC=x', 'CN=b,DC=x']);
});

test('sAMAccountName rules', () => {
  assert.equal(samAccountNameProblem('sbu0001'), undefined);
  assert.match(samAccountNameProblem('a'.repeat(21)) ?? '', /longer than 20/);
  assert.match(samAccountNameProblem('a/b') ?? '', /forbids/);
  assert.match(samAccountNameProblem('a@b') ?? '', /forbids/);
  assert.match(samAccountNameProblem('') ?? '', /empty/);
  assert.match(samAccountNameProblem('abc.') ?? '', /period/);
});
