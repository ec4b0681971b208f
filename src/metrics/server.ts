// The operators' HTTP endpoint: GET /metrics (Prometheus text format) and GET /healthz (200 or 503,
// with a small JSON body saying what is wrong). Bound to loopback unless METRICS_HOST says otherwise.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health.js';

export interface MetricsEndpoints {
  metrics(): Promise<{ contentType: string; body: string }>;
  health(): Promise<Health>;
}

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(
  host: string,
  port: number,
  endpoints: MetricsEndpoints,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const answer = (status: number, contentType: string, body: string): void => {
      response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      answer(405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
    } else if (path === '/metrics') {
      endpoints.metrics().then(
        ({ contentType, body }) => answer(200, contentType, body),
        (error: unknown) =>
          answer(500, 'text/plain; charset=utf-8', `could not collect metrics: ${String(error)}\n`),
      );
    } else if (path === '/healthz') {
      endpoints.health().then(
        (health) => answer(health.healthy ? 200 : 503, 'application/json', `${JSON.stringify(health)}\n`),
        (error: unknown) =>
          answer(503, 'application/json', `${JSON.stringify({ healthy: false, error: String(error) })}\n`),
      );
    } else {
      answer(404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `METRICS_PORT ${port} is already in use on ${host}: choose another port`
            : `cannot serve metrics on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections alive; they need not hold the shutdown.
        server.closeAllConnections();
      }),
  };
}
