import { NT_STATUS_NAMES } from './nt-status-names.js';

/**
 * The NTSTATUS codes smbench looks at by name (MS-ERREF 2.3.1). Values are unsigned 32-bit, the
 * way the SMB2 header's Status field is read (MS-SMB2 2.2.1), so `header.status === NtStatus.X`
 * works without sign games. The full value -> name table is the generated nt-status-names.ts.
 */
export const NtStatus = {
  STATUS_SUCCESS: 0x00000000,
  STATUS_PENDING: 0x00000103,
  STATUS_NOTIFY_CLEANUP: 0x0000010b,
  STATUS_NOTIFY_ENUM_DIR: 0x0000010c,
  STATUS_OBJECT_NAME_EXISTS: 0x40000000,
  STATUS_BUFFER_OVERFLOW: 0x80000005,
  STATUS_NO_MORE_FILES: 0x80000006,
  STATUS_STOPPED_ON_SYMLINK: 0x8000002d,
  STATUS_INVALID_INFO_CLASS: 0xc0000003,
  STATUS_INVALID_HANDLE: 0xc0000008,
  STATUS_INVALID_PARAMETER: 0xc000000d,
  STATUS_NO_SUCH_DEVICE: 0xc000000e,
  STATUS_NO_SUCH_FILE: 0xc000000f,
  STATUS_INVALID_DEVICE_REQUEST: 0xc0000010,
  STATUS_END_OF_FILE: 0xc0000011,
  STATUS_MORE_PROCESSING_REQUIRED: 0xc0000016,
  STATUS_ACCESS_DENIED: 0xc0000022,
  STATUS_BUFFER_TOO_SMALL: 0xc0000023,
  STATUS_OBJECT_NAME_INVALID: 0xc0000033,
  STATUS_OBJECT_NAME_NOT_FOUND: 0xc0000034,
  STATUS_OBJECT_NAME_COLLISION: 0xc0000035,
  STATUS_OBJECT_PATH_NOT_FOUND: 0xc000003a,
  STATUS_SHARING_VIOLATION: 0xc0000043,
  STATUS_QUOTA_EXCEEDED: 0xc0000044,
  STATUS_FILE_LOCK_CONFLICT: 0xc0000054,
  STATUS_LOCK_NOT_GRANTED: 0xc0000055,
  STATUS_DELETE_PENDING: 0xc0000056,
  STATUS_NO_SUCH_USER: 0xc0000064,
  STATUS_WRONG_PASSWORD: 0xc000006a,
  STATUS_LOGON_FAILURE: 0xc000006d,
  STATUS_ACCOUNT_RESTRICTION: 0xc000006e,
  STATUS_INVALID_LOGON_HOURS: 0xc000006f,
  STATUS_INVALID_WORKSTATION: 0xc0000070,
  STATUS_PASSWORD_EXPIRED: 0xc0000071,
  STATUS_ACCOUNT_DISABLED: 0xc0000072,
  STATUS_RANGE_NOT_LOCKED: 0xc000007e,
  STATUS_DISK_FULL: 0xc000007f,
  STATUS_INSUFFICIENT_RESOURCES: 0xc000009a,
  STATUS_MEDIA_WRITE_PROTECTED: 0xc00000a2,
  STATUS_IO_TIMEOUT: 0xc00000b5,
  STATUS_FILE_IS_A_DIRECTORY: 0xc00000ba,
  STATUS_NOT_SUPPORTED: 0xc00000bb,
  STATUS_INVALID_NETWORK_RESPONSE: 0xc00000c3,
  STATUS_UNEXPECTED_NETWORK_ERROR: 0xc00000c4,
  STATUS_NETWORK_NAME_DELETED: 0xc00000c9,
  STATUS_NETWORK_ACCESS_DENIED: 0xc00000ca,
  STATUS_BAD_NETWORK_NAME: 0xc00000cc,
  STATUS_REQUEST_NOT_ACCEPTED: 0xc00000d0,
  STATUS_NOT_SAME_DEVICE: 0xc00000d4,
  STATUS_OPLOCK_NOT_GRANTED: 0xc00000e2,
  STATUS_INVALID_OPLOCK_PROTOCOL: 0xc00000e3,
  STATUS_INTERNAL_ERROR: 0xc00000e5,
  STATUS_DIRECTORY_NOT_EMPTY: 0xc0000101,
  STATUS_NOT_A_DIRECTORY: 0xc0000103,
  STATUS_TOO_MANY_OPENED_FILES: 0xc000011f,
  STATUS_CANCELLED: 0xc0000120,
  STATUS_CANNOT_DELETE: 0xc0000121,
  STATUS_FILE_CLOSED: 0xc0000128,
  STATUS_FS_DRIVER_REQUIRED: 0xc000019c,
  STATUS_USER_SESSION_DELETED: 0xc0000203,
  STATUS_PASSWORD_MUST_CHANGE: 0xc0000224,
  STATUS_NOT_FOUND: 0xc0000225,
  STATUS_ACCOUNT_LOCKED_OUT: 0xc0000234,
  STATUS_PATH_NOT_COVERED: 0xc0000257,
  STATUS_ENCRYPTION_FAILED: 0xc000028a,
  STATUS_NETWORK_SESSION_EXPIRED: 0xc000035c,
} as const;
export type NtStatus = (typeof NtStatus)[keyof typeof NtStatus];

/** MS-ERREF 2.3: the top two bits are the severity. */
const Severity = {
  STATUS_SEVERITY_SUCCESS: 0b00,
  STATUS_SEVERITY_INFORMATIONAL: 0b01,
  STATUS_SEVERITY_WARNING: 0b10,
  STATUS_SEVERITY_ERROR: 0b11,
} as const;

let names: Map<number, string> | undefined;

/** Built on first use: most runs never format a status, and the table has ~900 entries. */
function nameTable(): Map<number, string> {
  if (!names) {
    names = new Map(NT_STATUS_NAMES);
    // Our own constants win, so a name used in code always prints as written.
    for (const [name, value] of Object.entries(NtStatus)) names.set(value, name);
  }
  return names;
}

/** 'STATUS_ACCESS_DENIED', or '0xC00000XX' for a code the table does not know. */
export function ntStatusName(status: number): string {
  const s = status >>> 0;
  return nameTable().get(s) ?? `0x${s.toString(16).toUpperCase().padStart(8, '0')}`;
}

export function ntStatusSeverity(status: number): number {
  return (status >>> 30) & 0b11;
}

/** Severity STATUS_SEVERITY_ERROR (0b11), MS-ERREF 2.3. */
export function isNtError(status: number): boolean {
  return ntStatusSeverity(status) === Severity.STATUS_SEVERITY_ERROR;
}

/** Severity STATUS_SEVERITY_WARNING (0b10), e.g. STATUS_BUFFER_OVERFLOW, STATUS_NO_MORE_FILES. */
export function isNtWarning(status: number): boolean {
  return ntStatusSeverity(status) === Severity.STATUS_SEVERITY_WARNING;
}

/** Success or informational severity (0b00 / 0b01), e.g. STATUS_PENDING. */
export function isNtSuccess(status: number): boolean {
  return ntStatusSeverity(status) <= Severity.STATUS_SEVERITY_INFORMATIONAL;
}
