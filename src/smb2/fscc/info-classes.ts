/**
 * QUERY_INFO / SET_INFO InfoType, MS-SMB2 2.2.37. Selects which namespace FileInfoClass is in.
 * (client/open-file.ts still has its own copy; this is the one the codec layer owns.)
 */
export const InfoType = {
  SMB2_0_INFO_FILE: 0x01,
  SMB2_0_INFO_FILESYSTEM: 0x02,
  SMB2_0_INFO_SECURITY: 0x03,
  SMB2_0_INFO_QUOTA: 0x04,
} as const;
export type InfoType = (typeof InfoType)[keyof typeof InfoType];

/** FILE_INFORMATION_CLASS, MS-FSCC 2.4 (the numbering is the NT one, shared with QUERY_DIRECTORY). */
export const FileInformationClass = {
  FileDirectoryInformation: 1,
  FileFullDirectoryInformation: 2,
  FileBothDirectoryInformation: 3,
  FileBasicInformation: 4,
  FileStandardInformation: 5,
  FileInternalInformation: 6,
  FileEaInformation: 7,
  FileAccessInformation: 8,
  FileNameInformation: 9,
  FileRenameInformation: 10,
  FileLinkInformation: 11,
  FileNamesInformation: 12,
  FileDispositionInformation: 13,
  FilePositionInformation: 14,
  FileFullEaInformation: 15,
  FileModeInformation: 16,
  FileAlignmentInformation: 17,
  FileAllInformation: 18,
  FileAllocationInformation: 19,
  FileEndOfFileInformation: 20,
  FileAlternateNameInformation: 21,
  FileStreamInformation: 22,
  FilePipeInformation: 23,
  FilePipeLocalInformation: 24,
  FilePipeRemoteInformation: 25,
  FileMailslotQueryInformation: 26,
  FileMailslotSetInformation: 27,
  FileCompressionInformation: 28,
  FileObjectIdInformation: 29,
  FileMoveClusterInformation: 31,
  FileQuotaInformation: 32,
  FileReparsePointInformation: 33,
  FileNetworkOpenInformation: 34,
  FileAttributeTagInformation: 35,
  FileTrackingInformation: 36,
  FileIdBothDirectoryInformation: 37,
  FileIdFullDirectoryInformation: 38,
  FileValidDataLengthInformation: 39,
  FileShortNameInformation: 40,
  FileSfioReserveInformation: 44,
  FileSfioVolumeInformation: 45,
  FileHardLinkInformation: 46,
  FileNormalizedNameInformation: 48,
  FileIdGlobalTxDirectoryInformation: 50,
  FileStandardLinkInformation: 54,
  FileIdInformation: 59,
  FileIdExtdDirectoryInformation: 60,
  FileDispositionInformationEx: 64,
  FileRenameInformationEx: 65,
  FileId64ExtdDirectoryInformation: 78,
  FileId64ExtdBothDirectoryInformation: 79,
  FileIdAllExtdDirectoryInformation: 80,
  FileIdAllExtdBothDirectoryInformation: 81,
} as const;
export type FileInformationClass = (typeof FileInformationClass)[keyof typeof FileInformationClass];

/** FS_INFORMATION_CLASS, MS-FSCC 2.5 (used with SMB2_0_INFO_FILESYSTEM). */
export const FsInformationClass = {
  FileFsVolumeInformation: 1,
  FileFsLabelInformation: 2,
  FileFsSizeInformation: 3,
  FileFsDeviceInformation: 4,
  FileFsAttributeInformation: 5,
  FileFsControlInformation: 6,
  FileFsFullSizeInformation: 7,
  FileFsObjectIdInformation: 8,
  FileFsDriverPathInformation: 9,
  FileFsVolumeFlagsInformation: 10,
  FileFsSectorSizeInformation: 11,
} as const;
export type FsInformationClass = (typeof FsInformationClass)[keyof typeof FsInformationClass];

/** SECURITY_INFORMATION bits for AdditionalInformation with SMB2_0_INFO_SECURITY, MS-SMB2 2.2.37. */
export const SecurityInformation = {
  OWNER_SECURITY_INFORMATION: 0x00000001,
  GROUP_SECURITY_INFORMATION: 0x00000002,
  DACL_SECURITY_INFORMATION: 0x00000004,
  SACL_SECURITY_INFORMATION: 0x00000008,
  LABEL_SECURITY_INFORMATION: 0x00000010,
  ATTRIBUTE_SECURITY_INFORMATION: 0x00000020,
  SCOPE_SECURITY_INFORMATION: 0x00000040,
  BACKUP_SECURITY_INFORMATION: 0x00010000,
} as const;

const fileClassNames = new Map<number, string>(Object.entries(FileInformationClass).map(([k, v]) => [v, k]));
const fsClassNames = new Map<number, string>(Object.entries(FsInformationClass).map(([k, v]) => [v, k]));

/** A readable name for (InfoType, class), for logs and IR dumps. */
export function infoClassName(infoType: number, infoClass: number): string {
  if (infoType === InfoType.SMB2_0_INFO_FILE)
    return fileClassNames.get(infoClass) ?? `FileInfoClass_${infoClass}`;
  if (infoType === InfoType.SMB2_0_INFO_FILESYSTEM)
    return fsClassNames.get(infoClass) ?? `FsInfoClass_${infoClass}`;
  if (infoType === InfoType.SMB2_0_INFO_SECURITY) return 'SecurityInformation';
  if (infoType === InfoType.SMB2_0_INFO_QUOTA) return 'QuotaInformation';
  return `InfoType_${infoType}_Class_${infoClass}`;
}
