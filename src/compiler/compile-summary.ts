/**
 * The human summary `smbench compile` prints on stderr: users, sessions, ops by type, bytes,
 * duration, warnings and skipped counts. `--json` prints `compileResultJson` on stdout instead.
 */
import { OP_KINDS } from '../ir/types.js';
import type { CompileResult } from './compile.js';
import { SKIP_REASONS, synthesizedAny, totalSkipped } from './compile-stats.js';

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(2)} MiB`;
}

function seconds(us: number): string {
  return `${(us / 1e6).toFixed(3)} s`;
}

export function formatCompileSummary(r: CompileResult): string {
  const s = r.stats;
  const c = s.capture;
  const lines: string[] = [];
  lines.push(`workload ${r.output} (id ${r.workloadId})`);
  lines.push(
    `captures: ${r.sources.map((x) => x.file).join(', ')}: ${c.packets} packets, ${mib(c.fileBytes)}, ` +
      `${c.smbConnections} SMB connections, ${s.messages} SMB2 messages, compiled in ${(r.elapsedMs / 1000).toFixed(2)} s`,
  );
  lines.push(`trace duration: ${seconds(r.durationUs)}`);
  const sessions = s.sessions;
  lines.push(
    `users: ${r.users.length}; sessions: ${sessions.ntlm} NTLM, ${sessions.kerberos} Kerberos, ` +
      `${sessions.anonymous} anonymous, ${sessions.unknown} other, ${sessions.failed} failed`,
  );
  for (const u of r.users.slice(0, 20)) {
    lines.push(
      `  ${u.id.padEnd(6)} ${u.name.padEnd(32)} ${String(u.ops).padStart(9)} ops  ${u.sessions} sessions  ${u.namespaceEntries} ns`,
    );
  }
  if (r.users.length > 20) lines.push(`  ... and ${r.users.length - 20} more`);
  lines.push(`ops: ${s.ops}`);
  for (const kind of OP_KINDS) {
    const n = s.opsByKind[kind];
    if (n > 0) lines.push(`  ${kind.padEnd(16)} ${String(n).padStart(9)}`);
  }
  lines.push(`bytes: read ${mib(s.bytesRead)}, written ${mib(s.bytesWritten)}`);
  lines.push(
    `namespace: ${r.namespace.files} files (${mib(r.namespace.bytes)}), ${r.namespace.dirs} directories`,
  );
  lines.push(
    `correlation: ${s.responses} responses, ${s.unmatchedResponses} unmatched, ${s.interimResponses} interim (async), ` +
      `${s.compoundChains} compound chains, ${s.breakNotifications} break notifications`,
  );
  lines.push(
    `plumbing: ${s.validateNegotiates} validate-negotiate IOCTLs, ${s.breakAcknowledgments} break acknowledgments (the runner's client does these itself)`,
  );
  if (s.mirroredRequests > 0) {
    lines.push(
      `mirrored: ${s.mirroredRequests} requests, ${s.mirroredResponses} responses repeated by a relay on another connection (dropped)`,
    );
  }
  const synth = s.synthesized;
  if (synthesizedAny(s)) {
    lines.push(
      `synthesized (set up before the capture): ${synth.users} users, ${synth.trees} trees, ` +
        `${synth.handles} pre-opened handles`,
    );
  }
  const skipped = totalSkipped(s);
  lines.push(`skipped: ${skipped}${skipped > 0 ? ':' : ''}`);
  for (const reason of SKIP_REASONS) {
    if (s.skipped[reason] > 0) lines.push(`  ${reason.padEnd(20)} ${String(s.skipped[reason]).padStart(9)}`);
  }
  if (s.encryptedPdus > 0)
    lines.push(`encrypted: ${s.encryptedPdus} messages (${mib(s.encryptedBytes)}) not decodable`);
  if (s.compressedPdus > 0)
    lines.push(`compressed: ${s.compressedPdus} messages (${mib(s.compressedBytes)}) skipped`);
  if (s.malformedMessages > 0) lines.push(`malformed: ${s.malformedMessages} messages`);
  if (r.warnings.length > 0) {
    lines.push('warnings:');
    for (const w of r.warnings) {
      lines.push(`  ${w.kind} (${w.count})`);
      for (const e of w.examples) lines.push(`    ${e}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The `--json` form: the result as plain JSON (stats included, nothing elided). */
export function compileResultJson(r: CompileResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
