/**
 * CHANGE_NOTIFY (MS-SMB2 2.2.35) and ECHO (2.2.28). A change notification usually goes async and
 * completes much later, or is cancelled (MS-SMB2 3.3.5.19); the correlator handles that, the lifter
 * only keeps the arguments.
 */
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import type { Lifter } from './lifter.js';
import { requireBody } from './wire-read.js';

const CHANGE_NOTIFY_SIZE = 32;
const ECHO_SIZE = 4;

export const changeNotifyLifter: Lifter = {
  command: Command.CHANGE_NOTIFY,
  kind: 'change_notify',
  needsTree: true,

  request(ctx, data, h, op) {
    requireBody(data, h, CHANGE_NOTIFY_SIZE, CHANGE_NOTIFY_SIZE, 'CHANGE_NOTIFY request');
    const b = h.start + SMB2_HEADER_SIZE;
    const f = op.fields;
    f['flags'] = data.readUInt16LE(b + 2);
    f['completionFilter'] = data.readUInt32LE(b + 24);
    f['outputBufferLength'] = data.readUInt32LE(b + 4);
    ctx.useHandle(op, data, h, b + 8);
  },

  response() {},
};

export const echoLifter: Lifter = {
  command: Command.ECHO,
  kind: 'echo',
  needsTree: false,

  request(_ctx, data, h) {
    requireBody(data, h, ECHO_SIZE, ECHO_SIZE, 'ECHO request');
  },

  response() {},
};
