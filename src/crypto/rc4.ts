/**
 * RC4 stream cipher. MS-NLMP uses it twice: once-off to encrypt the exported session key with the
 * KeyExchangeKey (3.1.5.1.2, KEY_EXCH), and as a keystream that persists across messages for
 * sealing and for the checksum of signatures (3.4.3, 3.4.4.2). OpenSSL 3 exposes RC4 only through
 * the legacy provider, so it is implemented here; the data involved is tiny.
 */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** Key-scheduling algorithm; `key` must be 1..256 bytes. */
  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256)
      throw new RangeError(`RC4 key length ${key.length} not in 1..256`);
    const s = this.s;
    for (let n = 0; n < 256; n++) s[n] = n;
    let j = 0;
    for (let n = 0; n < 256; n++) {
      const sn = s[n]!;
      j = (j + sn + key[n % key.length]!) & 0xff;
      s[n] = s[j]!;
      s[j] = sn;
    }
  }

  /**
   * XORs `data` with the next data.length keystream bytes into a new Buffer. The cipher state
   * advances, so successive calls continue one stream (as NTLM sealing requires).
   */
  update(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      const sj = s[j]!;
      s[i] = sj;
      s[j] = si;
      out[n] = data[n]! ^ s[(si + sj) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4(key, data) with a fresh keystream; RC4 is its own inverse. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
