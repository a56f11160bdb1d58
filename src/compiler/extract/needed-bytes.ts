/**
 * What the compiler reads of a message, so the capture layer can pass over the rest of a large
 * one (SmbPduReaderOptions.neededBytes). The IR keeps only offsets and lengths of reads and
 * writes, so the payload of a READ response or WRITE request (up to 8 MiB, MS-SMB2 2.2.20 and
 * 2.2.21) is never looked at; every other message is needed whole.
 */
import type { NeededBytes } from '../../capture/smb-pdu.js';
import { Command, HeaderFlags, SMB2_HEADER_SIZE } from '../../smb2/constants.js';
import { HASHED_BODY_BYTES } from '../correlate/mirror-filter.js';

/** The SMB2 header's ProtocolId (MS-SMB2 2.2.1), 0xFE 'S' 'M' 'B' read little-endian. */
const SMB2_PROTOCOL_ID = 0x424d53fe;
/** SMB2 READ response fixed part (MS-SMB2 2.2.20): the read lifter takes DataLength from it. */
const READ_RESPONSE_FIXED = 16;
/** SMB2 WRITE request fixed part (MS-SMB2 2.2.21). */
const WRITE_REQUEST_FIXED = 48;
/** Header fields judged: Command at 12, Flags at 16, NextCommand at 20. */
const JUDGED_HEADER_BYTES = 24;

/**
 * A READ response needs its header and fixed part; a WRITE request those and the body bytes the
 * mirror filter hashes, unless write payloads are kept (--keep-data). A compound chain
 * (NextCommand set), a transform or compression frame, or a header not yet at hand is needed whole.
 */
export function compilerNeededBytes(keepData: boolean): NeededBytes {
  const writeNeeded = SMB2_HEADER_SIZE + Math.max(WRITE_REQUEST_FIXED, HASHED_BODY_BYTES);
  return (msg, start, available, length) => {
    if (available < JUDGED_HEADER_BYTES || msg.readUInt32LE(start) !== SMB2_PROTOCOL_ID) return length;
    if (msg.readUInt32LE(start + 20) !== 0) return length;
    const command = msg.readUInt16LE(start + 12);
    const response = (msg.readUInt32LE(start + 16) & HeaderFlags.SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
    if (command === Command.READ && response) return SMB2_HEADER_SIZE + READ_RESPONSE_FIXED;
    if (command === Command.WRITE && !response && !keepData) return writeNeeded;
    return length;
  };
}
