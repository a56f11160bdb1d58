/**
 * `compileCaptures`: SMB2/3 captures in, a workload IR file out. The passes, top to bottom
 * (docs/compiler.md):
 *   1. extract   - pcap/pcapng -> TCP reassembly -> SMB2 PDUs (src/capture), one stream over all
 *                  inputs merged by timestamp, so a connection may span rotated capture files;
 *   2. correlate - requests matched to responses, sessions to users, trees to shares, FileIds to
 *                  handles (correlate/);
 *   3. lift      - each command's arguments and results as IR fields (lift/);
 *   4. infer     - initial namespace and ordering dependencies (infer/);
 *   5. emit      - ops in request order with seqs, handles and deps; then the file (emit/).
 * Memory is bounded by the reorder window and the spill threshold, not by the capture size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readCapturesMerged } from '../capture/capture-merge.js';
import { SmbPduExtractor } from '../capture/smb-pdu-stream.js';
import { compilerNeededBytes } from './extract/needed-bytes.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { IR_FORMAT, IR_VERSION } from '../ir/version.js';
import type { IrHeader, IrNamespaceEntry, IrSource, IrUser } from '../ir/types.js';
import { COMPILE_DEFAULTS, type CompileOptions } from './compile-options.js';
import { createCompileStats, synthesizedAny, type CompileStats } from './compile-stats.js';
import { WarningLog, type CompileWarning } from './compile-warnings.js';
import { captureTimeWarnings } from './capture-time-warnings.js';
import { Correlator } from './correlate/correlator.js';
import type { UserState } from './correlate/user-state.js';
import { Anonymizer } from './emit/anonymizer.js';
import { OpEmitter } from './emit/op-emitter.js';
import { OpSink } from './emit/op-sink.js';
import { ReorderQueue } from './emit/reorder-queue.js';
import { writeWorkloadFile } from './emit/workload-file.js';
import { writeCheckedWorkload } from './emit/workload-writer.js';

export interface CompileUserSummary {
  readonly id: string;
  readonly name: string;
  readonly sessions: number;
  readonly dialect?: number;
  readonly ops: number;
  readonly namespaceEntries: number;
}

export interface CompileResult {
  readonly output: string;
  readonly workloadId: string;
  readonly sha256: string;
  readonly sources: readonly IrSource[];
  readonly users: readonly CompileUserSummary[];
  readonly namespace: { readonly files: number; readonly dirs: number; readonly bytes: number };
  /** From the first to the last SMB message, microseconds. */
  readonly durationUs: number;
  readonly stats: CompileStats;
  readonly warnings: readonly CompileWarning[];
  /** Wall-clock time the compile took. */
  readonly elapsedMs: number;
}

export async function compileCaptures(
  inputs: readonly string[],
  options: CompileOptions,
): Promise<CompileResult> {
  if (inputs.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'no capture files given');
  const started = performance.now();
  const warnings = new WarningLog();
  const anonymizer = options.anonymize
    ? new Anonymizer(typeof options.anonymize === 'object' ? options.anonymize.salt : undefined)
    : undefined;
  const tmp = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'smbench-compile-'));
  const sink = new OpSink(tmp);
  try {
    // The extractor owns the capture counters the correlator's stats embed, so it comes first and
    // reaches the correlator through this slot.
    const route: { to?: Correlator } = {};
    const extractor = new SmbPduExtractor({
      onPdu: (pdu) => route.to!.onPdu(pdu),
      onConnectionEnd: (id, ts, frame) => route.to!.onConnectionEnd(id, ts, frame),
      serverPorts: options.serverPorts ?? [],
      ...(options.wholeMessages === true
        ? {}
        : { neededBytes: compilerNeededBytes(options.keepData ?? false) }),
      ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    });
    const stats = createCompileStats(extractor.stats);
    const emitter = new OpEmitter(stats, sink, anonymizer);
    const window = (options.windowSeconds ?? COMPILE_DEFAULTS.windowSeconds) * 1e6;
    const queue = new ReorderQueue(
      emitter,
      stats,
      warnings,
      options.maxBufferedOps ?? COMPILE_DEFAULTS.maxBufferedOps,
      window,
    );
    const correlator = new Correlator(stats, warnings, queue, (t) => (emitter.traceStart = t), {
      keepData: options.keepData ?? false,
      synthesize: options.synthesize ?? true,
      ...(options.share === undefined ? {} : { share: options.share }),
    });
    route.to = correlator;

    // Several inputs are merged by timestamp (rotated files, one file per interface). PDUs flow
    // into the correlator synchronously; between chunks the op compressor may catch up.
    const spans = await readCapturesMerged(inputs, extractor.stats, extractor.onPacket, {
      ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      between: () => sink.pressure(),
    });
    const sources: IrSource[] = spans.map((s) => ({
      file: basename(s.path),
      packets: s.packets,
      bytes: s.bytes,
    }));
    captureTimeWarnings(spans, warnings);
    extractor.finish();
    correlator.finish();
    await sink.finish();
    captureWarnings(stats, warnings);

    const users = correlator.users;
    const namespace = namespaceOf(users, anonymizer);
    const header: IrHeader = {
      format: IR_FORMAT,
      version: IR_VERSION,
      generator: options.generator ?? COMPILE_DEFAULTS.generator,
      createdAt: new Date().toISOString(),
      sources,
      payloads: options.keepData === true ? 'data' : 'sizes',
      anonymized: anonymizer !== undefined,
      counts: { users: users.length, ops: sink.count, namespace: namespace.length },
      ...(stats.firstTimestampMicros > 0
        ? { traceStart: new Date(stats.firstTimestampMicros / 1000).toISOString() }
        : {}),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(synthesizedAny(stats) ? { synthesized: { ...stats.synthesized } } : {}),
    };
    const irUsers: IrUser[] = users.map((u) => ({
      id: u.id,
      name: anonymizer ? anonymizer.userName(u.name) : u.name,
      ...(u.dialect === undefined ? {} : { dialect: u.dialect }),
      sessions: u.sessions,
      ...(u.synthetic ? { synthetic: true } : {}),
    }));
    const prologue = { header, users: irUsers, namespace };
    const checks = options.checks ?? 'none';
    const written =
      checks === 'none'
        ? await writeWorkloadFile(options.output, prologue, sink)
        : await writeCheckedWorkload(options.output, prologue, sink, checks);
    return {
      output: options.output,
      workloadId: written.workloadId,
      sha256: written.sha256,
      sources,
      users: users.map((u, i) => ({
        id: u.id,
        name: irUsers[i]!.name,
        sessions: u.sessions,
        ...(u.dialect === undefined ? {} : { dialect: u.dialect }),
        ops: u.ops,
        namespaceEntries: namespace.filter((e) => e.user === u.id).length,
      })),
      namespace: namespaceTotals(namespace),
      durationUs: stats.lastTimestampMicros - stats.firstTimestampMicros,
      stats,
      warnings: warnings.list(),
      elapsedMs: performance.now() - started,
    };
  } finally {
    sink.abort();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function namespaceOf(users: readonly UserState[], anonymizer: Anonymizer | undefined): IrNamespaceEntry[] {
  const out: IrNamespaceEntry[] = [];
  for (const u of users) {
    for (const e of u.namespace.entries()) {
      const path = anonymizer ? anonymizer.path(e.path) : e.path;
      out.push(
        e.attributes === undefined
          ? { user: u.id, path, kind: e.kind, size: e.size }
          : { user: u.id, path, kind: e.kind, size: e.size, attributes: e.attributes },
      );
    }
  }
  return out;
}

function namespaceTotals(ns: readonly IrNamespaceEntry[]): { files: number; dirs: number; bytes: number } {
  const totals = { files: 0, dirs: 0, bytes: 0 };
  for (const e of ns) {
    if (e.kind === 'dir') totals.dirs++;
    else {
      totals.files++;
      totals.bytes += e.size;
    }
  }
  return totals;
}

/** Capture-level losses become warnings: a workload from a lossy capture is still useful, but say so. */
function captureWarnings(stats: CompileStats, warnings: WarningLog): void {
  const c = stats.capture;
  if (c.lostBytes > 0)
    warnings.addMany(
      'capture',
      c.gaps,
      `${c.gaps} TCP gaps lost ${c.lostBytes} bytes (${c.droppedMessages} SMB messages dropped)`,
    );
  if (c.truncatedPackets > 0)
    warnings.addMany(
      'capture',
      c.truncatedPackets,
      `${c.truncatedPackets} packets truncated by the snap length or end of file`,
    );
  if (c.malformedPackets > 0)
    warnings.addMany(
      'capture',
      c.malformedPackets,
      `${c.malformedPackets} packets with malformed IP/TCP headers`,
    );
  if (c.resyncs > 0)
    warnings.addMany(
      'capture',
      c.resyncs,
      `${c.resyncs} stream resynchronisations (${c.discardedBytes} bytes discarded)`,
    );
  if (c.ipFragmentsSkipped > 0)
    warnings.addMany('capture', c.ipFragmentsSkipped, `${c.ipFragmentsSkipped} IP fragments not reassembled`);
  if (c.smb1Messages > 0)
    warnings.addMany('capture', c.smb1Messages, `${c.smb1Messages} SMB1 messages skipped`);
}
