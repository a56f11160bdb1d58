import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLinkLayerResult,
  decodeLinkLayer,
  EtherType,
  LinkDecodeStatus,
  LinkType,
} from '../../src/capture/link-layer.js';
import {
  collectPdus,
  ethernet,
  LINKTYPE,
  linuxSll,
  linuxSll2,
  loopbackHeader,
  pcapFile,
  simpleExchange,
  TcpFlow,
} from './capture-builder.js';

const v4 = { client: { addr: '10.1.2.3', port: 40000 }, server: { addr: '10.1.2.4', port: 445 } };
const v6 = { client: { addr: 'fd00::1', port: 40000 }, server: { addr: 'fd00::2', port: 445 } };

const cases: Array<{ name: string; linkType: number; frame: (ip: Buffer) => Buffer; v6?: boolean }> = [
  { name: 'Ethernet', linkType: LINKTYPE.ETHERNET, frame: (ip) => ethernet(ip) },
  { name: 'Ethernet with padding', linkType: LINKTYPE.ETHERNET, frame: (ip) => ethernet(ip, [], 6) },
  { name: 'Ethernet 802.1Q', linkType: LINKTYPE.ETHERNET, frame: (ip) => ethernet(ip, [EtherType.VLAN]) },
  {
    name: 'Ethernet QinQ',
    linkType: LINKTYPE.ETHERNET,
    frame: (ip) => ethernet(ip, [EtherType.QINQ, EtherType.VLAN]),
  },
  { name: 'Ethernet IPv6', linkType: LINKTYPE.ETHERNET, frame: (ip) => ethernet(ip), v6: true },
  { name: 'Linux SLL', linkType: LINKTYPE.LINUX_SLL, frame: (ip) => linuxSll(ip) },
  { name: 'Linux SLL2', linkType: LINKTYPE.LINUX_SLL2, frame: (ip) => linuxSll2(ip) },
  { name: 'Linux SLL2 IPv6', linkType: LINKTYPE.LINUX_SLL2, frame: (ip) => linuxSll2(ip), v6: true },
  { name: 'LINKTYPE_RAW', linkType: LinkType.LINKTYPE_RAW, frame: (ip) => ip },
  { name: 'DLT_RAW 12', linkType: LinkType.DLT_RAW_12, frame: (ip) => ip },
  { name: 'DLT_RAW 14 IPv6', linkType: LinkType.DLT_RAW_14, frame: (ip) => ip, v6: true },
  { name: 'NULL little-endian', linkType: LINKTYPE.NULL, frame: (ip) => loopbackHeader(ip, 2, true) },
  { name: 'NULL big-endian', linkType: LINKTYPE.NULL, frame: (ip) => loopbackHeader(ip, 2, false) },
  {
    name: 'NULL IPv6 (macOS 30)',
    linkType: LINKTYPE.NULL,
    frame: (ip) => loopbackHeader(ip, 30, true),
    v6: true,
  },
  {
    name: 'NULL IPv6 (FreeBSD 28)',
    linkType: LINKTYPE.NULL,
    frame: (ip) => loopbackHeader(ip, 28, true),
    v6: true,
  },
  { name: 'LOOP', linkType: LINKTYPE.LOOP, frame: (ip) => loopbackHeader(ip, 2, false) },
  {
    name: 'LOOP IPv6 (OpenBSD 24)',
    linkType: LINKTYPE.LOOP,
    frame: (ip) => loopbackHeader(ip, 24, false),
    v6: true,
  },
];

for (const c of cases) {
  test(`link type ${c.name} (${c.linkType}) carries SMB`, () => {
    const ends = c.v6 ? v6 : v4;
    const { packets, request, response } = simpleExchange(new TcpFlow(ends.client, ends.server));
    const file = pcapFile(
      packets.map((p) => ({ data: c.frame(p) })),
      { linkType: c.linkType },
    );
    const { pdus, stats, connections } = collectPdus(file);
    assert.equal(stats.malformedPackets, 0);
    assert.equal(stats.nonIp, 0);
    assert.deepEqual(
      pdus.map((p) => [p.fromClient, p.data]),
      [
        [true, request],
        [false, response],
      ],
    );
    assert.equal(connections[0]!.clientAddress, ends.client.addr);
    assert.equal(connections[0]!.serverAddress, ends.server.addr);
  });
}

test('non-IP frames and unknown link types are counted', () => {
  const out = createLinkLayerResult();
  const arp = Buffer.alloc(42);
  arp.writeUInt16BE(0x0806, 12);
  assert.equal(decodeLinkLayer(LinkType.LINKTYPE_ETHERNET, arp, 0, arp.length, out), LinkDecodeStatus.NOT_IP);
  assert.equal(decodeLinkLayer(LinkType.LINKTYPE_ETHERNET, arp, 0, 10, out), LinkDecodeStatus.TRUNCATED);
  assert.equal(decodeLinkLayer(147, arp, 0, arp.length, out), LinkDecodeStatus.UNKNOWN_LINK_TYPE);
  const fiveTags = Buffer.alloc(40);
  for (let o = 12; o < 32; o += 4) fiveTags.writeUInt16BE(EtherType.VLAN, o);
  assert.equal(decodeLinkLayer(LinkType.LINKTYPE_ETHERNET, fiveTags, 0, 40, out), LinkDecodeStatus.TRUNCATED);

  const { stats } = collectPdus(pcapFile([{ data: arp }, { data: arp }]));
  assert.equal(stats.nonIp, 2);
  const unknown = collectPdus(pcapFile([{ data: arp }], { linkType: 147 }));
  assert.equal(unknown.stats.unknownLinkTypes, 1);
});
