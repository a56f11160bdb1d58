/**
 * READ (MS-SMB2 2.2.19/2.2.20) and WRITE (2.2.21/2.2.22). Reads also bound the initial size of a
 * file from below; writes mark the file modified so later sizes are not mistaken for initial ones.
 * Write payloads are kept only with `--keep-data`, and only when the capture holds all of them.
 */
import { isStreamPath } from '../../ir/ir-stream-path.js';
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { hasCommandBody } from '../../smb2/error-response.js';
import type { Lifter } from './lifter.js';
import { requireBody, u64Number } from './wire-read.js';

const READ_REQUEST_FIXED = 48;
const READ_RESPONSE_FIXED = 16;
const WRITE_REQUEST_FIXED = 48;
const WRITE_RESPONSE_FIXED = 16;
const STRUCTURE_SIZE_17 = 17;
const STRUCTURE_SIZE_49 = 49;

export const readLifter: Lifter = {
  command: Command.READ,
  kind: 'read',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, READ_REQUEST_FIXED, STRUCTURE_SIZE_49, 'READ request');
    const b = h.start + SMB2_HEADER_SIZE;
    const f = op.fields;
    f['offset'] = u64Number(data, b + 8);
    f['length'] = data.readUInt32LE(b + 4);
    const minimumCount = data.readUInt32LE(b + 32);
    if (minimumCount !== 0) f['minimumCount'] = minimumCount;
    ctx.useHandle(op, data, h, b + 16);
  },

  response(ctx, data, h, op) {
    if (!hasCommandBody(Command.READ, h.status)) return;
    requireBody(data, h, READ_RESPONSE_FIXED, STRUCTURE_SIZE_17, 'READ response');
    const dataLength = data.readUInt32LE(h.start + SMB2_HEADER_SIZE + 4);
    op.fields['dataLength'] = dataLength;
    ctx.stats.bytesRead += dataLength;
    const handle = op.handle;
    if (handle !== undefined && !handle.modified && op.user !== undefined) {
      op.user.namespace.sizeSeen(handle.path, (op.fields['offset'] as number) + dataLength, false);
    }
  },
};

export const writeLifter: Lifter = {
  command: Command.WRITE,
  kind: 'write',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, WRITE_REQUEST_FIXED, STRUCTURE_SIZE_49, 'WRITE request');
    const b = h.start + SMB2_HEADER_SIZE;
    const f = op.fields;
    const dataOffset = data.readUInt16LE(b + 2);
    const length = data.readUInt32LE(b + 4);
    f['offset'] = u64Number(data, b + 8);
    f['length'] = length;
    const flags = data.readUInt32LE(b + 44);
    if (flags !== 0) f['flags'] = flags;
    if (ctx.keepData && length > 0) {
      // A snap length may have cut the payload: then the op is replayed with filler (docs/ir.md).
      const start = h.start + dataOffset;
      if (dataOffset >= SMB2_HEADER_SIZE + WRITE_REQUEST_FIXED && start + length <= h.end) {
        f['data'] = data.toString('base64', start, start + length);
      }
    }
    const handle = ctx.useHandle(op, data, h, b + 16);
    if (handle !== undefined) {
      handle.modified = true;
      op.user?.namespace.modified(handle.path);
    }
  },

  response(ctx, data, h, op) {
    if (!hasCommandBody(Command.WRITE, h.status)) return;
    requireBody(data, h, WRITE_RESPONSE_FIXED, STRUCTURE_SIZE_17, 'WRITE response');
    const count = data.readUInt32LE(h.start + SMB2_HEADER_SIZE + 4);
    op.fields['written'] = count;
    ctx.stats.bytesWritten += count;
    // Some servers materialise a named stream only once it has content (vfs_fruit's AFP_AfpInfo):
    // later opens of the stream wait for this write, as they wait for the create that made it.
    const path = op.handle?.path;
    if (path !== undefined && count > 0 && isStreamPath(path)) ctx.mutatedPath(op, path);
  },
};
