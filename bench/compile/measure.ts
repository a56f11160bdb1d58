/**
 * Runs a command under `/usr/bin/time -v` to get its wall time and peak RSS (the kernel's
 * high-water mark of the process, VmHWM), the same way for tshark and for smbench.
 */
import { spawn } from 'node:child_process';

export interface Measured {
  readonly wallSeconds: number;
  readonly maxRssMiB: number;
  readonly exitCode: number;
  readonly stdoutBytes: number;
  readonly stderr: string;
}

export function measure(argv: readonly string[], timeoutMs = 30 * 60_000): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdoutBytes += c.length));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({
        wallSeconds: (performance.now() - started) / 1000,
        maxRssMiB: rss ? Number(rss[1]) / 1024 : NaN,
        exitCode: code ?? -1,
        stdoutBytes,
        stderr: stderr.slice(-2000),
      });
    });
  });
}
