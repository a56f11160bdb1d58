/**
 * NEGOTIATE, SESSION_SETUP and LOGOFF (MS-SMB2 2.2.3-2.2.8): not ops (the runner negotiates and
 * authenticates by itself) but the source of the connection's dialect and of each session's user.
 * A session belongs to a user once its final SESSION_SETUP response says STATUS_SUCCESS.
 */
import { sessionSetupCodec, SessionSetupFlags } from '../../smb2/commands/session-setup.js';
import { Command, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { wideHex } from '../correlate/wide-id-map.js';
import { AuthMechanism } from '../correlate/session-state.js';
import { sessionAuthFromToken, type SessionAuth } from '../correlate/session-auth.js';
import type { Lifter } from './lifter.js';
import { requireBody } from './wire-read.js';

const NEGOTIATE_RESPONSE_FIXED = 64;
const NEGOTIATE_RESPONSE_SIZE = 65;
const STATUS_SUCCESS = 0;

export const negotiateLifter: Lifter = {
  command: Command.NEGOTIATE,
  kind: undefined,
  needsTree: false,
  request() {},
  response(ctx, data, h) {
    if (h.status !== STATUS_SUCCESS) return;
    requireBody(data, h, NEGOTIATE_RESPONSE_FIXED, NEGOTIATE_RESPONSE_SIZE, 'NEGOTIATE response');
    ctx.connection.dialect = data.readUInt16LE(h.start + SMB2_HEADER_SIZE + 4);
  },
};

interface SetupNote {
  readonly auth: SessionAuth;
  readonly binding: boolean;
}

export const sessionSetupLifter: Lifter = {
  command: Command.SESSION_SETUP,
  kind: undefined,
  needsTree: false,

  request(ctx, data, h, op) {
    const req = sessionSetupCodec.decodeRequest(data.subarray(h.start, h.end));
    const auth = sessionAuthFromToken(req.securityBuffer);
    const note: SetupNote = {
      auth,
      binding: (req.flags & SessionSetupFlags.SMB2_SESSION_FLAG_BINDING) !== 0,
    };
    op.note = note;
    // Later legs carry the SessionId the server assigned in its first response (MS-SMB2 3.2.4.2.3).
    if (h.sessionIdLo !== 0 || h.sessionIdHi !== 0) {
      const session = ctx.session(h.sessionIdLo, h.sessionIdHi);
      if (auth.mechanism !== AuthMechanism.UNKNOWN) session.mechanism = auth.mechanism;
      if (auth.name !== undefined) session.pendingName = auth.name;
    }
  },

  response(ctx, _data, h, op) {
    const note = op.note as SetupNote | undefined;
    const session = ctx.session(h.sessionIdLo, h.sessionIdHi);
    if (note !== undefined) {
      if (note.auth.mechanism !== AuthMechanism.UNKNOWN) session.mechanism = note.auth.mechanism;
      if (note.auth.name !== undefined) session.pendingName = note.auth.name;
    }
    if (h.status !== STATUS_SUCCESS) {
      // STATUS_MORE_PROCESSING_REQUIRED is the middle of a normal exchange (MS-SMB2 3.3.5.5.3).
      if (h.status !== 0xc0000016) ctx.stats.sessions.failed++;
      return;
    }
    const name = session.pendingName ?? syntheticName(session.mechanism, h.sessionIdLo, h.sessionIdHi);
    // A session first seen mid-session keeps its synthetic user when it re-authenticates
    // (MS-SMB2 3.3.5.5.3): its opens, and the ops on them, belong to that user.
    const keep = session.user !== undefined && (session.user.name === name || session.user.synthetic);
    const user = keep ? session.user! : ctx.userNamed(name);
    if (!session.established && note?.binding !== true) {
      user.sessions++;
      ctx.stats.sessions[session.mechanism]++;
    }
    session.user = user;
    session.established = true;
    user.dialect ??= ctx.connection.dialect;
    if (session.mechanism === AuthMechanism.KERBEROS && session.pendingName === undefined) {
      ctx.warnings.add(
        'kerberos',
        `Kerberos session ${wideHex(h.sessionIdLo, h.sessionIdHi)}: no ticket seen, named per session`,
      );
    }
  },
};

/** A stable name for a session whose user the capture does not reveal. */
export function syntheticName(mechanism: AuthMechanism, lo: number, hi: number): string {
  const prefix = mechanism === AuthMechanism.KERBEROS ? 'KERBEROS' : 'UNKNOWN';
  return `${prefix}\\session-${wideHex(lo, hi).slice(2)}`;
}

export const logoffLifter: Lifter = {
  command: Command.LOGOFF,
  kind: undefined,
  needsTree: false,
  request() {},
  response() {},
};
