/**
 * Records loopback traffic with tcpdump around a piece of work: started (and confirmed listening)
 * before the traffic, stopped by pid with SIGINT afterwards, and waited for so the file is flushed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const hasTcpdump = spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).status === 0;

export class TcpdumpRecorder {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  /** Starts `tcpdump -i lo -w FILE 'tcp port PORT'` and resolves once it is capturing. */
  static async start(file: string, port: number, timeoutMs = 10_000): Promise<TcpdumpRecorder> {
    // --immediate-mode: without it libpcap's TPACKET_V3 ring hands packets over only when a block
    // fills or times out, and a SIGINT before that loses the tail of the capture.
    const child = spawn(
      'tcpdump',
      ['-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', file, `tcp port ${port}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), timeoutMs);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`tcpdump exited with ${code}: ${stderr}`));
      });
    });
    return new TcpdumpRecorder(child, exited);
  }

  /** SIGINT by pid, then wait until tcpdump has flushed and exited. */
  async stop(): Promise<void> {
    // Let the last packets of the traffic reach the capture buffer before asking tcpdump to stop.
    await new Promise((r) => setTimeout(r, 300));
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(this.child.pid, 'SIGINT');
    await this.exited;
  }
}
