import { spawn } from 'node:child_process';

export interface ChildRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** user+system CPU seconds of the command and everything it spawned. */
  cpuSeconds: number;
  wallSeconds: number;
}

/**
 * Runs a command under `bash -c '...; times'` so the peer's own CPU time (user + system of the
 * children) is measured the same way for every peer, whatever language it is written in. The
 * `times` builtin prints the shell's times then its children's: we take the second line.
 */
export function runMeasured(argv: readonly string[], timeoutMs: number): Promise<ChildRun> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} 2>"$SMBENCH_STDERR_FILE"; rc=$?; times >&2; exit $rc`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', script.replace('"$SMBENCH_STDERR_FILE"', '/dev/fd/3')], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const peerErr: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => peerErr.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const timesText = Buffer.concat(err).toString();
      resolve({
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(peerErr).toString(),
        exitCode: code ?? -1,
        cpuSeconds: parseChildTimes(timesText),
        wallSeconds: (performance.now() - started) / 1000,
      });
    });
  });
}

/** Parses bash `times` output ("0m0.001s 0m0.002s\n0m1.500s 0m0.250s"): children's user+sys. */
export function parseChildTimes(text: string): number {
  const lines = text.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}
