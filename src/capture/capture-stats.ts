/**
 * Counters for one pass over a capture file. Every packet or byte the reader cannot use is
 * counted somewhere here instead of being logged and skipped, so a caller can tell a clean
 * capture from a lossy one (and the compiler can refuse or warn on the latter).
 */
export interface CaptureStats {
  /** Container format recognised from the magic number. */
  format: 'pcap' | 'pcapng' | 'unknown';
  /** Bytes read from the file (or buffer). */
  fileBytes: number;
  /** pcapng Section Header Blocks seen (1 for pcap). */
  sections: number;
  /** Interfaces described (pcapng IDBs; 1 for pcap). */
  interfaces: number;
  /** pcapng blocks of a type this reader does not know; skipped. */
  unknownBlocks: number;
  /** Known pcapng blocks that carry no packets (NRB, ISB, DSB, custom...); skipped. */
  skippedBlocks: number;
  /** The file ended inside a record or block header/body; that record was dropped. */
  truncatedAtEnd: boolean;

  /** Packet records (frames), numbered 1.. like Wireshark's frame.number. */
  packets: number;
  /** Captured bytes of all packet records. */
  bytes: number;
  /** Records whose captured length is shorter than the original (snaplen) or cut by end of file. */
  truncatedPackets: number;
  /** Packets on an interface whose link type this reader does not decode. */
  unknownLinkTypes: number;
  /** Packets whose link layer does not carry IPv4/IPv6 (ARP, LLDP, ...). */
  nonIp: number;
  /** IP packets that do not carry TCP. */
  nonTcp: number;
  /** IPv4/IPv6 fragments; not reassembled (SMB over TCP is almost never fragmented). */
  ipFragmentsSkipped: number;
  /** IP or TCP headers that are inconsistent (bad lengths, versions, offsets). */
  malformedPackets: number;

  /** TCP segments seen (including pure ACKs). */
  tcpSegments: number;
  /** Segments that only repeat bytes already delivered (retransmissions, overlaps). */
  retransmittedSegments: number;
  /** Segments that arrived ahead of a hole and were buffered. */
  outOfOrderSegments: number;
  /** Sequence-space bytes never seen (capture loss, snaplen cut, buffer overflow). */
  lostBytes: number;
  /** Holes in a byte stream (each adds to lostBytes). */
  gaps: number;
  /** Times a byte stream was out of sync and a new NBSS+SMB header was found by scanning. */
  resyncs: number;
  /** Out-of-order buffers that hit their cap; the hole was declared lost. */
  reassemblyOverflows: number;
  /** Stream bytes thrown away: partial messages around gaps, bytes scanned while resynchronising. */
  discardedBytes: number;
  /** Messages dropped because a gap or the end of the capture cut them. */
  droppedMessages: number;

  /** TCP connections (4-tuples, or reuses after SYN) seen. */
  connections: number;
  /** Connections that produced at least one SMB2/3 PDU. */
  smbConnections: number;
  /** Connections recognised as not carrying SMB. */
  nonSmbConnections: number;
  /** NBSS keepalives (RFC 1002 4.3.7), skipped. */
  nbssKeepalives: number;
  /** NBSS session request/response/retarget messages (RFC 1002 4.3.2-4.3.5), skipped. */
  nbssControlMessages: number;
  /** SMB1 messages (0xFF 'SMB', e.g. a multi-protocol NEGOTIATE), skipped. */
  smb1Messages: number;
  /** SMB2/3 PDUs delivered. */
  pdus: number;
  /** Bytes of delivered PDUs. */
  pduBytes: number;
}

export function createCaptureStats(): CaptureStats {
  return {
    format: 'unknown',
    fileBytes: 0,
    sections: 0,
    interfaces: 0,
    unknownBlocks: 0,
    skippedBlocks: 0,
    truncatedAtEnd: false,
    packets: 0,
    bytes: 0,
    truncatedPackets: 0,
    unknownLinkTypes: 0,
    nonIp: 0,
    nonTcp: 0,
    ipFragmentsSkipped: 0,
    malformedPackets: 0,
    tcpSegments: 0,
    retransmittedSegments: 0,
    outOfOrderSegments: 0,
    lostBytes: 0,
    gaps: 0,
    resyncs: 0,
    reassemblyOverflows: 0,
    discardedBytes: 0,
    droppedMessages: 0,
    connections: 0,
    smbConnections: 0,
    nonSmbConnections: 0,
    nbssKeepalives: 0,
    nbssControlMessages: 0,
    smb1Messages: 0,
    pdus: 0,
    pduBytes: 0,
  };
}
