/** MS-NLMP 2.2.1: every NTLM message starts with "NTLMSSP\0". */
export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** MS-NLMP 2.2.1 MessageType. */
export const MessageType = {
  NtLmNegotiate: 0x00000001,
  NtLmChallenge: 0x00000002,
  NtLmAuthenticate: 0x00000003,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** MS-NLMP 2.2.2.5 NEGOTIATE flags (names verbatim from the spec). */
export const NegotiateFlags = {
  NTLMSSP_NEGOTIATE_UNICODE: 0x00000001,
  NTLM_NEGOTIATE_OEM: 0x00000002,
  NTLMSSP_REQUEST_TARGET: 0x00000004,
  NTLMSSP_NEGOTIATE_SIGN: 0x00000010,
  NTLMSSP_NEGOTIATE_SEAL: 0x00000020,
  NTLMSSP_NEGOTIATE_DATAGRAM: 0x00000040,
  NTLMSSP_NEGOTIATE_LM_KEY: 0x00000080,
  NTLMSSP_NEGOTIATE_NTLM: 0x00000200,
  NTLMSSP_ANONYMOUS: 0x00000800,
  NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED: 0x00001000,
  NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED: 0x00002000,
  NTLMSSP_NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  NTLMSSP_TARGET_TYPE_DOMAIN: 0x00010000,
  NTLMSSP_TARGET_TYPE_SERVER: 0x00020000,
  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NTLMSSP_NEGOTIATE_IDENTIFY: 0x00100000,
  NTLMSSP_REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  NTLMSSP_NEGOTIATE_TARGET_INFO: 0x00800000,
  NTLMSSP_NEGOTIATE_VERSION: 0x02000000,
  NTLMSSP_NEGOTIATE_128: 0x20000000,
  NTLMSSP_NEGOTIATE_KEY_EXCH: 0x40000000,
  NTLMSSP_NEGOTIATE_56: 0x80000000,
} as const;

/** MS-NLMP 2.2.2.1 AvId values of AV_PAIR. */
export const AvId = {
  MsvAvEOL: 0x0000,
  MsvAvNbComputerName: 0x0001,
  MsvAvNbDomainName: 0x0002,
  MsvAvDnsComputerName: 0x0003,
  MsvAvDnsDomainName: 0x0004,
  MsvAvDnsTreeName: 0x0005,
  MsvAvFlags: 0x0006,
  MsvAvTimestamp: 0x0007,
  MsvAvSingleHost: 0x0008,
  MsvAvTargetName: 0x0009,
  MsvAvChannelBindings: 0x000a,
} as const;
export type AvId = (typeof AvId)[keyof typeof AvId];

/** MS-NLMP 2.2.2.1 bits of the MsvAvFlags value. */
export const MsvAvFlags = {
  /** The account authentication is constrained. */
  ACCOUNT_AUTHENTICATION_CONSTRAINED: 0x00000001,
  /** The client provides a MIC in the AUTHENTICATE_MESSAGE. */
  MIC_PROVIDED: 0x00000002,
  /** The client provides an untrusted SPN target name. */
  UNTRUSTED_SPN_TARGET: 0x00000004,
} as const;

/** MS-NLMP 2.2.2.10 NTLMRevisionCurrent. */
export const NTLMSSP_REVISION_W2K3 = 0x0f;

/** MS-NLMP 2.2.2.10 VERSION: only for debugging, but must be present when NEGOTIATE_VERSION is set. */
export interface NtlmVersion {
  readonly productMajorVersion: number;
  readonly productMinorVersion: number;
  readonly productBuild: number;
  readonly ntlmRevisionCurrent: number;
}

/** What smbench announces: Windows 10 / Server 2016+ numbering with the current NTLM revision. */
export const SMBENCH_NTLM_VERSION: NtlmVersion = {
  productMajorVersion: 10,
  productMinorVersion: 0,
  productBuild: 0,
  ntlmRevisionCurrent: NTLMSSP_REVISION_W2K3,
};

export const NTLM_CHALLENGE_LENGTH = 8;
export const NTLM_SESSION_KEY_LENGTH = 16;
export const NTLM_MIC_LENGTH = 16;
