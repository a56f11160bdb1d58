/** ECHO (MS-SMB2 2.2.28): a round trip with no file system work. */
import { echoCodec } from '../../smb2/commands/echo.js';
import type { OpExecutor } from './op-executor.js';

export const echoExecutor: OpExecutor<'echo'> = {
  build() {
    return { codec: echoCodec, request: {} };
  },

  finish(_op, _user, reply) {
    return { status: reply.status, bytes: 0 };
  },
};
