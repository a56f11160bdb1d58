/**
 * `npm run bench -- --suite compile`: capture compile throughput against tshark on the same files.
 *
 * The yardstick is a real recording (record-real.ts): four concurrent smbclient processes doing
 * put/allinfo/get/ls/del loops against the lab, recorded with tcpdump, `--real-packets` packets.
 * Two more captures are synthesised from real Samba traffic recorded with tcpdump (record-template.ts,
 * synthesize-capture.ts): a ~500 MB small-operation capture (creates, query-info, 4 KiB reads, small
 * writes, listings, closes over many connections) and a bulk-transfer capture (1 MiB reads/writes).
 * tshark runs `-T fields -e frame.number -e smb2.cmd -e smb2.msg_id`, the cheapest dissection that
 * still decodes every SMB2 header; smbench runs the full compile to a .smbw. Targets: >= 10x
 * tshark's packets/s on small-op traffic, and peak RSS under 300 MB whatever the capture size.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSmbPdusFromBuffer } from '../../src/capture/smb-pdu-stream.js';
import type { SambaLab } from '../../src/lab/samba-lab.js';
import { startSambaLab } from '../../src/lab/samba-lab.js';
import { measure, type Measured } from './measure.js';
import { recordRealCapture } from './record-real.js';
import { recordTemplate, type TemplateKind } from './record-template.js';
import { synthesizeCapture } from './synthesize-capture.js';

export interface CompileBenchOptions {
  readonly dir: string;
  readonly smallOpMiB: number;
  readonly bulkMiB: number;
  /** Packets of the real smbclient recording (about; 0 leaves it out). */
  readonly realPackets: number;
  readonly log: (line: string) => void;
}

export interface CompileBenchRow {
  readonly capture: string;
  readonly packets: number;
  readonly bytes: number;
  readonly tshark: Measured;
  readonly smbench: Measured;
  /** smbench packets/s divided by tshark packets/s. */
  readonly speedup: number;
  readonly target: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * smbench is measured as it ships (`bin: dist/src/cli/main.js`), not through the tsx loader, whose
 * on-the-fly transpiling would add a second of start-up to every run. `--noCheck` only emits, so
 * the build works even while another part of the tree does not type-check.
 */
async function buildCli(): Promise<string> {
  // Inside the repository (bench-results/ is git-ignored) so the build resolves node_modules.
  const outDir = join(ROOT, 'bench-results', 'compile-dist');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await measure([
    process.execPath,
    tsc,
    '-p',
    join(ROOT, 'tsconfig.build.json'),
    '--noCheck',
    '--outDir',
    outDir,
  ]);
  if (r.exitCode !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
  return join(outDir, 'src', 'cli', 'main.js');
}

interface RecordedCapture {
  readonly file: string;
  readonly packets: number;
  readonly bytes: number;
}

/** Records the real capture; tcpdump losing packets would make the comparison meaningless. */
async function realRecording(
  lab: SambaLab,
  dir: string,
  packets: number,
  log: (line: string) => void,
): Promise<RecordedCapture> {
  const file = join(dir, `real-smbclient-${packets}.pcap`);
  rmSync(file, { force: true });
  log(`compile: recording ~${packets} packets of 4 concurrent smbclient processes`);
  await recordRealCapture(lab, { file, targetPackets: packets, log });
  const stats = readSmbPdusFromBuffer(readFileSync(file), {
    serverPorts: [lab.port],
    onPdu: () => undefined,
  });
  if (stats.lostBytes > 0)
    throw new Error(
      `tcpdump lost ${stats.lostBytes} bytes of the real recording; rerun on a quieter machine`,
    );
  return { file, packets: stats.packets, bytes: statSync(file).size };
}

async function templates(
  dir: string,
  realPackets: number,
  log: (line: string) => void,
): Promise<{
  templates: Record<TemplateKind, { file: string; port: number; user: string }>;
  real: RecordedCapture | undefined;
}> {
  log('compile: recording template traffic against a Samba lab');
  const lab: SambaLab = await startSambaLab({ shares: ['bench'] });
  try {
    const real = realPackets > 0 ? await realRecording(lab, dir, realPackets, log) : undefined;
    const share = lab.shares[0]!.path;
    const out = {} as Record<TemplateKind, { file: string; port: number; user: string }>;
    for (const kind of ['small-op', 'bulk'] as const) {
      const file = join(dir, `template-${kind}.pcap`);
      await recordTemplate(lab, kind, file, async () => {
        mkdirSync(join(share, 't'), { recursive: true });
        chmodSync(join(share, 't'), 0o777);
        for (let i = 0; i < 8; i++)
          writeFileSync(join(share, 't', `f${i}.dat`), Buffer.alloc(8192, i), { mode: 0o666 });
      });
      const stats = readSmbPdusFromBuffer(readFileSync(file), {
        serverPorts: [lab.port],
        onPdu: () => undefined,
      });
      if (stats.lostBytes > 0)
        throw new Error(
          `tcpdump lost ${stats.lostBytes} bytes of the ${kind} template; rerun on a quieter machine`,
        );
      out[kind] = { file, port: lab.port, user: lab.users[0]!.user };
    }
    return { templates: out, real };
  } finally {
    await lab.stop();
  }
}

function rate(n: number, m: Measured): number {
  return n / Math.max(m.wallSeconds, 1e-6);
}

export async function runCompileSuite(opts: CompileBenchOptions): Promise<CompileBenchRow[]> {
  mkdirSync(opts.dir, { recursive: true });
  const { templates: t, real } = await templates(opts.dir, opts.realPackets, opts.log);
  const captures: {
    name: string;
    file: string;
    size: { packets: number; bytes: number };
    target: string;
    keep: boolean;
  }[] = [];
  if (real !== undefined)
    captures.push({
      name: 'real smbclient x4',
      file: real.file,
      size: real,
      target: '>= 10x packets/s, RSS < 300 MB',
      keep: true,
    });
  for (const [kind, mib, connections, target] of [
    ['small-op', opts.smallOpMiB, 64, '>= 10x packets/s, RSS < 300 MB'],
    ['bulk', opts.bulkMiB, 8, 'RSS < 300 MB'],
  ] as const) {
    const file = join(opts.dir, `${kind}-${mib}MiB.pcap`);
    const started = performance.now();
    const synth = synthesizeCapture({
      template: t[kind].file,
      templatePort: t[kind].port,
      output: file,
      targetBytes: mib * (1 << 20),
      connections,
      userName: t[kind].user,
    });
    opts.log(
      `compile: synthesised ${file}: ${synth.packets} packets, ${(synth.bytes / 1e6).toFixed(0)} MB, ` +
        `${synth.connections} connections x ${synth.bodyCopies} copies in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    captures.push({ name: `${kind} ${mib} MiB`, file, size: synth, target, keep: false });
  }
  opts.log('compile: building the CLI (tsc --noCheck)');
  const cli = await buildCli();
  const rows: CompileBenchRow[] = [];
  for (const c of captures) {
    opts.log(`compile: tshark on ${c.name}`);
    const tshark = await measure([
      'tshark',
      '-r',
      c.file,
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'smb2.cmd',
      '-e',
      'smb2.msg_id',
    ]);
    opts.log(`compile: smbench compile on ${c.name}`);
    const out = join(opts.dir, 'bench.smbw');
    const smbench = await measure([process.execPath, cli, 'compile', c.file, '-o', out, '--quiet']);
    if (smbench.exitCode !== 0) throw new Error(`smbench compile failed: ${smbench.stderr}`);
    opts.log(`compile: workload ${(statSync(out).size / 1e6).toFixed(1)} MB`);
    if (existsSync(out)) rmSync(out);
    // The synthetic captures are cheap to make again and large to keep; the real one is kept
    // (bench-results or --data-dir) for profiling.
    if (!c.keep) rmSync(c.file, { force: true });
    const packets = c.size.packets;
    rows.push({
      capture: c.name,
      packets,
      bytes: c.size.bytes,
      tshark,
      smbench,
      speedup: rate(packets, smbench) / rate(packets, tshark),
      target: c.target,
    });
  }
  return rows;
}

export function formatCompileRows(rows: readonly CompileBenchRow[]): string {
  const lines = [
    'capture             packets     MB   tool      wall s    packets/s     MB/s   peak RSS MB   speedup  target',
  ];
  for (const r of rows) {
    for (const [tool, m] of [
      ['tshark', r.tshark],
      ['smbench', r.smbench],
    ] as const) {
      lines.push(
        [
          r.capture.padEnd(17),
          String(r.packets).padStart(9),
          (r.bytes / 1e6).toFixed(0).padStart(6),
          ` ${tool.padEnd(8)}`,
          m.wallSeconds.toFixed(2).padStart(7),
          rate(r.packets, m).toFixed(0).padStart(12),
          (r.bytes / 1e6 / m.wallSeconds).toFixed(1).padStart(8),
          m.maxRssMiB.toFixed(0).padStart(13),
          tool === 'smbench' ? `${r.speedup.toFixed(1)}x`.padStart(9) : ''.padStart(9),
          tool === 'smbench' ? `  ${r.target}` : '',
        ].join(' '),
      );
    }
  }
  return lines.join('\n');
}
