import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aes128CtsHmacSha1, aes256CtsHmacSha1 } from '../../../../src/auth/kerberos/crypto/aes-profile.js';
import { aesIterations } from '../../../../src/auth/kerberos/crypto/aes-string-to-key.js';
import { KerberosIntegrityError } from '../../../../src/auth/kerberos/crypto/etype.js';
import { profileFor } from '../../../../src/auth/kerberos/crypto/profiles.js';
import { rc4Hmac } from '../../../../src/auth/kerberos/crypto/rc4-hmac-profile.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const iterations = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** RFC 3962 appendix B string-to-key vectors: [iterations, password, salt, AES-128 key, AES-256 key]. */
const S2K: readonly [number, string, string, string, string][] = [
  [
    1,
    'password',
    'ATHENA.MIT.EDUraeburn',
    '42263c6e89f4fc28b8df68ee09799f15',
    'fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161',
  ],
  [
    2,
    'password',
    'ATHENA.MIT.EDUraeburn',
    'c651bf29e2300ac27fa469d693bdda13',
    'a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff',
  ],
  [
    1200,
    'password',
    'ATHENA.MIT.EDUraeburn',
    '4c01cd46d632d01e6dbe230a01ed642a',
    '55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a',
  ],
  [
    1200,
    'X'.repeat(64),
    'pass phrase equals block size',
    '59d1bb789a828b1aa54ef9c2883f69ed',
    '89adee3608db8bc71f1bfbfe459486b05618b70cbae22092534e56c553ba4b34',
  ],
];

for (const [count, password, salt, key128, key256] of S2K) {
  test(`AES string-to-key RFC 3962 B, ${count} iterations, salt "${salt}"`, async () => {
    const params = iterations(count);
    assert.equal((await aes128CtsHmacSha1.stringToKey(password, salt, params)).toString('hex'), key128);
    assert.equal((await aes256CtsHmacSha1.stringToKey(password, salt, params)).toString('hex'), key256);
  });
}

test('AES s2kparams: 4096 by default, refuses absurd counts', () => {
  assert.equal(aesIterations(undefined), 4096);
  assert.equal(aesIterations(iterations(5)), 5);
  assert.throws(() => aesIterations(iterations(0)), RangeError);
  assert.throws(() => aesIterations(Buffer.alloc(2)), RangeError);
});

test('RC4-HMAC string-to-key is the NT hash', async () => {
  assert.equal(
    (await rc4Hmac.stringToKey('password', 'ignored')).toString('hex'),
    '8846f7eaee8fb117ad06bdd830b7586c',
  );
});

/** Known ciphertexts from MIT krb5's t_decrypt.c: [etype, plaintext, usage, key, ciphertext]. */
const DECRYPT: readonly [number, string, number, string, string][] = [
  [17, '', 0, '5a5c0f0ba54f3828b2195e66ca24a289', '49ff8e11c173d9583a3254fbe7b1f1df36c538e8416784a1672e6676'],
  [
    17,
    '13 bytes byte',
    3,
    '033ee6502c54fd23e27791e987983827',
    'ec366d0327a933bf49330e650e49bc6b974637fe80bf532fe51795b4809718e6194724db948d1fd637',
  ],
  [
    17,
    '30 bytes bytes bytes bytes byt',
    4,
    'dceeb70b3de76562e689226c76429148',
    'c96081032d5d8eeb7e32b4089f789d0faa481dea74c0f97cbf3146ddfcf8e800156ecb532fc203e30ff600b63b350939fece510f02d7ff1e7bac',
  ],
  [
    18,
    '13 bytes byte',
    3,
    'e5a72be9b7926c1225bafef9c1872e7ba4cdb2b17893d84abd90acdd8764d966',
    'd8f1aafeec84587cc3e700a774e56651a6d693e174ec4473b5e6d96f80297a653fb818ad893e719f96',
  ],
  [
    18,
    '30 bytes bytes bytes bytes byt',
    4,
    'f1c795e9248a09338d82c3f8d5b567040b0110736845041347235b1404231398',
    'd1137a4d634cfece924dbc3bf6790648bd5cff7de0e7b99460211d0daef3d79a295c688858f3b34b9cbd6eebae81daf6b734d4d498b6714f1c1d',
  ],
  [
    23,
    '9 bytesss',
    2,
    '3e40ab6093695281b3ac1a9304224d98',
    '0f9ad121d99d4a09448e4f1f718c4f5cbe6096262c66f29df232a87c9f98755d55',
  ],
  [
    23,
    '13 bytes byte',
    3,
    '4ba2fbf0379faed87a254d3b353d5a7e',
    '612c57568b17a70352bae8cf26fb9459a6f3353cd35fd439db3107cbec765d326dfc04c1dd',
  ],
  [
    23,
    '30 bytes bytes bytes bytes byt',
    4,
    '68f263db3fce15d031c9eab02d67107a',
    '95f9047c3ad75891c2e9b04b16566dc8b6eb9ce4231afb2542ef87a7b5a0f260a99f0460508de0cecc632d07c354124e46c5d2234eb8',
  ],
];

for (const [etype, plain, usage, key, cipher] of DECRYPT) {
  test(`decrypts MIT known ciphertext: etype ${etype}, usage ${usage}, "${plain}"`, () => {
    const profile = profileFor(etype);
    assert.equal(profile.decrypt(hex(key), usage, hex(cipher)).toString('latin1'), plain);
    // Any other usage derives different keys, so the integrity check must fail.
    assert.throws(() => profile.decrypt(hex(key), usage + 1, hex(cipher)), KerberosIntegrityError);
  });
}

/** Known checksums from MIT krb5's t_cksums.c: [etype, plaintext, usage, key, checksum]. */
const CHECKSUMS: readonly [number, string, number, string, string][] = [
  [
    17,
    'eight nine ten eleven twelve thirteen',
    3,
    '9062430c8cda3388922e6d6a509f5b7a',
    '01a4b088d45628f6946614e3',
  ],
  [
    18,
    'fourteen',
    4,
    'b1ae4cd8462aff1677053cc9279aac30b796fb81ce21474dd3ddbcfea4ec76d7',
    'e08739e3279e2903ec8e3836',
  ],
  [
    23,
    'seventeen eighteen nineteen twenty',
    6,
    'f7d3a155af5e238a0b7a871a96ba2ab2',
    'eb38cc97e2230f59da4117dc5859d7ec',
  ],
];

for (const [etype, plain, usage, key, checksum] of CHECKSUMS) {
  test(`checksum matches MIT known value: etype ${etype}, usage ${usage}`, () => {
    const profile = profileFor(etype);
    assert.equal(profile.checksum(hex(key), usage, Buffer.from(plain, 'latin1')).toString('hex'), checksum);
  });
}

test('encrypt/decrypt round-trips for every profile with fresh confounders', () => {
  for (const profile of [aes128CtsHmacSha1, aes256CtsHmacSha1, rc4Hmac]) {
    const key = profile.randomKey();
    for (const size of [0, 1, 15, 16, 17, 100]) {
      const plain = Buffer.alloc(size, 0x5a);
      const a = profile.encrypt(key, 11, plain);
      const b = profile.encrypt(key, 11, plain);
      assert.notDeepEqual(a, b);
      assert.deepEqual(profile.decrypt(key, 11, a), plain);
    }
  }
});

test('a flipped ciphertext bit fails the integrity check', () => {
  const key = aes256CtsHmacSha1.randomKey();
  const c = aes256CtsHmacSha1.encrypt(key, 1, Buffer.from('timestamp'));
  c[3]! ^= 1;
  assert.throws(() => aes256CtsHmacSha1.decrypt(key, 1, c), KerberosIntegrityError);
});
