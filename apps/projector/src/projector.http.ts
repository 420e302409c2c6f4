import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { METRICS_CONTENT_TYPE, type HarbourMetrics } from '@harbour/observability';
import type { SupervisorState } from '@harbour/projections';

export interface ProjectorHttpOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: HarbourMetrics;
  readonly metricsToken?: string;
  /** Each projection's worker state, by projection name. */
  readonly states: () => Record<string, SupervisorState>;
}

/**
 * The projector has no API, only what operators need: `/metrics` for Prometheus (behind
 * `HARBOUR_METRICS_TOKEN` when set), `/health/live`, and `/health/ready`, which is false once a
 * projection has stopped on a failing event (a standby is ready: standing by is its job).
 * Plain `node:http`: three fixed routes do not need a framework.
 */
export async function startProjectorHttp(options: ProjectorHttpOptions): Promise<Server> {
  const token = options.metricsToken === undefined ? undefined : Buffer.from(`Bearer ${options.metricsToken}`);
  const server = createServer((request, response) => {
    const json = (status: number, body: object) =>
      response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return json(405, { status: 405, title: 'Method not allowed' });
    if (path === '/health/live') return json(200, { status: 'ok' });
    if (path === '/health/ready') {
      const states = options.states();
      const ok = Object.values(states).every((state) => state !== 'failed' && state !== 'stopped');
      return json(ok ? 200 : 503, { status: ok ? 'ready' : 'not-ready', projections: states });
    }
    if (path === '/metrics') {
      const presented = Buffer.from(request.headers.authorization ?? '');
      if (token && (presented.length !== token.length || !timingSafeEqual(presented, token))) {
        response.setHeader('www-authenticate', 'Bearer realm="harbour"');
        return json(401, { status: 401, title: 'Unauthenticated' });
      }
      options.metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
        () => json(500, { status: 500, title: 'Internal error' }),
      );
      return;
    }
    json(404, { status: 404, title: 'Not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
