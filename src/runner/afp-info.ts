/**
 * The `AFP_AfpInfo` stream macOS clients keep Finder metadata in (Apple's "AFP over SMB", as
 * implemented by Samba's vfs_fruit(8)). Servers check its content: Samba refuses a write whose
 * signature or version is wrong, and deletes the stream when its FinderInfo is all zero, so prepare
 * cannot fill it with filler bytes like any other stream.
 */
export const AFP_INFO_STREAM = 'AFP_AfpInfo';
/** AfpInfo is always 60 bytes: signature, version, reserved, backup time, FinderInfo[32], ProDOS[6], reserved[6]. */
export const AFP_INFO_SIZE = 60;

export function isAfpInfoStream(name: string): boolean {
  return name.toLowerCase() === AFP_INFO_STREAM.toLowerCase();
}

/** Bytes [offset, offset + length) of a valid AfpInfo, zero beyond its 60 bytes (a recorded write without data). */
export function afpInfoPayload(offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  afpInfoBlob().copy(out, 0, Math.min(offset, AFP_INFO_SIZE));
  return out;
}

/** A valid AfpInfo (big-endian fields) whose FinderInfo says type and creator "????" (unknown). */
export function afpInfoBlob(): Buffer {
  const b = Buffer.alloc(AFP_INFO_SIZE);
  b.write('AFP\0', 0, 'latin1');
  b.writeUInt32BE(0x00000100, 4);
  // "Never backed up".
  b.writeUInt32BE(0x80000000, 12);
  b.write('????????', 16, 'latin1');
  return b;
}

/** Signature "AFP\0" and version 1.0, the two fields servers check (vfs_fruit's afpinfo_unpack). */
export function isValidAfpInfo(b: Buffer): boolean {
  return (
    b.length >= AFP_INFO_SIZE && b.toString('latin1', 0, 4) === 'AFP\0' && b.readUInt32BE(4) === 0x00000100
  );
}
