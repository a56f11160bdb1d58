/** SMB2 command codes, MS-SMB2 2.2.1.2. Names are the spec's, verbatim. */
export const Command = {
  NEGOTIATE: 0x0000,
  SESSION_SETUP: 0x0001,
  LOGOFF: 0x0002,
  TREE_CONNECT: 0x0003,
  TREE_DISCONNECT: 0x0004,
  CREATE: 0x0005,
  CLOSE: 0x0006,
  FLUSH: 0x0007,
  READ: 0x0008,
  WRITE: 0x0009,
  LOCK: 0x000a,
  IOCTL: 0x000b,
  CANCEL: 0x000c,
  ECHO: 0x000d,
  QUERY_DIRECTORY: 0x000e,
  CHANGE_NOTIFY: 0x000f,
  QUERY_INFO: 0x0010,
  SET_INFO: 0x0011,
  OPLOCK_BREAK: 0x0012,
} as const;
export type Command = (typeof Command)[keyof typeof Command];

const commandNames = new Map<number, string>(Object.entries(Command).map(([k, v]) => [v, k]));
export function commandName(code: number): string {
  return commandNames.get(code) ?? `UNKNOWN_0x${code.toString(16).padStart(4, '0')}`;
}

/** SMB2 header Flags, MS-SMB2 2.2.1.2. */
export const HeaderFlags = {
  SMB2_FLAGS_SERVER_TO_REDIR: 0x00000001,
  SMB2_FLAGS_ASYNC_COMMAND: 0x00000002,
  SMB2_FLAGS_RELATED_OPERATIONS: 0x00000004,
  SMB2_FLAGS_SIGNED: 0x00000008,
  SMB2_FLAGS_PRIORITY_MASK: 0x00000070,
  SMB2_FLAGS_DFS_OPERATIONS: 0x10000000,
  SMB2_FLAGS_REPLAY_OPERATION: 0x20000000,
} as const;

/** Dialect revision numbers, MS-SMB2 2.2.3. */
export const Dialect = {
  SMB2_0_2: 0x0202,
  SMB2_1: 0x0210,
  SMB3_0: 0x0300,
  SMB3_0_2: 0x0302,
  SMB3_1_1: 0x0311,
  /** Returned by servers in response to a multi-protocol SMB1 negotiate. */
  SMB2_WILDCARD: 0x02ff,
} as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];
export const ALL_DIALECTS: readonly Dialect[] = [
  Dialect.SMB2_0_2,
  Dialect.SMB2_1,
  Dialect.SMB3_0,
  Dialect.SMB3_0_2,
  Dialect.SMB3_1_1,
];
export function dialectName(d: number): string {
  const major = d >> 8;
  const minor = (d >> 4) & 0xf;
  const patch = d & 0xf;
  return `${major}.${minor}${patch ? `.${patch}` : ''}`;
}

/** Global capabilities, MS-SMB2 2.2.3. */
export const Capabilities = {
  SMB2_GLOBAL_CAP_DFS: 0x00000001,
  SMB2_GLOBAL_CAP_LEASING: 0x00000002,
  SMB2_GLOBAL_CAP_LARGE_MTU: 0x00000004,
  SMB2_GLOBAL_CAP_MULTI_CHANNEL: 0x00000008,
  SMB2_GLOBAL_CAP_PERSISTENT_HANDLES: 0x00000010,
  SMB2_GLOBAL_CAP_DIRECTORY_LEASING: 0x00000020,
  SMB2_GLOBAL_CAP_ENCRYPTION: 0x00000040,
  SMB2_GLOBAL_CAP_NOTIFICATIONS: 0x00000080,
} as const;

/** SecurityMode, MS-SMB2 2.2.3 / 2.2.5. */
export const SecurityMode = {
  SMB2_NEGOTIATE_SIGNING_ENABLED: 0x0001,
  SMB2_NEGOTIATE_SIGNING_REQUIRED: 0x0002,
} as const;

/** The SMB2 header is always 64 bytes (MS-SMB2 2.2.1). */
export const SMB2_HEADER_SIZE = 64;
/** 0xFE 'S' 'M' 'B' */
export const SMB2_PROTOCOL_ID = 0x424d53fe;
/** 0xFD 'S' 'M' 'B': transform header, MS-SMB2 2.2.41. */
export const SMB2_TRANSFORM_PROTOCOL_ID = 0x424d53fd;
/** 0xFC 'S' 'M' 'B': compression transform header, MS-SMB2 2.2.42. */
export const SMB2_COMPRESSION_PROTOCOL_ID = 0x424d53fc;
/** 0xFF 'S' 'M' 'B': SMB1. */
export const SMB1_PROTOCOL_ID = 0x424d53ff;

/** Message id used by unsolicited oplock/lease break notifications, MS-SMB2 3.3.4.6. */
export const UNSOLICITED_MESSAGE_ID = 0xffffffffffffffffn;

/** FileId is two 64-bit halves, MS-SMB2 2.2.14.1. */
export interface FileId {
  readonly persistent: bigint;
  readonly volatile: bigint;
}
/** Used in related compounds to mean "the FileId from the previous response", MS-SMB2 3.2.4.1.4. */
export const RELATED_FILE_ID: FileId = Object.freeze({
  persistent: 0xffffffffffffffffn,
  volatile: 0xffffffffffffffffn,
});
