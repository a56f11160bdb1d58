import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** user+system CPU seconds of the command and everything it spawned. */
  cpuSeconds: number;
  wallSeconds: number;
}

/**
 * Runs a command under bash followed by the `times` builtin (written to a temp file), so the
 * peer's own CPU time (user + system of bash's children) is measured the same way for every
 * peer, whatever language it is written in. `times` prints the shell's times, then its
 * children's: we take the second line.
 */
export function runMeasured(argv: readonly string[], timeoutMs: number): Promise<ChildRun> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const timesFile = join(tmpdir(), `smbench-times-${process.pid}-${++runs}`);
  const script = `${quoted}; rc=$?; times > '${timesFile}'; exit $rc`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let timesText = '';
      try {
        timesText = readFileSync(timesFile, 'utf8');
        rmSync(timesFile, { force: true });
      } catch {
        // Killed before `times` ran: CPU unknown (0), the caller sees the exit code.
      }
      resolve({
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        exitCode: code ?? -1,
        cpuSeconds: parseChildTimes(timesText),
        wallSeconds: (performance.now() - started) / 1000,
      });
    });
  });
}

let runs = 0;

/** Parses bash `times` output ("0m0.001s 0m0.002s\n0m1.500s 0m0.250s"): children's user+sys. */
export function parseChildTimes(text: string): number {
  const lines = text.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}
