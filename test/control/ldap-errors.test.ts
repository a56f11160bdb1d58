import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConstraintViolationError, InvalidCredentialsError, StrongAuthRequiredError } from 'ldapts';
import { ErrorCode } from '../../src/errors/smbench-error.js';
import {
  LdapFailure,
  bindFailureReason,
  classifyLdapError,
  describeLdapError,
} from '../../src/control/ldap-errors.js';

function codeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

test("bind failures carry AD's reason", () => {
  const err = new InvalidCredentialsError(
    '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1',
  );
  const described = describeLdapError(err, 'bind as admin');
  assert.equal(described.failure, LdapFailure.BIND_CREDENTIALS);
  assert.equal(described.code, ErrorCode.AUTH);
  assert.equal(described.resultCode, 49);
  assert.match(described.message, /wrong password/);
  assert.equal(described.cause, err);
  assert.equal(bindFailureReason('... data 775, v4563'), 'account locked out');
  assert.equal(bindFailureReason('no data here'), undefined);
});

test('password policy rejections from Samba and Windows', () => {
  const samba = new ConstraintViolationError(
    '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 7 characters!',
  );
  assert.equal(classifyLdapError(samba).failure, LdapFailure.PASSWORD_POLICY);
  const windows = Object.assign(
    new Error('0000052D: SvcErr: DSID-031A120C, problem 5003 (WILL_NOT_PERFORM), data 0'),
    {
      code: 53,
    },
  );
  assert.equal(classifyLdapError(windows).failure, LdapFailure.PASSWORD_POLICY);
  assert.match(describeLdapError(samba, 'add x').message, /password policy/);
});

test('TLS problems point at the right flag', () => {
  const untrusted = describeLdapError(
    codeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
    'bind',
  );
  assert.equal(untrusted.failure, LdapFailure.TLS);
  assert.equal(untrusted.code, ErrorCode.TRANSPORT);
  assert.match(untrusted.message, /--ca-file/);
  const name = describeLdapError(
    codeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
    'bind',
  );
  assert.match(name.message, /--tls-server-name/);
});

test('connection, confidentiality and other failures', () => {
  assert.equal(
    classifyLdapError(codeError('ECONNREFUSED', 'connect ECONNREFUSED')).failure,
    LdapFailure.CONNECT,
  );
  assert.equal(classifyLdapError(codeError('ETIMEDOUT', 'x')).failure, LdapFailure.TIMEOUT);
  const strong = new StrongAuthRequiredError('BindSimple: Transport encryption required.');
  assert.equal(classifyLdapError(strong).failure, LdapFailure.CONFIDENTIALITY_REQUIRED);
  assert.equal(
    classifyLdapError(Object.assign(new Error('x'), { code: 68 })).failure,
    LdapFailure.ALREADY_EXISTS,
  );
  assert.equal(
    classifyLdapError(Object.assign(new Error('x'), { code: 32 })).failure,
    LdapFailure.NO_SUCH_OBJECT,
  );
  assert.equal(
    classifyLdapError(Object.assign(new Error('x'), { code: 50 })).failure,
    LdapFailure.ACCESS_DENIED,
  );
  assert.equal(classifyLdapError(Object.assign(new Error('x'), { code: 80 })).failure, LdapFailure.LDAP);
  assert.equal(classifyLdapError('weird').failure, LdapFailure.LDAP);
});
