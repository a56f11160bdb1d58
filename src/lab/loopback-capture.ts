/**
 * Recording SMB traffic on loopback with tcpdump, for tests, the bundled sample capture and the
 * round-trip check of a run. Only ever the loopback interface and one TCP port of our own lab.
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export interface LoopbackCapture {
  readonly path: string;
  /** Stops tcpdump (SIGINT, so it flushes) and resolves once the file is complete. */
  stop(): Promise<void>;
}

export function tcpdumpPath(): string | undefined {
  for (const candidate of ['/usr/bin/tcpdump', '/usr/sbin/tcpdump', '/sbin/tcpdump']) {
    try {
      statSync(candidate);
      return candidate;
    } catch {
      // try the next location
    }
  }
  const which = spawnSync('sh', ['-c', 'command -v tcpdump'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/**
 * Starts `tcpdump -i lo` for `tcp port PORT`, writing pcap to `path` unbuffered (-U), and waits
 * until it reports it is listening so no early packet is missed.
 */
export async function startLoopbackCapture(
  port: number,
  path: string,
  snaplen = 0,
): Promise<LoopbackCapture> {
  const tcpdump = tcpdumpPath();
  if (!tcpdump) throw new SmbBenchError(ErrorCode.LAB, 'tcpdump is not installed (apt-get install tcpdump)');
  const child = spawn(
    tcpdump,
    [
      '-i',
      'lo',
      '--immediate-mode',
      '-B',
      '262144',
      '-U',
      '-s',
      String(snaplen),
      '-w',
      path,
      `tcp port ${port}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) resolve();
    });
    void exited.then((code) =>
      reject(new SmbBenchError(ErrorCode.LAB, `tcpdump exited (${code}) before listening: ${stderr.trim()}`)),
    );
  });
  // The start-up deadline is cancelled once tcpdump listens: left running, it would kill a capture
  // that lasts longer than 10 s.
  const deadline = new AbortController();
  try {
    await Promise.race([
      listening,
      sleep(10_000, undefined, { signal: deadline.signal }).then(() => {
        child.kill('SIGKILL');
        throw new SmbBenchError(ErrorCode.LAB, `tcpdump did not start listening in 10 s: ${stderr.trim()}`);
      }),
    ]);
  } finally {
    deadline.abort();
  }
  return {
    path,
    async stop() {
      // Let the last packets of the workload reach the capture before asking tcpdump to stop.
      await sleep(200);
      child.kill('SIGINT');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    },
  };
}
