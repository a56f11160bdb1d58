import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { ioctlCodec, IoctlFlags } from '../smb2/commands/ioctl.js';
import { RELATED_FILE_ID } from '../smb2/constants.js';
import {
  decodeValidateNegotiateInfoResponse,
  encodeValidateNegotiateInfoRequest,
  Fsctl,
} from '../smb2/fsctl.js';
import { SmbStatusError } from './errors.js';
import type { Tree } from './tree.js';

/**
 * FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 3.2.5.5 step 5, 2.2.31.4): on 3.0 and 3.0.2 the client
 * proves, over a signed channel, that nobody downgraded NEGOTIATE. 3.1.1 replaces this with the
 * preauth integrity hash, so it is not sent there. The request must be signed (3.2.4.20.1).
 */
export async function validateNegotiate(tree: Tree): Promise<void> {
  const negotiation = tree.session.negotiation;
  const input = encodeValidateNegotiateInfoRequest({
    capabilities: negotiation.clientCapabilities,
    guid: negotiation.clientGuid,
    securityMode: negotiation.clientSecurityMode,
    dialects: negotiation.clientDialects,
  });
  let output: Buffer;
  try {
    const reply = await tree.session.connection.request(
      ioctlCodec,
      {
        ctlCode: Fsctl.FSCTL_VALIDATE_NEGOTIATE_INFO,
        fileId: RELATED_FILE_ID,
        input,
        maxInputResponse: 0,
        maxOutputResponse: 24,
        flags: IoctlFlags.SMB2_0_IOCTL_IS_FSCTL,
      },
      tree.context({ sign: true }),
    );
    output = reply.body.output;
  } catch (err) {
    // MS-SMB2 3.2.5.5: servers that do not implement the FSCTL (older Samba, some NAS) answer
    // NOT_SUPPORTED / INVALID_DEVICE_REQUEST / FILE_CLOSED unsigned; Windows clients accept that.
    if (
      err instanceof SmbStatusError &&
      ['STATUS_NOT_SUPPORTED', 'STATUS_INVALID_DEVICE_REQUEST', 'STATUS_FILE_CLOSED'].includes(err.statusName)
    ) {
      return;
    }
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      `FSCTL_VALIDATE_NEGOTIATE_INFO failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const answer = decodeValidateNegotiateInfoResponse(output);
  const mismatch =
    answer.dialect !== negotiation.dialect ||
    answer.securityMode !== negotiation.serverSecurityMode ||
    answer.capabilities !== negotiation.serverCapabilities ||
    !answer.guid.equals(negotiation.serverGuid);
  if (mismatch) {
    // Treat as an attack (MS-SMB2 3.2.5.5): the caller must drop the connection.
    tree.session.connection.close();
    throw new SmbBenchError(
      ErrorCode.PROTOCOL,
      'FSCTL_VALIDATE_NEGOTIATE_INFO: server answer differs from NEGOTIATE (possible downgrade)',
    );
  }
}
