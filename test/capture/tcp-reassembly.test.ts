import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectPdus,
  ethernet,
  nbss,
  pcapFile,
  smb2Message,
  TCP,
  TcpFlow,
  transformFrame,
} from './capture-builder.js';

const client = { addr: '10.0.0.1', port: 50123 };
const server = { addr: '10.0.0.2', port: 445 };
const TS0 = 1_700_000_000_000_000;

/** Wraps IP packets in Ethernet and a pcap; packet i gets timestamp TS0 + i and frame number i + 1. */
function run(
  packets: Buffer[],
  opts: Parameters<typeof collectPdus>[1] = {},
): ReturnType<typeof collectPdus> {
  return collectPdus(pcapFile(packets.map((p, i) => ({ data: ethernet(p), tsMicros: TS0 + i }))), opts);
}

function req(id: number, bodyLen = 40): Buffer {
  return smb2Message({ command: 5, messageId: id, bodyLen, fill: id & 0xff });
}
function resp(id: number, bodyLen = 60): Buffer {
  return smb2Message({ command: 5, messageId: id, bodyLen, response: true, fill: (id + 0x80) & 0xff });
}

test('an NBSS message split over 3 segments (header split too) is reassembled once', () => {
  const flow = new TcpFlow(client, server);
  const m = req(1, 300);
  const wire = nbss(m);
  const packets = [
    ...flow.handshake(),
    flow.send(true, wire.subarray(0, 2)),
    flow.send(true, wire.subarray(2, 150)),
    flow.send(true, wire.subarray(150)),
  ];
  const { pdus, stats } = run(packets);
  assert.equal(pdus.length, 1);
  assert.deepEqual(pdus[0]!.data, m);
  assert.equal(pdus[0]!.timestampMicros, TS0 + 3, 'time of the first byte');
  assert.equal(pdus[0]!.frameNumber, 6, 'frame of the last segment');
  assert.equal(stats.gaps + stats.resyncs + stats.discardedBytes, 0);
});

test('two messages and the start of a third in one segment', () => {
  const flow = new TcpFlow(client, server);
  const [a, b, c] = [req(1), req(2, 100), req(3, 500)];
  const wire = Buffer.concat([nbss(a), nbss(b), nbss(c)]);
  const cut = nbss(a).length + nbss(b).length + 7;
  const packets = [
    ...flow.handshake(),
    flow.send(true, wire.subarray(0, cut)),
    flow.send(true, wire.subarray(cut)),
  ];
  const { pdus } = run(packets);
  assert.deepEqual(
    pdus.map((p) => [p.data, p.frameNumber]),
    [
      [a, 4],
      [b, 4],
      [c, 5],
    ],
  );
});

test('out-of-order segments are buffered and delivered in order', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const m = req(1, 3000);
  const segs = flow.sendSplit(true, nbss(m), 1000);
  const { pdus, stats } = run([...hs, segs[0]!, segs[2]!, segs[3]!, segs[1]!]);
  assert.equal(stats.outOfOrderSegments, 2);
  assert.equal(pdus.length, 1);
  assert.deepEqual(pdus[0]!.data, m);
  assert.equal(pdus[0]!.frameNumber, 7, 'completed by the late segment');
  assert.equal(pdus[0]!.timestampMicros, TS0 + 3);
  assert.equal(stats.lostBytes, 0);
});

test('a lost segment inside a message drops it but keeps the boundary (no resync needed)', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const [m1, m2] = [req(1, 2000), req(2)];
  const segs = flow.sendSplit(true, Buffer.concat([nbss(m1), nbss(m2)]), 500);
  const { pdus, stats } = run([...hs, segs[0]!, segs[2]!, segs[3]!, segs[4]!, flow.ack(false)]);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m2],
  );
  assert.equal(stats.gaps, 1);
  assert.equal(stats.lostBytes, 500);
  assert.equal(stats.resyncs, 0);
  assert.equal(stats.droppedMessages, 1);
});

test('retransmissions and overlapping segments are deduplicated by sequence number', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const [a, b] = [req(1, 200), req(2, 200)];
  const wire = Buffer.concat([nbss(a), nbss(b)]);
  const start = flow.clientSeq;
  const s1 = flow.send(true, wire.subarray(0, 150));
  const s1again = flow.send(true, wire.subarray(0, 150), { seq: start });
  // Overlap: repeats 50 old bytes and adds new ones.
  const overlap = flow.send(true, wire.subarray(100, 300), { seq: start + 100 });
  const rest = flow.send(true, wire.subarray(300), { seq: start + 300 });
  const restAgain = flow.send(true, wire.subarray(300), { seq: start + 300 });
  const { pdus, stats } = run([...hs, s1, s1again, overlap, rest, restAgain]);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [a, b],
  );
  assert.equal(stats.retransmittedSegments, 3);
});

test('a lost segment across a message boundary: drop, count, resynchronise on the next header', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const [m0, m1, m2, m3] = [req(0), req(1, 400), req(2, 100), req(3, 50)];
  const first = flow.send(true, nbss(m0));
  const wire = Buffer.concat([nbss(m1), nbss(m2), nbss(m3)]);
  // Segment A: most of m1. Segment B (lost): end of m1 + start of m2. Segment C: rest of m2 + m3.
  const a = flow.send(true, wire.subarray(0, 300));
  const lost = flow.send(true, wire.subarray(300, 500));
  const c = flow.send(true, wire.subarray(500));
  const serverAck = flow.ack(false);
  const { pdus, stats } = run([...hs, first, a, c, serverAck]);
  void lost;
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m0, m3],
  );
  assert.equal(stats.gaps, 1);
  assert.equal(stats.lostBytes, 200);
  assert.equal(stats.resyncs, 1);
  assert.equal(stats.droppedMessages, 1);
  assert.equal(stats.outOfOrderSegments, 1);
  assert.equal(pdus[1]!.frameNumber, 7, 'released by the ACK that proved the hole permanent');
});

test('an unresolved hole is declared lost at FIN / end of capture', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const [m1, m2] = [req(1), req(2)];
  flow.send(true, nbss(m1)); // lost
  const second = flow.send(true, nbss(m2));
  const { pdus, stats } = run([...hs, second]);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m2],
  );
  assert.equal(stats.gaps, 1);
  assert.equal(stats.lostBytes, nbss(m1).length);
  assert.equal(stats.resyncs, 1);
});

test('a capture that starts mid-connection synchronises on the first plausible SMB2 header', () => {
  const flow = new TcpFlow({ addr: '10.9.9.9', port: 51000 }, { addr: '10.9.9.1', port: 4450 });
  const tail = Buffer.alloc(50, 0x77);
  const [m1, r1, m2] = [req(7), resp(7), req(8, 2000)];
  const w2 = nbss(m2);
  const packets = [
    flow.send(true, Buffer.concat([tail, nbss(m1)])),
    flow.send(false, Buffer.concat([Buffer.alloc(9, 0xee), nbss(r1)])),
    flow.send(true, w2.subarray(0, 1000)),
    flow.send(true, w2.subarray(1000)),
  ];
  const { pdus, stats, connections } = run(packets);
  assert.deepEqual(
    pdus.map((p) => [p.fromClient, p.data]),
    [
      [true, m1],
      [false, r1],
      [true, m2],
    ],
  );
  assert.equal(stats.resyncs, 2);
  assert.equal(stats.discardedBytes, 59);
  assert.equal(connections[0]!.serverPort, 4450);
});

test('mid-connection resync finds a header that straddles two segments', () => {
  const flow = new TcpFlow({ addr: '10.9.9.9', port: 51000 }, { addr: '10.9.9.1', port: 4450 });
  const m = req(1, 100);
  const wire = Buffer.concat([Buffer.alloc(30, 0x11), nbss(m)]);
  for (const split of [31, 33, 35, 37, 39]) {
    const f = new TcpFlow(flow.client, flow.server);
    const packets = [
      f.send(true, wire.subarray(0, split)),
      f.send(true, wire.subarray(split, split + 1)),
      f.send(true, wire.subarray(split + 1)),
    ];
    const { pdus, stats } = run(packets);
    assert.equal(pdus.length, 1, `split at ${split}`);
    assert.deepEqual(pdus[0]!.data, m);
    assert.equal(stats.discardedBytes, 30);
  }
});

test('direction comes from SERVER_TO_REDIR even when ports suggest otherwise', () => {
  // Mid-connection, no SYN, the server listens on a high port and the client uses a low one.
  const flow = new TcpFlow({ addr: '10.0.0.5', port: 1000 }, { addr: '10.0.0.6', port: 60000 });
  const packets = [
    flow.send(false, nbss(resp(1))),
    flow.send(true, nbss(req(2))),
    flow.send(false, nbss(resp(2))),
  ];
  const { pdus, connections } = run(packets);
  assert.deepEqual(
    pdus.map((p) => p.fromClient),
    [false, true, false],
  );
  assert.equal(connections[0]!.clientPort, 1000);
});

test('encrypted (transform) frames are delivered; the SYN sender is the client', () => {
  const flow = new TcpFlow({ addr: '10.0.0.5', port: 40000 }, { addr: '10.0.0.6', port: 4450 });
  const [t1, t2] = [transformFrame(100), transformFrame(200)];
  const packets = [...flow.handshake(), flow.send(true, nbss(t1)), flow.send(false, nbss(t2))];
  const { pdus } = run(packets);
  assert.deepEqual(
    pdus.map((p) => [p.fromClient, p.data]),
    [
      [true, t1],
      [false, t2],
    ],
  );
});

test('NBSS keepalives and session requests are skipped; SMB1 negotiate is counted', () => {
  const flow = new TcpFlow({ addr: '10.0.0.5', port: 40000 }, { addr: '10.0.0.6', port: 139 });
  const smb1 = Buffer.alloc(40);
  smb1.writeUInt32BE(0xff534d42, 0);
  const m = req(1);
  const packets = [
    ...flow.handshake(),
    flow.send(true, nbss(Buffer.alloc(68, 0x20), 0x81)),
    flow.send(false, nbss(Buffer.alloc(0), 0x82)),
    flow.send(true, Buffer.concat([nbss(smb1), nbss(Buffer.alloc(0), 0x85), nbss(m)])),
    flow.send(true, nbss(Buffer.alloc(0), 0x85)),
  ];
  const { pdus, stats } = run(packets);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m],
  );
  assert.equal(stats.nbssControlMessages, 2);
  assert.equal(stats.nbssKeepalives, 2);
  assert.equal(stats.smb1Messages, 1);
  assert.equal(stats.resyncs, 0);
});

test('a non-SMB connection on an unknown port is recognised and ignored', () => {
  const flow = new TcpFlow({ addr: '10.0.0.5', port: 40000 }, { addr: '10.0.0.6', port: 8080 });
  const packets = [
    ...flow.handshake(),
    flow.send(true, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    flow.send(false, Buffer.from('HTTP/1.1 200 OK\r\n\r\n')),
    flow.send(true, nbss(req(1))),
  ];
  const { pdus, stats } = run(packets);
  assert.equal(pdus.length, 0);
  assert.equal(stats.nonSmbConnections, 1);
  assert.equal(stats.smbConnections, 0);
});

test('FIN then a new SYN on the same 4-tuple is a new connection; RST closes', () => {
  const f1 = new TcpFlow(client, server, 1000, 5000);
  const f2 = new TcpFlow(client, server, 777777, 888888);
  const f3 = new TcpFlow(client, { ...server, port: 446 });
  const hs3 = f3.handshake();
  const rst = f3.send(true, Buffer.alloc(0), { flags: TCP.RST });
  const packets = [
    ...f1.handshake(),
    f1.send(true, nbss(req(1))),
    f1.fin(true),
    f1.fin(false),
    f1.ack(true),
    ...f2.handshake(),
    f2.send(true, nbss(req(2))),
    ...hs3,
    f3.send(true, nbss(req(3)).subarray(0, 20)),
    rst,
  ];
  const { pdus, stats } = run(packets);
  assert.deepEqual(
    pdus.map((p) => [p.connectionId, p.data]),
    [
      [1, req(1)],
      [2, req(2)],
    ],
  );
  assert.equal(stats.connections, 3);
  assert.equal(stats.droppedMessages, 1, 'the half message cut by RST');
});

test('sequence numbers wrap around 2^32', () => {
  const flow = new TcpFlow(client, server, 0xffffff00, 0xfffffff0);
  const m = req(1, 1000);
  const packets = [
    ...flow.handshake(),
    ...flow.sendSplit(true, nbss(m), 100),
    flow.send(false, nbss(resp(1))),
  ];
  const { pdus, stats } = run(packets);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m, resp(1)],
  );
  assert.equal(stats.outOfOrderSegments + stats.retransmittedSegments + stats.gaps, 0);
});

test('the out-of-order buffer is bounded; overflow becomes a counted gap', () => {
  const flow = new TcpFlow(client, server);
  const hs = flow.handshake();
  const msgs = Array.from({ length: 8 }, (_, i) => req(i));
  flow.send(true, nbss(msgs[0]!)); // lost
  const rest = msgs.slice(1).map((m) => flow.send(true, nbss(m)));
  const { pdus, stats } = run([...hs, ...rest], { maxPendingSegments: 3 });
  assert.equal(stats.reassemblyOverflows, 1);
  assert.equal(stats.gaps, 1);
  assert.deepEqual(
    pdus.map((p) => p.data),
    msgs.slice(1),
  );
});

test('IPv6 connections reassemble like IPv4', () => {
  const flow = new TcpFlow({ addr: '2001:db8::10', port: 50000 }, { addr: '2001:db8::20', port: 445 });
  const m = req(1, 5000);
  const packets = [
    ...flow.handshake(),
    ...flow.sendSplit(true, nbss(m), 1400),
    flow.send(false, nbss(resp(1))),
  ];
  const { pdus, connections } = run(packets);
  assert.deepEqual(
    pdus.map((p) => p.data),
    [m, resp(1)],
  );
  assert.equal(connections[0]!.clientAddress, '2001:db8::10');
});

test('a message larger than maxMessageBytes is skipped and counted, framing continues', () => {
  const flow = new TcpFlow(client, server);
  const [big, small] = [req(1, 5000), req(2)];
  const packets = [
    ...flow.handshake(),
    ...flow.sendSplit(true, Buffer.concat([nbss(big), nbss(small)]), 1400),
  ];
  const { pdus, stats } = run(packets, { maxMessageBytes: 4096 });
  assert.deepEqual(
    pdus.map((p) => p.data),
    [small],
  );
  assert.equal(stats.reassemblyOverflows, 1);
});
