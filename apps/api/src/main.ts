import 'reflect-metadata';
import { createLogger } from '@harbour/observability';
import { apiConfigFrom, type ApiConfig } from './api.config';
import { createApiApp } from './app.factory';
import { checkListenAddress, listenProblem } from './ops/listen-address';
import { LOCAL_USERS, startLocalConsoleProvider, type LocalOidcProvider } from './console/local-oidc-provider';

/** A setting that only shows it is wrong once tried: one line naming it, exit 78 (EX_CONFIG). */
function stopOnSetting(problem: string): never {
  process.stderr.write(`Harbour cannot start: ${problem}\n`);
  process.exit(78);
}

const LOCAL_LOGINS = LOCAL_USERS.map((user) => `${user.sub} (${user.role})`).join(', ');

/** `npm start`: the API on the embedded store, data under ./data (see README). */
async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = apiConfigFrom(process.env);
  } catch (error) {
    process.stderr.write(`Harbour cannot start: ${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const addressProblem = await checkListenAddress(config.host, config.port);
  if (addressProblem !== undefined) stopOnSetting(addressProblem);
  const logger = createLogger({
    service: 'api',
    level: config.operations.logLevel,
    format: config.operations.logFormat,
  });
  // Embedded mode with no OpenID provider configured: a local one, so the console needs no setup.
  let localProvider: LocalOidcProvider | undefined;
  const localPort = config.console.localProvider?.port;
  if (localPort !== undefined) {
    try {
      ({ provider: localProvider, config } = await startLocalConsoleProvider(config, localPort));
    } catch (error) {
      stopOnSetting(
        `the console's local OpenID provider cannot listen on ${config.host}:${localPort} ` +
          `(${(error as Error).message}); set HARBOUR_CONSOLE_OIDC_PORT to a free port`,
      );
    }
  }
  let app: Awaited<ReturnType<typeof createApiApp>>;
  try {
    app = await createApiApp(config);
  } catch (error) {
    // What only shows once the stores open says all there is to say: the message, no stack. A
    // setting (a master key the key store does not know) exits 78; a damaged store file exits 1.
    const name = (error as Error)?.name;
    if (name === 'ConfigurationError' || name === 'CorruptStoreError' || name === 'CorruptReadStoreError') {
      process.stderr.write(`Harbour cannot start: ${(error as Error).message}\n`);
      process.exit(name === 'ConfigurationError' ? 78 : 1); // 78: EX_CONFIG
    }
    throw error;
  }
  const fastify = app.getHttpAdapter().getInstance();
  let stopping = false;
  // On SIGTERM/SIGINT: stop accepting connections and let the requests in flight finish (Fastify
  // answers 503 to any that arrive on a kept-alive connection meanwhile), then stop the
  // projections after their batch in hand, close the stores, and exit 0: a clean stop.
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests; finishing those in flight');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.operations.shutdownTimeoutMs }, 'did not stop in time');
      process.exit(1);
    }, config.operations.shutdownTimeoutMs);
    timer.unref();
    // Node closes the connections idle when closing starts; one busy then (a command in flight on
    // a kept-alive connection) turns idle once answered, and would hold the close open: sweep.
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    fastify
      .close()
      .then(() => {
        clearInterval(sweep);
        logger.info('requests finished; stopping projections and closing the stores');
        return Promise.all([app.close(), localProvider?.close()]);
      })
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ error: (error as Error)?.message ?? String(error) }, 'did not stop cleanly');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const problem = listenProblem(error, config.host, config.port);
    if (problem === undefined) throw error;
    await app.close().catch(() => undefined);
    stopOnSetting(problem);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const apiUrl = `http://${config.host}:${port}`;
  if (localProvider) await localProvider.registerConsole(config, apiUrl);
  logger.info(
    { host: config.host, port, eventStore: config.eventStore.adapter, readStore: config.readStore.adapter },
    `API listening on ${apiUrl}; OpenAPI at /docs`,
  );
  if (config.console.oidc) {
    const where = config.console.publicUrl ?? apiUrl;
    const signIn = localProvider
      ? `; sign in at the local OpenID provider (${localProvider.issuer}) as ${LOCAL_LOGINS}, any password`
      : `; sign in at ${config.console.oidc.issuer}`;
    logger.info({ console: `${where}/console` }, `Console at ${where}/console${signIn}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Harbour failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
