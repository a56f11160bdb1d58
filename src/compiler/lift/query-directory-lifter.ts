/**
 * QUERY_DIRECTORY (MS-SMB2 2.2.33/2.2.34). Besides the op, a listing is namespace evidence: every
 * entry the server returned exists now, with its size and attributes (MS-FSCC 2.4), and whatever
 * the trace did not create itself must have existed before it (TBBT's "listed but not created").
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { QueryDirectoryFlags } from '../../smb2/commands/query-directory.js';
import { hasCommandBody } from '../../smb2/error-response.js';
import { FileAttributes } from '../../smb2/fscc/file-attributes.js';
import { FileInformationClass } from '../../smb2/fscc/info-classes.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { hasWildcard } from '../../smb2/fscc/search-pattern.js';
import { irJoinPath } from '../../ir/ir-path.js';
import type { NamespaceTracker } from '../infer/namespace-tracker.js';
import type { Lifter } from './lifter.js';
import { fieldStart, requireBody, u64Number, utf16Field } from './wire-read.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { continueListing } from '../correlate/synthesis.js';

const REQUEST_FIXED = 32;
const RESPONSE_FIXED = 8;
const STRUCTURE_SIZE_33 = 33;
const STRUCTURE_SIZE_9 = 9;

/** A listed name that can be a path component (not `.`/`..`, no separators). */
function isChildName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\');
}

/**
 * Where each directory class keeps what the namespace needs (MS-FSCC 2.4.8, 2.4.10, 2.4.14, 2.4.17,
 * 2.4.18, 2.4.28): every class starts NextEntryOffset, FileIndex; the non-name classes then have
 * four times, EndOfFile (40), AllocationSize, FileAttributes (56), FileNameLength (60), and the name
 * at a class-specific offset. Read in place: a listing of thousands of entries allocates only names.
 */
const NAME_OFFSET = new Map<number, number>([
  [FileInformationClass.FileDirectoryInformation, 64],
  [FileInformationClass.FileFullDirectoryInformation, 68],
  [FileInformationClass.FileIdFullDirectoryInformation, 80],
  [FileInformationClass.FileBothDirectoryInformation, 94],
  [FileInformationClass.FileIdBothDirectoryInformation, 104],
]);
const NAMES_CLASS_NAME_OFFSET = 12;
const MAX_ENTRIES = 1 << 20;

/** Counts the entries and records each one in the namespace; -1 for classes it cannot read. */
function recordEntries(
  ns: NamespaceTracker | undefined,
  dir: string | undefined,
  buf: Buffer,
  infoClass: number,
): number {
  const namesOnly = infoClass === FileInformationClass.FileNamesInformation;
  const nameOffset = namesOnly ? NAMES_CLASS_NAME_OFFSET : (NAME_OFFSET.get(infoClass) ?? -1);
  if (nameOffset < 0) return -1;
  let entries = 0;
  for (let at = 0; at < buf.length && entries < MAX_ENTRIES;) {
    if (at + nameOffset > buf.length) throw new MalformedMessageError(`directory entry at ${at} truncated`);
    const next = buf.readUInt32LE(at);
    const nameLength = buf.readUInt32LE(at + (namesOnly ? 8 : 60));
    const nameStart = at + nameOffset;
    const entryEnd = next === 0 ? buf.length : at + next;
    if (nameStart + nameLength > entryEnd || entryEnd > buf.length) {
      throw new MalformedMessageError(`directory entry at ${at}: name outside the entry`);
    }
    entries++;
    if (ns !== undefined && dir !== undefined) {
      const name = buf.toString('utf16le', nameStart, nameStart + nameLength);
      if (isChildName(name)) {
        if (namesOnly) ns.exists(irJoinPath(dir, name), undefined);
        else {
          const attributes = buf.readUInt32LE(at + 56);
          const isDir = (attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY) !== 0;
          ns.exists(
            irJoinPath(dir, name),
            isDir ? 'dir' : 'file',
            isDir ? undefined : u64Number(buf, at + 40),
            attributes,
          );
        }
      }
    }
    if (next === 0) break;
    if (next < nameOffset)
      throw new MalformedMessageError(`directory NextEntryOffset ${next} is shorter than an entry`);
    at += next;
  }
  return entries;
}

export const queryDirectoryLifter: Lifter = {
  command: Command.QUERY_DIRECTORY,
  kind: 'query_directory',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, REQUEST_FIXED, STRUCTURE_SIZE_33, 'QUERY_DIRECTORY request');
    const b = h.start + SMB2_HEADER_SIZE;
    const f = op.fields;
    const flags = data[b + 3]!;
    f['infoClass'] = data[b + 2]!;
    f['flags'] = flags;
    if ((flags & QueryDirectoryFlags.SMB2_INDEX_SPECIFIED) !== 0) f['fileIndex'] = data.readUInt32LE(b + 4);
    f['pattern'] = utf16Field(
      data,
      h,
      data.readUInt16LE(b + 24),
      data.readUInt16LE(b + 26),
      'QUERY_DIRECTORY FileName',
    );
    f['outputBufferLength'] = data.readUInt32LE(b + 28);
    ctx.useHandle(op, data, h, b + 8);
  },

  response(_ctx, data, h, op) {
    if (continueListing(op, h.status)) return;
    if (h.status === NtStatus.STATUS_NO_SUCH_FILE) {
      // A search for one exact name that found nothing: that name does not exist (yet).
      const pattern = op.fields['pattern'] as string;
      const dir = op.handle?.path;
      if (dir !== undefined && isChildName(pattern) && !hasWildcard(pattern))
        op.user?.namespace.absent(irJoinPath(dir, pattern));
      return;
    }
    if (!hasCommandBody(Command.QUERY_DIRECTORY, h.status)) return;
    requireBody(data, h, RESPONSE_FIXED, STRUCTURE_SIZE_9, 'QUERY_DIRECTORY response');
    const b = h.start + SMB2_HEADER_SIZE;
    const length = data.readUInt32LE(b + 4);
    const start = fieldStart(h, data.readUInt16LE(b + 2), length, 'QUERY_DIRECTORY OutputBuffer');
    const buffer = data.subarray(start, start + length);
    const entries = recordEntries(
      op.user?.namespace,
      op.handle?.path,
      buffer,
      op.fields['infoClass'] as number,
    );
    if (entries >= 0) op.fields['entries'] = entries;
  },
};
