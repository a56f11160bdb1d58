/**
 * LOCK (MS-SMB2 2.2.26) and IOCTL (2.2.31/2.2.32). Lock ranges are kept verbatim (offsets above
 * 2^53 are clamped, see wire-read.ts); an IOCTL keeps its control code and buffer sizes, and has no
 * handle when its FileId is all ones outside a related compound (FSCTLs not bound to an open).
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { hasCommandBody } from '../../smb2/error-response.js';
import { Fsctl } from '../../smb2/fsctl.js';
import { MalformedMessageError } from '../../errors/smbench-error.js';
import { isRelated } from '../extract/message-header.js';
import type { Lifter } from './lifter.js';
import { isAllOnesFileId, requireBody, u64Number } from './wire-read.js';

const LOCK_REQUEST_FIXED = 24;
const LOCK_STRUCTURE_SIZE = 48;
const LOCK_ELEMENT_SIZE = 24;
const IOCTL_REQUEST_FIXED = 56;
const IOCTL_RESPONSE_FIXED = 48;
const STRUCTURE_SIZE_57 = 57;
const STRUCTURE_SIZE_49 = 49;

export const lockLifter: Lifter = {
  command: Command.LOCK,
  kind: 'lock',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, LOCK_REQUEST_FIXED, LOCK_STRUCTURE_SIZE, 'LOCK request');
    const b = h.start + SMB2_HEADER_SIZE;
    const count = data.readUInt16LE(b + 2);
    const first = b + LOCK_REQUEST_FIXED;
    // LockCount MUST be greater than 0 (MS-SMB2 2.2.26), but clients probe the server's
    // STATUS_INVALID_PARAMETER (3.3.5.14) with 0: kept as a lock op with no ranges, not skipped.
    if (first + count * LOCK_ELEMENT_SIZE > h.end) {
      throw new MalformedMessageError(`LOCK request with ${count} elements does not fit`);
    }
    const locks = new Array<{ offset: number; length: number; flags: number }>(count);
    for (let i = 0; i < count; i++) {
      const at = first + i * LOCK_ELEMENT_SIZE;
      locks[i] = {
        offset: u64Number(data, at),
        length: u64Number(data, at + 8),
        flags: data.readUInt32LE(at + 16),
      };
    }
    op.fields['locks'] = locks;
    ctx.useHandle(op, data, h, b + 8);
  },

  response() {},
};

export const ioctlLifter: Lifter = {
  command: Command.IOCTL,
  kind: 'ioctl',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, IOCTL_REQUEST_FIXED, STRUCTURE_SIZE_57, 'IOCTL request');
    const b = h.start + SMB2_HEADER_SIZE;
    const ctlCode = data.readUInt32LE(b + 4);
    if (ctlCode === Fsctl.FSCTL_VALIDATE_NEGOTIATE_INFO) {
      // Part of connection setup (MS-SMB2 3.2.5.14.12, 3.3.5.15.12), which the runner's client does
      // by itself after every TREE_CONNECT: plumbing like NEGOTIATE, counted but neither op nor skip.
      op.kind = undefined;
      ctx.stats.validateNegotiates++;
      return;
    }
    const f = op.fields;
    f['ctlCode'] = ctlCode;
    f['flags'] = data.readUInt32LE(b + 48);
    f['inputLength'] = data.readUInt32LE(b + 28);
    f['maxOutputLength'] = data.readUInt32LE(b + 44);
    if (isRelated(h) || !isAllOnesFileId(data, b + 8)) ctx.useHandle(op, data, h, b + 8);
  },

  response(_ctx, data, h, op) {
    if (!hasCommandBody(Command.IOCTL, h.status)) return;
    requireBody(data, h, IOCTL_RESPONSE_FIXED, STRUCTURE_SIZE_49, 'IOCTL response');
    op.fields['outputLength'] = data.readUInt32LE(h.start + SMB2_HEADER_SIZE + 36);
  },
};
