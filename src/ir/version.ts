/**
 * Identity and version of the workload IR file format (docs/ir.md, "Versioning").
 *
 * `IR_VERSION` is a major version: readers accept exactly the majors they know and reject the rest,
 * because a new major may change what an existing field means. Additive changes (new optional fields,
 * new header metadata) keep the major, and readers ignore fields they do not know.
 */
export const IR_FORMAT = 'smbench-ir' as const;
export const IR_VERSION = 1 as const;
export const IR_FILE_EXTENSION = '.smbw' as const;

/** Majors this reader understands. */
export const SUPPORTED_IR_VERSIONS: readonly number[] = [IR_VERSION];

export function isSupportedIrVersion(version: number): boolean {
  return SUPPORTED_IR_VERSIONS.includes(version);
}

/** Compression level of `.smbw` files: zlib's default trade-off between size and speed. */
export const IR_GZIP_LEVEL = 6;

/**
 * Longest line a reader accepts. A single write with `payloads: 'data'` is at most 8 MiB on the wire
 * (MS-SMB2 3.3.5.2, MaxWriteSize), about 11 MiB as base64; the cap stops a corrupt file without
 * newlines from exhausting memory.
 */
export const IR_MAX_LINE_BYTES = 64 * 1024 * 1024;
