/**
 * Create context names, MS-SMB2 2.2.13.2. Most are 4-byte ASCII tags; a few are 16-byte GUIDs,
 * given here as the hex of their wire bytes. SMB2_CREATE_REQUEST_LEASE and _V2 share 'RqLs' and
 * are told apart by DataLength (32 vs 52).
 */
export const CreateContextName = {
  SMB2_CREATE_EA_BUFFER: 'ExtA',
  SMB2_CREATE_SD_BUFFER: 'SecD',
  SMB2_CREATE_DURABLE_HANDLE_REQUEST: 'DHnQ',
  SMB2_CREATE_DURABLE_HANDLE_RECONNECT: 'DHnC',
  SMB2_CREATE_ALLOCATION_SIZE: 'AlSi',
  SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST: 'MxAc',
  SMB2_CREATE_TIMEWARP_TOKEN: 'TWrp',
  SMB2_CREATE_QUERY_ON_DISK_ID: 'QFid',
  SMB2_CREATE_REQUEST_LEASE: 'RqLs',
  SMB2_CREATE_REQUEST_LEASE_V2: 'RqLs',
  SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2: 'DH2Q',
  SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2: 'DH2C',
} as const;
export type CreateContextTag = (typeof CreateContextName)[keyof typeof CreateContextName];

/** GUID-named contexts (MS-SMB2 2.2.13.2), as the hex of the 16 name bytes on the wire. */
export const CreateContextGuidName = {
  SMB2_CREATE_APP_INSTANCE_ID: '45bca66aefa7f74a9008fa462e144d74',
  SMB2_CREATE_APP_INSTANCE_VERSION: 'b982d0b73b56074fa07b524a8116a010',
  SVHDX_OPEN_DEVICE_CONTEXT: '9ccbcf9e04c1e643980e158da1f6ec83',
} as const;

const tagBytes = new Map<string, Buffer>();

/** The wire bytes of a 4-character tag, built once per tag. */
export function tagName(tag: string): Buffer {
  let b = tagBytes.get(tag);
  if (!b) {
    b = Buffer.from(tag, 'latin1');
    tagBytes.set(tag, b);
  }
  return b;
}

export function nameEquals(name: Buffer, tag: string): boolean {
  return name.length === tag.length && name.toString('latin1') === tag;
}

/** 'MxAc' for printable 4-byte tags, otherwise the hex of the name (GUID names). For IR and logs. */
export function createContextTag(name: Buffer): string {
  const printable = name.length === 4 && name.every((c) => c >= 0x20 && c < 0x7f);
  return printable ? name.toString('latin1') : name.toString('hex');
}
