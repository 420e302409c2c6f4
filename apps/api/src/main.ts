import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { apiConfigFrom } from './api.config';
import { createApiApp } from './app.factory';

/** `npm start`: the API on the embedded store, data under ./data (see README). */
async function main(): Promise<void> {
  let config;
  try {
    config = apiConfigFrom(process.env);
  } catch (error) {
    process.stderr.write(`Harbour cannot start: ${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  let app;
  try {
    app = await createApiApp(config);
  } catch (error) {
    // A setting that only proves wrong once opened (a master key the key store does not know).
    if ((error as Error)?.name === 'ConfigurationError') {
      process.stderr.write(`Harbour cannot start: ${(error as Error).message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // On SIGTERM/SIGINT: stop accepting, let in-flight commands and the projection batch in hand
  // finish, close the stores, and exit 0 (a clean stop, not a crash).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Harbour did not stop cleanly: ${(error as Error)?.message ?? String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
  await app.listen({ host: config.host, port: config.port });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  new Logger('Harbour').log(
    `API listening on http://${config.host}:${port} (event store: ${config.eventStore.adapter}); OpenAPI at /docs`,
  );
}

// Errors that say all there is to say (a damaged store file): the message, without a stack.
const EXPLAINED = new Set(['CorruptStoreError', 'CorruptReadStoreError', 'ConfigurationError']);

main().catch((error: unknown) => {
  const explained = error instanceof Error && EXPLAINED.has(error.name);
  process.stderr.write(
    explained
      ? `Harbour cannot start: ${error.message}\n`
      : `Harbour failed to start: ${(error as Error)?.stack ?? String(error)}\n`,
  );
  process.exit(1);
});
