import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { readSmbPdusFromBuffer } from '../../src/capture/smb-pdu-stream.js';
import { createInterface, tsToMicros } from '../../src/capture/pcapng-interface.js';
import {
  collectPdus,
  ethernet,
  LINKTYPE,
  linuxSll,
  PcapngWriter,
  simpleExchange,
  TcpFlow,
} from './capture-builder.js';

const T0 = 1_700_000_000_000_000n; // microseconds

test('pcapng with two interfaces, per-interface link types and if_tsresol', () => {
  const a = simpleExchange(new TcpFlow({ addr: '10.0.0.1', port: 50000 }, { addr: '10.0.0.2', port: 445 }));
  const b = simpleExchange(
    new TcpFlow({ addr: '192.168.1.5', port: 50001 }, { addr: '192.168.1.9', port: 445 }),
  );
  const w = new PcapngWriter().shb();
  w.idb(LINKTYPE.ETHERNET); // default 10^-6
  w.idb(LINKTYPE.LINUX_SLL, { tsresol: 9 }); // nanoseconds
  w.idb(LINKTYPE.ETHERNET, { tsresol: 0x80 | 20 }); // 2^-20 s
  a.packets.forEach((p, i) => w.epb(0, T0 + BigInt(i), ethernet(p)));
  b.packets.forEach((p, i) => w.epb(1, (T0 + 100n + BigInt(i)) * 1000n + 999n, linuxSll(p)));
  const { pdus, stats, connections } = collectPdus(w.toBuffer());
  assert.equal(stats.format, 'pcapng');
  assert.equal(stats.interfaces, 3);
  assert.equal(stats.packets, 14);
  assert.equal(stats.pdus, 4);
  assert.deepEqual(
    pdus.map((p) => [p.connectionId, p.fromClient, p.frameNumber, p.timestampMicros]),
    [
      [1, true, 4, Number(T0) + 3],
      [1, false, 5, Number(T0) + 4],
      [2, true, 11, Number(T0) + 103],
      [2, false, 12, Number(T0) + 104],
    ],
  );
  assert.deepEqual(
    connections.map((c) => `${c.clientAddress}:${c.clientPort}>${c.serverAddress}:${c.serverPort}`),
    ['10.0.0.1:50000>10.0.0.2:445', '192.168.1.5:50001>192.168.1.9:445'],
  );
});

test('timestamp conversion is exact for power-of-10 and power-of-2 resolutions', () => {
  const micro = createInterface(1, 0);
  assert.equal(tsToMicros(micro, 0x00060a3b, 0x12345678), 0x00060a3b * 2 ** 32 + 0x12345678);
  const nano = createInterface(1, 0, 9);
  const ns = 1_795_521_046_875_961_123n;
  assert.equal(tsToMicros(nano, Number(ns >> 32n), Number(ns & 0xffffffffn)), 1_795_521_046_875_961);
  const milli = createInterface(1, 0, 3);
  assert.equal(tsToMicros(milli, 0, 1234), 1_234_000);
  const pico = createInterface(1, 0, 12);
  const ps = 1_700_000_000_123_456_789_012n;
  assert.equal(tsToMicros(pico, Number(ps >> 32n), Number(ps & 0xffffffffn)), 1_700_000_000_123_456);
  const bin = createInterface(1, 0, 0x80 | 10); // 1/1024 s
  assert.equal(tsToMicros(bin, 0, 1024 * 5 + 512), 5_500_000);
  const offset = createInterface(1, 0, 6, 100);
  assert.equal(tsToMicros(offset, 0, 7), 100_000_007);
});

test('big-endian sections, multiple sections, SPB and OPB, skipped and unknown blocks', () => {
  const a = simpleExchange(new TcpFlow({ addr: '10.0.0.1', port: 50000 }, { addr: '10.0.0.2', port: 445 }));
  const b = simpleExchange(new TcpFlow({ addr: '10.0.0.3', port: 50002 }, { addr: '10.0.0.2', port: 445 }));
  const s1 = new PcapngWriter(true).shb().idb(LINKTYPE.ETHERNET);
  s1.block(0x00000004, Buffer.alloc(8)); // NRB
  a.packets.forEach((p, i) =>
    i % 2 ? s1.opb(0, T0 + BigInt(i), ethernet(p)) : s1.epb(0, T0 + BigInt(i), ethernet(p)),
  );
  s1.block(0x00000005, Buffer.alloc(8)); // ISB
  s1.block(0x12345678, Buffer.alloc(5)); // unknown
  // Second section: little-endian, interface 0 is raw IP, packets only in SPBs.
  const s2 = new PcapngWriter(false).shb().idb(LINKTYPE.RAW);
  b.packets.forEach((p) => s2.spb(p));
  const { pdus, stats } = collectPdus(Buffer.concat([s1.toBuffer(), s2.toBuffer()]));
  assert.equal(stats.sections, 2);
  assert.equal(stats.skippedBlocks, 2);
  assert.equal(stats.unknownBlocks, 1);
  assert.equal(stats.packets, 14);
  assert.equal(pdus.length, 4);
  assert.deepEqual(
    pdus.map((p) => [p.connectionId, p.fromClient, p.frameNumber]),
    [
      [1, true, 4],
      [1, false, 5],
      [2, true, 11],
      [2, false, 12],
    ],
  );
  // SPBs carry no time: they inherit the last timestamp seen.
  assert.equal(pdus[3]!.timestampMicros, Number(T0) + 6);
});

test('a pcapng cut mid-block is truncatedAtEnd; a bad block length is an error with its offset', () => {
  const a = simpleExchange(new TcpFlow({ addr: '10.0.0.1', port: 50000 }, { addr: '10.0.0.2', port: 445 }));
  const w = new PcapngWriter().shb().idb(LINKTYPE.ETHERNET);
  a.packets.forEach((p, i) => w.epb(0, T0 + BigInt(i), ethernet(p)));
  const file = w.toBuffer();
  const cut = collectPdus(file.subarray(0, file.length - 40));
  assert.equal(cut.stats.truncatedAtEnd, true);
  assert.equal(cut.stats.pdus, 2);

  const bad = Buffer.from(file);
  const idbOffset = 28;
  const epbOffset = idbOffset + bad.readUInt32LE(idbOffset + 4);
  bad.writeUInt32LE(13, epbOffset + 4);
  assert.throws(
    () => readSmbPdusFromBuffer(bad, { onPdu: () => {} }),
    (e: unknown) =>
      e instanceof SmbBenchError &&
      e.code === ErrorCode.CAPTURE &&
      e.message.includes(`byte offset ${epbOffset}`),
  );
});

test('a packet on an undeclared interface is counted, not decoded', () => {
  const a = simpleExchange(new TcpFlow({ addr: '10.0.0.1', port: 50000 }, { addr: '10.0.0.2', port: 445 }));
  const w = new PcapngWriter().shb().idb(LINKTYPE.ETHERNET).idb(250);
  w.epb(5, T0, ethernet(a.packets[0]!));
  w.epb(1, T0, ethernet(a.packets[0]!));
  const { stats } = collectPdus(w.toBuffer());
  assert.equal(stats.unknownLinkTypes, 2);
});
