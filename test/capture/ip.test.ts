import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createIpPacketView,
  decodeIp,
  formatIpAddress,
  IpDecodeStatus,
  IpProtocol,
} from '../../src/capture/ip.js';
import { EtherType } from '../../src/capture/link-layer.js';
import {
  collectPdus,
  ethernet,
  ipv4Packet,
  ipv6Packet,
  nbss,
  pcapFile,
  smb2Message,
  TCP,
  tcpHeader,
} from './capture-builder.js';

function ext(len8: number): Buffer {
  const b = Buffer.alloc(len8 * 8);
  b[1] = len8 - 1;
  return b;
}

test('IPv4 with options: the payload starts after IHL*4', () => {
  const seg = tcpHeader(40000, 445, 1, 0, TCP.SYN, Buffer.alloc(0), 12);
  const pkt = ipv4Packet('1.2.3.4', '5.6.7.8', 6, seg, { optionsLen: 8 });
  const ip = createIpPacketView();
  assert.equal(decodeIp(pkt, 0, pkt.length, EtherType.IPV4, ip), IpDecodeStatus.OK);
  assert.equal(ip.payloadStart, 28);
  assert.equal(ip.payloadLength, 32);
  assert.equal(ip.protocol, IpProtocol.TCP);
  assert.equal(formatIpAddress(4, [ip.src0]), '1.2.3.4');
});

test('IPv4 fragments are reported as fragments (MF set or offset non-zero)', () => {
  const ip = createIpPacketView();
  for (const frag of [0x2000, 0x0010, 0x2010]) {
    const pkt = ipv4Packet('1.2.3.4', '5.6.7.8', 6, Buffer.alloc(40), { fragment: frag });
    assert.equal(decodeIp(pkt, 0, pkt.length, EtherType.IPV4, ip), IpDecodeStatus.FRAGMENT);
  }
});

test('IPv4 with total length 0 (TSO capture) uses the captured length', () => {
  const pkt = ipv4Packet('1.2.3.4', '5.6.7.8', 6, Buffer.alloc(100), { totalLen: 0 });
  const ip = createIpPacketView();
  assert.equal(decodeIp(pkt, 0, pkt.length, EtherType.IPV4, ip), IpDecodeStatus.OK);
  assert.equal(ip.payloadLength, 100);
});

test('malformed IPv4 headers are rejected', () => {
  const ip = createIpPacketView();
  const pkt = ipv4Packet('1.2.3.4', '5.6.7.8', 6, Buffer.alloc(20));
  assert.equal(decodeIp(pkt, 0, 19, EtherType.IPV4, ip), IpDecodeStatus.MALFORMED);
  const badIhl = Buffer.from(pkt);
  badIhl[0] = 0x44;
  assert.equal(decodeIp(badIhl, 0, badIhl.length, EtherType.IPV4, ip), IpDecodeStatus.MALFORMED);
  const shortTotal = Buffer.from(pkt);
  shortTotal.writeUInt16BE(10, 2);
  assert.equal(decodeIp(shortTotal, 0, shortTotal.length, EtherType.IPV4, ip), IpDecodeStatus.MALFORMED);
});

test('IPv6 extension headers are skipped to reach TCP', () => {
  const seg = tcpHeader(40000, 445, 1, 0, TCP.SYN, Buffer.alloc(0));
  const atomicFragment = Buffer.alloc(8);
  const pkt = ipv6Packet('fe80::1', '2001:db8::2', 6, seg, [
    { type: IpProtocol.HOPOPT, bytes: ext(1) },
    { type: IpProtocol.IPV6_OPTS, bytes: ext(2) },
    { type: IpProtocol.IPV6_ROUTE, bytes: ext(3) },
    { type: IpProtocol.IPV6_FRAG, bytes: atomicFragment },
  ]);
  const ip = createIpPacketView();
  assert.equal(decodeIp(pkt, 0, pkt.length, EtherType.IPV6, ip), IpDecodeStatus.OK);
  assert.equal(ip.protocol, IpProtocol.TCP);
  assert.equal(ip.payloadStart, 40 + 8 + 16 + 24 + 8);
  assert.equal(ip.payloadLength, 20);
  assert.equal(formatIpAddress(6, [ip.src0, ip.src1, ip.src2, ip.src3]), 'fe80::1');
  assert.equal(formatIpAddress(6, [ip.dst0, ip.dst1, ip.dst2, ip.dst3]), '2001:db8::2');
});

test('IPv6 real fragments are reported as fragments', () => {
  const frag = Buffer.alloc(8);
  frag.writeUInt16BE((100 << 3) | 1, 2);
  const pkt = ipv6Packet('fd00::1', 'fd00::2', 6, Buffer.alloc(40), [
    { type: IpProtocol.IPV6_FRAG, bytes: frag },
  ]);
  const ip = createIpPacketView();
  assert.equal(decodeIp(pkt, 0, pkt.length, EtherType.IPV6, ip), IpDecodeStatus.FRAGMENT);
});

test('formatIpAddress follows RFC 5952 zero compression', () => {
  assert.equal(formatIpAddress(6, [0, 0, 0, 1]), '::1');
  assert.equal(formatIpAddress(6, [0x20010db8, 0, 1, 0]), '2001:db8::1:0:0');
  assert.equal(formatIpAddress(6, [0x20010db8, 0x00010001, 0x00010001, 0x00010001]), '2001:db8:1:1:1:1:1:1');
  assert.equal(formatIpAddress(6, [0, 0, 0, 0]), '::');
});

test('fragments, UDP and malformed packets are counted by the pipeline', () => {
  const smb = nbss(smb2Message());
  const frames = [
    ethernet(
      ipv4Packet('1.1.1.1', '2.2.2.2', 6, tcpHeader(1, 445, 1, 0, TCP.ACK, smb), { fragment: 0x2000 }),
    ),
    ethernet(ipv4Packet('1.1.1.1', '2.2.2.2', 17, Buffer.alloc(16))),
    ethernet(ipv4Packet('1.1.1.1', '2.2.2.2', 6, Buffer.alloc(8))),
  ];
  const { stats } = collectPdus(pcapFile(frames.map((data) => ({ data }))));
  assert.equal(stats.ipFragmentsSkipped, 1);
  assert.equal(stats.nonTcp, 1);
  assert.equal(stats.malformedPackets, 1);
  assert.equal(stats.tcpSegments, 0);
});
