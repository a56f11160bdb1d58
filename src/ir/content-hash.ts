/**
 * The workload's content hash: SHA-256 over the exact UTF-8 bytes of every line before the end
 * record, each including its `\n`. Hashing the decompressed lines (not the gzip bytes) makes the
 * identity independent of compression level and zlib version, so re-compressing a workload keeps
 * its id, while any change to what would be replayed changes it.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';

const NEWLINE = Buffer.from('\n');

export class ContentHasher {
  private readonly hash: Hash = createHash('sha256');

  /** Adds text that already ends in `\n` (one or more whole lines). */
  addText(text: string): void {
    this.hash.update(text, 'utf8');
  }

  /** Adds raw bytes: whole lines with their `\n`s. */
  addBytes(bytes: Buffer): void {
    this.hash.update(bytes);
  }

  /** Adds one line given without its `\n`. */
  addLine(line: Buffer): void {
    this.hash.update(line);
    this.hash.update(NEWLINE);
  }

  /** Lowercase hex digest; the hasher cannot be used afterwards. */
  hex(): string {
    return this.hash.digest('hex');
  }
}
