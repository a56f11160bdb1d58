import type { Smb2Header } from '../smb2/header.js';

/** A decoded response: the header, the NT status and the command body. */
export interface Reply<Res> {
  readonly header: Smb2Header;
  readonly status: number;
  readonly body: Res;
  /** The plaintext message bytes (header + body); used for preauth integrity hashing. */
  readonly raw: Buffer;
}
