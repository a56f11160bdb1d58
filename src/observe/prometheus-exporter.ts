import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';
import { PrometheusRunCollector, type PrometheusCollectorOptions } from './prometheus-collector.js';
import type { RunMetrics } from './run-metrics.js';
import type { PoolCounters, RunObserver } from './run-observer.js';

/**
 * `--metrics-port`: an HTTP endpoint Prometheus scrapes during a run (GET /metrics). Bound to
 * 127.0.0.1 unless told otherwise: the endpoint has no authentication, and it reveals op mixes and
 * error statuses of the target, so exposing it (`--metrics-host 0.0.0.0`, e.g. in a Kubernetes pod)
 * is an explicit choice. Port 0 picks a free port (tests); the chosen one is in `url`.
 */
export const DEFAULT_METRICS_HOST = '127.0.0.1';
export const METRICS_PATH = '/metrics';

export interface PrometheusExporterOptions extends PrometheusCollectorOptions {
  readonly port: number;
  readonly host?: string;
}

export class PrometheusExporter implements RunObserver {
  readonly collector: PrometheusRunCollector;
  private readonly server: Server;

  private constructor(collector: PrometheusRunCollector, server: Server) {
    this.collector = collector;
    this.server = server;
  }

  static async start(options: PrometheusExporterOptions): Promise<PrometheusExporter> {
    const collector = new PrometheusRunCollector(options);
    const server = createServer((req, res) => {
      void respond(collector, req, res);
    });
    const host = options.host ?? DEFAULT_METRICS_HOST;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(
          new SmbBenchError(
            ErrorCode.USAGE,
            `cannot serve metrics on ${formatHostPort(host, options.port)}: ${err.code ?? err.message}`,
            { cause: err },
          ),
        );
      };
      server.once('error', onError);
      server.listen(options.port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // Scrapes are rare and short; the endpoint must never keep a finished run alive.
    server.unref();
    return new PrometheusExporter(collector, server);
  }

  /** The bound address, e.g. `http://127.0.0.1:9464/metrics`. */
  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://${formatHostPort(a.address, a.port)}${METRICS_PATH}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  attach(metrics: RunMetrics, pool: PoolCounters): void {
    metrics.addListener(this.collector);
    this.collector.attachPool(pool);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive connections of a scraper would otherwise hold close() open for minutes.
      this.server.closeAllConnections();
    });
  }
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

async function respond(
  collector: PrometheusRunCollector,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (path === '/') {
    res
      .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`smbench metrics: ${METRICS_PATH}\n`);
    return;
  }
  if (path !== METRICS_PATH) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await collector.metrics();
    res.writeHead(200, { 'content-type': collector.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
  }
}
