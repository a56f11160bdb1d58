import { ByteReader } from '../../bytes/byte-reader.js';
import { ByteWriter } from '../../bytes/byte-writer.js';
import { fromUtf16, utf16Length } from '../../bytes/utf16.js';
import { ErrorCode, MalformedMessageError, SmbBenchError } from '../../errors/smbench-error.js';
import { entryChain, layOutChain } from './entry-chain.js';
import { FileInformationClass } from './info-classes.js';

/**
 * QUERY_DIRECTORY output (MS-SMB2 2.2.34): NextEntryOffset-chained entries of one directory class,
 * MS-FSCC 2.4.10 / 2.4.14 / 2.4.18 / 2.4.8 / 2.4.17 / 2.4.28. Decoding is lazy (a generator), so a
 * listing of thousands of names costs nothing until iterated, and bounds-checked per entry.
 */
export interface DirectoryEntry {
  fileIndex: number;
  fileName: string;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  endOfFile: bigint;
  allocationSize: bigint;
  fileAttributes: number;
  /** Full, IdFull, Both and IdBoth classes. */
  eaSize?: number;
  /** 8.3 name; Both and IdBoth classes; '' when the server has none. */
  shortName?: string;
  /** Server file id (FileInternalInformation); IdFull and IdBoth classes. */
  fileId?: bigint;
}

/** FileNamesInformation (MS-FSCC 2.4.28): just the index and the name. */
export interface FileNamesEntry {
  fileIndex: number;
  fileName: string;
}

interface Layout {
  /** Byte offset of FileName, i.e. the fixed size. */
  nameOffset: number;
  ea: boolean;
  shortName: boolean;
  /** Offset of the u64 FileId, or 0 when the class has none. */
  fileIdOffset: number;
}

/** Class-specific fields follow the common 64 bytes (Next, FileIndex, 4 times, 2 sizes, attributes, name length). */
const EA_SIZE_OFFSET = 64;
const SHORT_NAME_LENGTH_OFFSET = 68;
const SHORT_NAME_OFFSET = 70;
const SHORT_NAME_MAX = 24;

const layouts = new Map<number, Layout>([
  [
    FileInformationClass.FileDirectoryInformation,
    { nameOffset: 64, ea: false, shortName: false, fileIdOffset: 0 },
  ],
  [
    FileInformationClass.FileFullDirectoryInformation,
    { nameOffset: 68, ea: true, shortName: false, fileIdOffset: 0 },
  ],
  [
    FileInformationClass.FileIdFullDirectoryInformation,
    { nameOffset: 80, ea: true, shortName: false, fileIdOffset: 72 },
  ],
  [
    FileInformationClass.FileBothDirectoryInformation,
    { nameOffset: 94, ea: true, shortName: true, fileIdOffset: 0 },
  ],
  [
    FileInformationClass.FileIdBothDirectoryInformation,
    { nameOffset: 104, ea: true, shortName: true, fileIdOffset: 96 },
  ],
]);

/** The directory classes iterateDirectoryEntries understands. */
export const DIRECTORY_ENTRY_CLASSES: readonly number[] = [...layouts.keys()];

function layoutOf(infoClass: number): Layout {
  const layout = layouts.get(infoClass);
  if (!layout) {
    const hint = infoClass === FileInformationClass.FileNamesInformation ? ' (use iterateFileNames)' : '';
    throw new SmbBenchError(
      ErrorCode.UNSUPPORTED,
      `no directory entry decoder for class ${infoClass}${hint}`,
    );
  }
  return layout;
}

function decodeEntry(entry: Buffer, layout: Layout): DirectoryEntry {
  const r = new ByteReader(entry, 4);
  const fileIndex = r.u32();
  const creationTime = r.u64();
  const lastAccessTime = r.u64();
  const lastWriteTime = r.u64();
  const changeTime = r.u64();
  const endOfFile = r.u64();
  const allocationSize = r.u64();
  const fileAttributes = r.u32();
  const nameLength = r.u32();
  const out: DirectoryEntry = {
    fileIndex,
    fileName: fromUtf16(r.slice(layout.nameOffset, nameLength, 'directory entry FileName')),
    creationTime,
    lastAccessTime,
    lastWriteTime,
    changeTime,
    endOfFile,
    allocationSize,
    fileAttributes,
  };
  if (layout.ea) out.eaSize = r.u32();
  if (layout.shortName) {
    const shortLength = r.u8();
    if (shortLength > SHORT_NAME_MAX) throw new MalformedMessageError(`ShortNameLength ${shortLength} > 24`);
    out.shortName = fromUtf16(r.slice(SHORT_NAME_OFFSET, shortLength, 'directory entry ShortName'));
  }
  if (layout.fileIdOffset !== 0) {
    r.seek(layout.fileIdOffset);
    out.fileId = r.u64();
  }
  return out;
}

function* walkEntries(buf: Buffer, layout: Layout): Generator<DirectoryEntry, void, undefined> {
  for (const entry of entryChain(buf, layout.nameOffset, 'directory')) yield decodeEntry(entry, layout);
}

/**
 * Lazily decodes a QUERY_DIRECTORY output buffer of one of DIRECTORY_ENTRY_CLASSES. An unsupported
 * class throws here, at the call, rather than at the first next().
 */
export function iterateDirectoryEntries(
  buf: Buffer,
  infoClass: number,
): Generator<DirectoryEntry, void, undefined> {
  return walkEntries(buf, layoutOf(infoClass));
}

const NAMES_FIXED_SIZE = 12;

/** Lazily decodes a FileNamesInformation output buffer. */
export function* iterateFileNames(buf: Buffer): Generator<FileNamesEntry, void, undefined> {
  for (const entry of entryChain(buf, NAMES_FIXED_SIZE, 'FileNamesInformation')) {
    const r = new ByteReader(entry, 4);
    const fileIndex = r.u32();
    const nameLength = r.u32();
    yield { fileIndex, fileName: fromUtf16(r.bytes(nameLength, 'FileNamesInformation FileName')) };
  }
}

function encodeEntry(e: DirectoryEntry, layout: Layout): Buffer {
  const nameLength = utf16Length(e.fileName);
  const buf = Buffer.alloc(layout.nameOffset + nameLength);
  new ByteWriter(buf, 4)
    .u32(e.fileIndex)
    .u64(e.creationTime)
    .u64(e.lastAccessTime)
    .u64(e.lastWriteTime)
    .u64(e.changeTime)
    .u64(e.endOfFile)
    .u64(e.allocationSize)
    .u32(e.fileAttributes)
    .u32(nameLength);
  if (layout.ea) buf.writeUInt32LE(e.eaSize ?? 0, EA_SIZE_OFFSET);
  if (layout.shortName) {
    const shortName = Buffer.from(e.shortName ?? '', 'utf16le').subarray(0, SHORT_NAME_MAX);
    buf[SHORT_NAME_LENGTH_OFFSET] = shortName.length;
    shortName.copy(buf, SHORT_NAME_OFFSET);
  }
  if (layout.fileIdOffset !== 0) buf.writeBigUInt64LE(e.fileId ?? 0n, layout.fileIdOffset);
  buf.write(e.fileName, layout.nameOffset, nameLength, 'utf16le');
  return buf;
}

/** Builds a QUERY_DIRECTORY output buffer (entries 8-byte aligned); for tests and fake servers. */
export function encodeDirectoryEntries(entries: readonly DirectoryEntry[], infoClass: number): Buffer {
  const layout = layoutOf(infoClass);
  return layOutChain(
    entries.map((e) => encodeEntry(e, layout)),
    8,
  );
}

/** Builds a FileNamesInformation output buffer; for tests and fake servers. */
export function encodeFileNames(entries: readonly FileNamesEntry[]): Buffer {
  return layOutChain(
    entries.map((e) => {
      const nameLength = utf16Length(e.fileName);
      const buf = Buffer.alloc(NAMES_FIXED_SIZE + nameLength);
      new ByteWriter(buf, 4).u32(e.fileIndex).u32(nameLength);
      buf.write(e.fileName, NAMES_FIXED_SIZE, nameLength, 'utf16le');
      return buf;
    }),
    8,
  );
}
