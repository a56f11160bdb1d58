/**
 * The real-recording yardstick of the compile suite (issue #12): not a synthesised capture but
 * genuine smbclient traffic, recorded with tcpdump on loopback exactly as a user would record it.
 * Four concurrent smbclient processes each loop put / allinfo / get / ls / del over small files,
 * so the capture has many interleaved short operations, real TCP segmentation, delayed ACKs and
 * the credit / compounding patterns of Samba's own client rather than of ours.
 *
 * Size is set in packets (a target, not exact): each smbclient is fed batches of commands on
 * stdin until the capture file reaches roughly `targetPackets` (estimated from its byte size).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackCapture } from '../../src/lab/loopback-capture.js';
import type { SambaLab } from '../../src/lab/samba-lab.js';

export interface RealRecordingOptions {
  readonly file: string;
  readonly targetPackets: number;
  readonly clients?: number;
  readonly log: (line: string) => void;
}

/** About what one small-op packet costs in the pcap file (header + frame), measured on smbclient. */
const BYTES_PER_PACKET_ESTIMATE = 320;
/** Commands one smbclient process gets per batch: long enough to amortise its login. */
const LOOPS_PER_BATCH = 200;

function batchScript(client: number, batch: number, localFile: string): string {
  const lines: string[] = [`mkdir c${client}`, `cd c${client}`];
  for (let i = 0; i < LOOPS_PER_BATCH; i++) {
    const name = `b${batch}-f${i % 16}.dat`;
    lines.push(`put ${localFile} ${name}`, `allinfo ${name}`, `get ${name} /dev/null`);
    if (i % 4 === 0) lines.push('ls');
    lines.push(`del ${name}`);
  }
  lines.push('quit', '');
  return lines.join('\n');
}

/** One smbclient process running one batch; resolves when it exits (rejects on failure). */
function runSmbclient(lab: SambaLab, script: string): Promise<void> {
  const user = lab.users[0]!;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'smbclient',
      [
        `//${lab.host}/${lab.shares[0]!.name}`,
        '-p',
        String(lab.port),
        '-U',
        `${user.user}%${user.password}`,
        '-m',
        'SMB3',
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`smbclient exited ${code}: ${stderr.slice(-500)}`)),
    );
    child.stdin.end(script);
  });
}

function capturedPackets(file: string): number {
  try {
    return Math.floor(statSync(file).size / BYTES_PER_PACKET_ESTIMATE);
  } catch {
    return 0;
  }
}

/** Records the real capture into `opts.file` against `lab` (its first share). */
export async function recordRealCapture(lab: SambaLab, opts: RealRecordingOptions): Promise<void> {
  const clients = opts.clients ?? 4;
  const localDir = join(lab.dir, 'real-recording');
  mkdirSync(localDir, { recursive: true });
  const localFile = join(localDir, 'small.dat');
  writeFileSync(localFile, Buffer.alloc(3000, 0x61));
  const capture = await startLoopbackCapture(lab.port, opts.file);
  try {
    let batch = 0;
    while (capturedPackets(opts.file) < opts.targetPackets) {
      const before = capturedPackets(opts.file);
      await Promise.all(
        Array.from({ length: clients }, (_, c) => runSmbclient(lab, batchScript(c, batch, localFile))),
      );
      batch++;
      if (capturedPackets(opts.file) <= before)
        throw new Error(`tcpdump stopped writing ${opts.file} (batch ${batch} added no packets)`);
      opts.log(`compile: real recording ~${capturedPackets(opts.file)} / ${opts.targetPackets} packets`);
    }
  } finally {
    await capture.stop();
  }
}
