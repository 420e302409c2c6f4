import { Module, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationModule, type Clock } from '@harbour/application';
import { EventStoreModule } from '@harbour/event-store';
import { ReadStoreModule } from '@harbour/read-store';
import { createLogger, HarbourMetrics, NestPinoLogger, type LogSink } from '@harbour/observability';
import { SecurityModule } from '@harbour/security';
import { API_CONFIG, type ApiConfig } from './api.config';
import { AuditController } from './audit/audit.controller';
import { ACCESS_LOG_PROVIDER, AccessLogFlush } from './audit/access-log.provider';
import { CaseQueriesController } from './cases/case-queries.controller';
import { DeadlineSchedulerHost } from './projections/deadline-scheduler.host';
import { ProjectionHost } from './projections/projection-host';
import { LedgerHost } from './ledger/ledger.host';
import { LedgerController } from './ledger/ledger.controller';
import { MinPositionInterceptor } from './http/min-position.interceptor';
import { CasesController } from './cases/cases.controller';
import { DutyToNotifyController } from './dtn/duty-to-notify.controller';
import { ReferralSubmissionsController } from './intake/referral-submissions.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { acceptJsonBodiesOnly } from './http/json-body';
import { ProblemDetailsFilter, toProblem, writeClientErrorProblem } from './http/problem-details.filter';
import { requestValidationPipe } from './http/request-validation';
import { ReadRateLimitInterceptor } from './http/read-rate-limit';
import { setUpOpenApi } from './openapi';
import { WorkflowsController } from './workflows/workflows.controller';
import { OrganisationsController } from './organisations/organisations.controller';
import { WorkflowDiffController } from './workflows/workflow-diff.controller';
import { PrivacyController } from './privacy/privacy.controller';
import { PanelsController } from './panels/panels.controller';
import { MeetingsController } from './meetings/meetings.controller';
import { LettersController } from './letters/letters.controller';
import { LETTER_STORE_PROVIDER, LettersHost } from './letters/letters.host';
import { HealthController } from './ops/health.controller';
import { installHttpOperations } from './ops/http-operations';
import { MetricsController } from './ops/metrics.controller';
import { MetricsInstaller, metricsProvider } from './ops/metrics.providers';
import { consolePlugin } from './console/console.plugin';

export interface ApiAppOptions {
  readonly clock?: Clock;
  /** Nest's own log lines; by default they go, as JSON, where `logSink` says. */
  readonly logger?: LoggerService | LogLevel[] | false;
  /** Where the JSON log lines go (default stdout). */
  readonly logSink?: LogSink;
  /** Wall-clock milliseconds for console session expiry (tests move it). */
  readonly consoleNow?: () => number;
}

/** Builds the HTTP API (not yet listening), so tests run exactly what `npm start` runs. */
export async function createApiApp(config: ApiConfig, options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger({
    service: 'api',
    level: config.operations.logLevel,
    format: config.operations.logFormat,
    sink: options.logSink,
  });
  const metrics = new HarbourMetrics({ service: 'api' });
  @Module({
    imports: [
      EventStoreModule.forRoot(config.eventStore),
      ReadStoreModule.forRoot(config.readStore),
      SecurityModule.forRoot(config.security),
      ApplicationModule.forRoot({
        idempotency: config.idempotency,
        clock: options.clock,
        workflowRoutes: config.workflowRoutes,
        privacy: config.privacy,
      }),
    ],
    controllers: [
      CasesController,
      CaseQueriesController,
      DutyToNotifyController,
      ReferralSubmissionsController,
      WorkflowsController,
      WorkflowDiffController,
      AuditController,
      PrivacyController,
      PanelsController,
      MeetingsController,
      LettersController,
      OrganisationsController,
      LedgerController,
      HealthController,
      MetricsController,
    ],
    providers: [
      metricsProvider(metrics),
      MetricsInstaller,
      IdempotencyInterceptor,
      MinPositionInterceptor,
      ACCESS_LOG_PROVIDER,
      AccessLogFlush,
      LETTER_STORE_PROVIDER,
      LettersHost,
      { provide: API_CONFIG, useValue: config },
      ...(config.projector === 'in-process' ? [ProjectionHost, DeadlineSchedulerHost, LedgerHost] : []),
    ],
  })
  class ApiModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule,
    new FastifyAdapter({
      bodyLimit: config.bodyLimitBytes,
      trustProxy:
        typeof config.operations.trustProxy === 'boolean'
          ? config.operations.trustProxy
          : [...config.operations.trustProxy],
      // What Fastify's router refuses before Nest sees the request (a malformed URL, a path
      // segment over the parameter length) leaves as problem details too, without echoing it.
      clientErrorHandler: (error, socket) => writeClientErrorProblem(error, socket, config.problemTypeBase),
      frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
        const problem = toProblem(error, config.problemTypeBase);
        void reply
          .status(problem.status)
          .header('Content-Type', 'application/problem+json')
          .send({ ...problem, detail: 'The URL is malformed, or a part of its path is too long' });
      },
    }),
    // Nest's own parsers (JSON and forms) are replaced by one that takes JSON only.
    // abortOnError false: a provider that cannot start (a damaged store, a wrong master key)
    // rejects here, and main.ts says why and exits.
    { logger: options.logger ?? new NestPinoLogger(logger), bodyParser: false, abortOnError: false },
  );
  acceptJsonBodiesOnly(app, config.bodyLimitBytes);
  await installHttpOperations(app, config.operations, metrics, logger);
  app.useGlobalFilters(new ProblemDetailsFilter(config.problemTypeBase));
  // After the guards (interceptors run after them): it counts the authenticated user's reads.
  app.useGlobalInterceptors(new ReadRateLimitInterceptor(config.operations.readRateLimit));
  app.useGlobalPipes(requestValidationPipe());
  setUpOpenApi(app);
  // The web console: pages over this same API, served only when an OpenID provider is configured.
  if (config.console.oidc) {
    await app.register(consolePlugin, {
      prefix: '/console',
      config: config.console,
      security: config.security,
      now: options.consoleNow,
    });
  }
  await app.init();
  return app;
}
