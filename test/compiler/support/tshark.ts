/**
 * tshark as the reference dissector for compiler tests. Wireshark decodes SMB2's 24-bit "direct
 * TCP" length only on port 445 (elsewhere, `-d tcp.port==N,nbss` uses NetBIOS's 17-bit length and
 * loses sync after any message over 128 KiB), so captures on other ports are copied with the
 * server port rewritten to 445 first. Checksums are not verified by default, so no fix-up is needed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_NAMES } from '../../../src/compiler/lift/lifter-table.js';

export const hasTshark = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/** Rewrites TCP port `from` to `to` in a classic pcap with Ethernet framing (what tcpdump -i lo writes). */
export function rewritePcapPort(pcap: Buffer, from: number, to: number): Buffer {
  const out = Buffer.from(pcap);
  const magic = out.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && out.readUInt32BE(0) !== 0xa1b2c3d4 && out.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error('not a pcap file');
  const u32 = (o: number): number => (le ? out.readUInt32LE(o) : out.readUInt32BE(o));
  if (u32(20) !== 1) throw new Error(`link type ${u32(20)} is not Ethernet`);
  for (let off = 24; off + 16 <= out.length;) {
    const incl = u32(off + 8);
    const p = off + 16;
    off = p + incl;
    if (off > out.length || incl < 14 + 20) continue;
    const etherType = out.readUInt16BE(p + 12);
    let tcp: number;
    if (etherType === ETHERTYPE_IPV4 && out[p + 14 + 9] === 6) tcp = p + 14 + (out[p + 14]! & 0x0f) * 4;
    else if (etherType === ETHERTYPE_IPV6 && out[p + 14 + 6] === 6) tcp = p + 14 + 40;
    else continue;
    if (tcp + 4 > off) continue;
    for (const at of [tcp, tcp + 2]) if (out.readUInt16BE(at) === from) out.writeUInt16BE(to, at);
  }
  return out;
}

/**
 * SMB2 requests per command name, as tshark dissects the capture: one per SMB2 header, compounds
 * included (tshark prints a compound's fields comma-separated).
 */
export function tsharkRequestCounts(path: string, serverPort = 445): Record<string, number> {
  let input = path;
  let dir: string | undefined;
  if (serverPort !== 445) {
    dir = mkdtempSync(join(tmpdir(), 'smbench-tshark-'));
    input = join(dir, 'port445.pcap');
    writeFileSync(input, rewritePcapPort(readFileSync(path), serverPort, 445));
  }
  try {
    const text = execFileSync(
      'tshark',
      ['-r', input, '-T', 'fields', '-e', 'smb2.cmd', '-e', 'smb2.flags.response', '-Y', 'smb2'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const counts: Record<string, number> = {};
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const [cmds = '', flags = ''] = line.split('\t');
      const c = cmds.split(',');
      const r = flags.split(',');
      for (let i = 0; i < c.length; i++) {
        if (r[i] !== '0' && r[i] !== 'False') continue;
        const code = Number(c[i]);
        const name = COMMAND_NAMES[code] ?? `UNKNOWN_0x${code.toString(16)}`;
        counts[name] = (counts[name] ?? 0) + 1;
      }
    }
    return counts;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
