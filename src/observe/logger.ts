import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pino } from 'pino';
import type { DestinationStream, Logger, StreamEntry } from 'pino';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { PrettyLogStream, type LogTextStream } from './logger-pretty.js';

/**
 * Structured logs of a run (pino). Where they go:
 *
 * - `--log-file FILE`: every record at `--log-level` (default info) as JSON lines, appended;
 *   warnings and errors are also shown on stderr.
 * - no file: stderr only, default level warn, so a run's progress line is not buried in info
 *   records. On a terminal the records are human-readable lines; off one (CI, pipes) JSON lines.
 *
 * Passwords never reach a record: callers log sanitized facts (redactSecrets), and pino's redact
 * censors the usual secret-bearing keys as a second line of defence.
 */
export const LogLevel = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: 'silent',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export const LOG_LEVELS = Object.values(LogLevel);

export const LogFormat = {
  /** One JSON object per line (pino's native format). */
  json: 'json',
  /** `HH:MM:SS.mmm LEVEL message key=value ...` */
  pretty: 'pretty',
} as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];
export const LOG_FORMATS = Object.values(LogFormat);

export const DEFAULT_FILE_LOG_LEVEL: LogLevel = LogLevel.info;
export const DEFAULT_STDERR_LOG_LEVEL: LogLevel = LogLevel.warn;

/** Keys whose values are censored wherever they appear (pino redact paths, one level deep). */
const SECRET_KEYS = ['password', 'passwd', 'secret', 'ntHash', 'ntlmHash', 'sessionKey', 'key'];
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);
const SECRET_KEY_PATTERN = /pass(word|wd)?$|secret|hash$|^(nt|lm)?key$|sessionkey/i;

export interface RunLoggerOptions {
  readonly file?: string;
  readonly level?: LogLevel;
  /** Default: json in the file; on stderr pretty on a TTY, json otherwise. */
  readonly format?: LogFormat;
  /** Default process.stderr. */
  readonly stderr?: LogTextStream;
  /** Fields on every record, e.g. `{ shard: '2/8' }`. */
  readonly base?: Readonly<Record<string, unknown>>;
}

export interface RunLogger {
  readonly log: Logger;
  /** Flushes and closes the file (if any). Safe to call twice. */
  close(): Promise<void>;
}

/** A deep copy of `value` without secret-bearing keys (passwords, hashes, keys). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY_PATTERN.test(k)) continue;
    out[k] = redactSecrets(v);
  }
  return out;
}

/** stderr as a pino destination in the chosen format. */
function stderrDestination(stderr: LogTextStream, format: LogFormat | undefined): DestinationStream {
  const pretty = format === LogFormat.pretty || (format === undefined && stderr.isTTY === true);
  if (pretty) return new PrettyLogStream(stderr);
  return { write: (chunk: string) => void stderr.write(chunk) };
}

async function openFileDestination(file: string): Promise<ReturnType<typeof pino.destination>> {
  let fd: number;
  try {
    await mkdir(dirname(file), { recursive: true });
    fd = openSync(file, 'a');
  } catch (err) {
    throw new SmbBenchError(ErrorCode.USAGE, `cannot open log file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // Asynchronous writes (SonicBoom buffers and writes in the background): logging a record costs
  // a string append on the run's event loop, never a blocking write.
  const dest = pino.destination({ fd, sync: false });
  dest.on('error', (err: Error) => process.stderr.write(`smbench: log file ${file}: ${err.message}\n`));
  return dest;
}

export async function openRunLogger(options: RunLoggerOptions = {}): Promise<RunLogger> {
  const stderr = options.stderr ?? process.stderr;
  const common = {
    base: { pid: process.pid, ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (options.file === undefined) {
    const level = options.level ?? DEFAULT_STDERR_LOG_LEVEL;
    const log = pino({ ...common, level }, stderrDestination(stderr, options.format));
    return { log, close: () => Promise.resolve() };
  }

  const level = options.level ?? DEFAULT_FILE_LOG_LEVEL;
  const file = await openFileDestination(options.file);
  const fileStream: DestinationStream =
    options.format === LogFormat.pretty ? new PrettyLogStream({ write: (c: string) => file.write(c) }) : file;
  const streams: StreamEntry[] = [{ level: level === 'silent' ? 'fatal' : level, stream: fileStream }];
  // Warnings also on stderr so a problem is seen without opening the file.
  streams.push({ level: 'warn', stream: stderrDestination(stderr, options.format) });
  const log = pino({ ...common, level }, pino.multistream(streams));
  let closed: Promise<void> | undefined;
  return {
    log,
    close() {
      closed ??= new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      });
      return closed;
    },
  };
}
