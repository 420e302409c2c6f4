import type { Projection } from '@harbour/projections';
import { startProjector } from './projector';
import { projectorConfigFrom, type ProjectorConfig } from './projector.config';

/**
 * The projector as an OS process: configuration from the environment (a bad value exits 78,
 * EX_CONFIG, naming the setting), then runs until SIGTERM or SIGINT, which let the batch in hand
 * commit and release the leader locks before exiting 0.
 */
export async function runProjectorProcess(projections: readonly Projection[], env: NodeJS.ProcessEnv): Promise<void> {
  let config: ProjectorConfig;
  try {
    config = projectorConfigFrom(env);
  } catch (error) {
    process.stderr.write(`Harbour projector cannot start: ${(error as Error).message}\n`);
    process.exit(78);
  }
  const projector = await startProjector({ config, projections });
  const shutdown = () => {
    projector.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Harbour projector failed to stop cleanly: ${(error as Error)?.stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
