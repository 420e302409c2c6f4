import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { HarbourMetrics } from '@harbour/observability';
import type { Projection } from '@harbour/projections';
import { JsonLinesLogger, type LogSink } from './json-lines.logger';
import type { ProjectorConfig } from './projector.config';
import { ProjectorModule, ProjectorService } from './projector.module';
import type { SupervisorState } from '@harbour/projections';
import { startProjectorHttp } from './projector.http';

export interface StartProjectorOptions {
  readonly config: ProjectorConfig;
  /** The projections to run (the registry's `PROJECTIONS` in production, a test projection in tests). */
  readonly projections: readonly Projection[];
  /** Where the JSON log lines go (default stdout). */
  readonly logSink?: LogSink;
}

/** A running projector. */
export interface Projector {
  readonly app: INestApplicationContext;
  /** Each projection's worker state, by projection name. */
  states(): Record<string, SupervisorState>;
  /** Where `/metrics` and `/health/*` are served, when configured. */
  readonly httpUrl?: string;
  /** Lets every batch in hand commit, releases leader locks, closes the stores. */
  stop(): Promise<void>;
}

/** Boots the projector (a Nest application context, no HTTP) and starts every projection. */
export async function startProjector(options: StartProjectorOptions): Promise<Projector> {
  const logger = new JsonLinesLogger(
    options.logSink,
    { service: 'projector' },
    { level: options.config.logLevel, format: options.config.logFormat },
  );
  const metrics = new HarbourMetrics({ service: 'projector' });
  const app = await NestFactory.createApplicationContext(
    ProjectorModule.forRoot({ config: options.config, projections: options.projections, logger, metrics }),
    { logger, abortOnError: false },
  );
  await app.init();
  const service = app.get(ProjectorService);
  logger.info('projector started', {
    eventStore: options.config.eventStore.adapter,
    readStore: options.config.readStore.adapter,
    projections: options.projections.map((projection) => projection.name).join(','),
  });
  const states = () =>
    Object.fromEntries(service.workers.map((worker, i) => [options.projections[i].name, worker.state]));
  const { http } = options.config;
  const server = http
    ? await startProjectorHttp({ ...http, metrics, metricsToken: options.config.metricsToken, states })
    : undefined;
  const address = server?.address() as AddressInfo | undefined;
  let stopping: Promise<void> | undefined;
  return {
    app,
    states,
    ...(address ? { httpUrl: `http://${http!.host}:${address.port}` } : {}),
    stop: () => {
      // The batch in hand commits (the workers stop before the stores close), then the stores close.
      stopping ??= new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(() => app.close())
        .then(() => logger.info('projector stopped'));
      return stopping;
    },
  };
}
