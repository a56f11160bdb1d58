/**
 * One SMB message as it crossed the wire: the payload of one NBSS session message, which is a
 * single SMB2 message, a compound chain (MS-SMB2 3.2.4.1.4), a TRANSFORM_HEADER frame (2.2.41) or
 * a COMPRESSION_TRANSFORM_HEADER frame (2.2.42).
 */
export interface SmbPdu {
  /** Dense 1-based id of the TCP connection, stable for all its PDUs. */
  connectionId: number;
  /** Sent by the SMB client (redirector) rather than the server. */
  fromClient: boolean;
  /** Capture time of the packet holding the message's first byte, in microseconds since the epoch. */
  timestampMicros: number;
  /** 1-based frame number of the packet that completed the message (Wireshark's frame.number). */
  frameNumber: number;
  /**
   * The NBSS payload. Zero-copy when the message sat in one packet: then it is a view into a read
   * chunk (about 1 MiB), so copy it (Buffer.from) if many small PDUs are kept for long.
   */
  data: Buffer;
}

/** Who talks to whom on an SMB connection; reported once, when its first PDU is found. */
export interface SmbConnectionInfo {
  connectionId: number;
  ipVersion: number;
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
  /** Frame number of the first packet of the connection in the capture. */
  firstFrameNumber: number;
}

/**
 * How many leading bytes of an SMB message its consumer reads, judged from the bytes of the
 * message at hand (`msg[start, start + available)`, at least 8) and its full `length`. A message
 * that spans TCP segments is then copied only that far; the rest of its buffer stays zero (the
 * buffer keeps its full length, so every length and offset check sees the message as it was).
 * Return `length` (or more) when everything is needed or the prefix cannot be judged.
 */
export type NeededBytes = (msg: Buffer, start: number, available: number, length: number) => number;
