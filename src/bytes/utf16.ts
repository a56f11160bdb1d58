/** SMB2 strings are UTF-16LE without terminator (MS-SMB2 2.2). */
export function utf16(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

export function fromUtf16(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf16le');
}

export function utf16Length(s: string): number {
  return s.length * 2;
}
