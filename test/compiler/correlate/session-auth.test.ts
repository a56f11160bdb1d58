import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeNegTokenInit } from '../../../src/auth/spnego/neg-token-init.js';
import { DerTag, encodeTlv, contextTag } from '../../../src/auth/spnego/der.js';
import { encodeOid, MechOid } from '../../../src/auth/spnego/oid.js';
import { sessionAuthFromToken } from '../../../src/compiler/correlate/session-auth.js';
import { ntlmAuthenticateToken } from '../support/smb-script.js';

/** A GSS-wrapped KRB_AP_REQ with just enough structure: realm and an opaque ticket (RFC 4120 5.3). */
function kerberosToken(realm: string, ticketBytes: Buffer, authenticator: Buffer): Buffer {
  const ticket = encodeTlv(
    0x61,
    encodeTlv(
      DerTag.SEQUENCE,
      encodeTlv(contextTag(0), encodeTlv(0x02, Buffer.from([5]))),
      encodeTlv(contextTag(1), encodeTlv(DerTag.GENERAL_STRING, Buffer.from(realm))),
      encodeTlv(contextTag(3), encodeTlv(DerTag.OCTET_STRING, ticketBytes)),
    ),
  );
  const apReq = encodeTlv(
    0x6e,
    encodeTlv(
      DerTag.SEQUENCE,
      encodeTlv(contextTag(0), encodeTlv(0x02, Buffer.from([5]))),
      encodeTlv(contextTag(1), encodeTlv(0x02, Buffer.from([14]))),
      encodeTlv(contextTag(3), ticket),
      encodeTlv(contextTag(4), encodeTlv(DerTag.OCTET_STRING, authenticator)),
    ),
  );
  return encodeTlv(DerTag.APPLICATION_0, encodeOid(MechOid.KRB5), Buffer.from([1, 0]), apReq);
}

describe('sessionAuthFromToken', () => {
  test('NTLM AUTHENTICATE, raw and inside SPNEGO', () => {
    assert.deepEqual(sessionAuthFromToken(ntlmAuthenticateToken('CORP', 'eve', false)), {
      mechanism: 'ntlm',
      name: 'CORP\\eve',
    });
    assert.deepEqual(sessionAuthFromToken(ntlmAuthenticateToken('CORP', 'eve', true)), {
      mechanism: 'ntlm',
      name: 'CORP\\eve',
    });
    assert.deepEqual(sessionAuthFromToken(ntlmAuthenticateToken('', '', false)), {
      mechanism: 'anonymous',
      name: 'ANONYMOUS',
    });
  });

  test('Kerberos: the same ticket gives the same synthetic name whatever the authenticator', () => {
    const ticket = Buffer.alloc(64, 7);
    const wrap = (authenticator: Buffer) =>
      encodeNegTokenInit({
        mechTypes: [MechOid.KRB5, MechOid.NTLMSSP],
        mechToken: kerberosToken('EXAMPLE.COM', ticket, authenticator),
      });
    const a = sessionAuthFromToken(wrap(Buffer.alloc(30, 1)));
    const b = sessionAuthFromToken(wrap(Buffer.alloc(30, 2)));
    assert.equal(a.mechanism, 'kerberos');
    assert.match(a.name ?? '', /^EXAMPLE\.COM\\krb5-[0-9a-f]{12}$/);
    assert.equal(a.name, b.name);
    const c = sessionAuthFromToken(
      encodeNegTokenInit({
        mechTypes: [MechOid.KRB5],
        mechToken: kerberosToken('EXAMPLE.COM', Buffer.alloc(64, 8), Buffer.alloc(3)),
      }),
    );
    assert.notEqual(c.name, a.name);
  });

  test('NTLM NEGOTIATE names nobody yet; garbage throws a protocol error', () => {
    const negotiate = Buffer.from('NTLMSSP\0\x01\0\0\0\0\0\0\0', 'latin1');
    assert.deepEqual(sessionAuthFromToken(negotiate), { mechanism: 'ntlm', name: undefined });
    assert.throws(
      () => sessionAuthFromToken(Buffer.from([0x99, 1, 2])),
      (e: Error & { code?: string }) => e.code === 'ERR_SMB_PROTOCOL',
    );
  });
});
