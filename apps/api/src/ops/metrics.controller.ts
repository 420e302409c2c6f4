import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { METRICS_CONTENT_TYPE, type HarbourMetrics } from '@harbour/observability';
import { ForbiddenError, Public, UnauthenticatedError, bearerTokenFrom } from '@harbour/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { METRICS } from './metrics.providers';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Prometheus scrapes `/metrics`. It holds no personal data (see `HarbourMetrics`), but it tells
 * how busy each region's workflow is, so it is not for everyone: Prometheus holds no user's token,
 * so instead of a role the route takes the one bearer token `HARBOUR_METRICS_TOKEN` (required in
 * distributed mode). In embedded mode without that setting it answers only clients on the same
 * machine (loopback), wherever the API listens: an API on 0.0.0.0 (a container) does not open it.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    @Inject(METRICS) private readonly metrics: HarbourMetrics,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    const token = config.operations.metricsToken;
    this.token = token === undefined ? undefined : Buffer.from(token);
  }

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.token) {
      const presented = bearerTokenFrom(request.headers.authorization);
      const bytes = Buffer.from(presented);
      if (bytes.length !== this.token.length || !timingSafeEqual(bytes, this.token)) {
        throw new UnauthenticatedError('invalid');
      }
    } else if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) {
      // The socket's address, not X-Forwarded-For, which a client writes itself.
      throw new ForbiddenError('Without HARBOUR_METRICS_TOKEN, /metrics answers only this machine');
    }
    void reply
      .status(200)
      .header('Content-Type', METRICS_CONTENT_TYPE)
      .header('Cache-Control', 'no-store')
      .send(await this.metrics.render());
  }
}
