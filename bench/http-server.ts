/**
 * A server for the HTTP benchmark, run as its own process so that autocannon and the server do not
 * share a thread. Prints one JSON line `{ url, token }` on stdout when it listens.
 *
 *   node -r @swc-node/register bench/http-server.ts harbour|embedded|bare <data dir>
 *
 * `harbour`: the API as `npm start` builds it (`createApiApp`), projector external so the figure is
 * the command path alone. `embedded`: the same with the projector in process, as `npm start` runs
 * by default (for the time from a command to what a reader sees). `bare`: NestJS on Fastify with one route that appends the same
 * `ReferralRaised` to the same SQLite store with the same group commit, and does nothing else.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, HttpCode, Inject, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore, type JsonObject } from '@harbour/event-store';
import { mintDevelopmentToken } from '@harbour/security';
import { apiConfigFrom } from '../apps/api/src/api.config';
import { createApiApp } from '../apps/api/src/app.factory';

const SECRET = 'harbour-bench-secret-harbour-bench-secret-0123456789';
const BARE_STORE = Symbol('BARE_STORE');

@Controller('cases')
class BareCasesController {
  constructor(@Inject(BARE_STORE) private readonly store: SqliteEventStore) {}

  @Post()
  @HttpCode(201)
  async raise(@Body() body: JsonObject) {
    const caseId = randomUUID();
    const result = await this.store.appendToStream(
      `case-${caseId}`,
      [{ id: randomUUID(), type: 'ReferralRaised', data: { ...body, caseId }, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 'no_stream' },
    );
    return { caseId, revision: String(result.nextRevision), position: String(result.position) };
  }
}

async function bare(dataDir: string): Promise<{ app: NestFastifyApplication; token: string }> {
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.db') });
  @Module({ controllers: [BareCasesController], providers: [{ provide: BARE_STORE, useValue: store }] })
  class BareModule {}
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: ['error'] });
  return { app, token: 'none' };
}

async function harbour(
  dataDir: string,
  projector: 'external' | 'in-process',
): Promise<{ app: NestFastifyApplication; token: string }> {
  const config = apiConfigFrom({
    HARBOUR_DATA_DIR: dataDir,
    HARBOUR_JWT_SECRET: SECRET,
    HARBOUR_PROJECTOR: projector,
    // One client address sends every request: the limit stays in the pipeline, set out of reach.
    HARBOUR_RATE_LIMIT_MAX: '1000000',
  });
  const app = await createApiApp(config, { logger: ['error'] });
  const token = await mintDevelopmentToken(
    { role: 'lead', region: 'south-west', agency: 'Dorset Police', userId: 'lead-bench', ttl: '1h' },
    config.security,
  );
  return { app, token };
}

async function main(): Promise<void> {
  const [mode, dataDir] = process.argv.slice(2);
  if ((mode !== 'harbour' && mode !== 'embedded' && mode !== 'bare') || !dataDir)
    throw new Error('usage: http-server.ts harbour|embedded|bare <dir>');
  mkdirSync(dataDir, { recursive: true });
  const { app, token } = await (mode === 'bare'
    ? bare(dataDir)
    : harbour(dataDir, mode === 'embedded' ? 'in-process' : 'external'));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, token })}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
