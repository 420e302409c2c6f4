import { PROJECTIONS } from '@harbour/projections';
import { runProjectorProcess } from './projector.process';

/** `npm run projector`: the projections of the registry, against the configured stores. */
runProjectorProcess(PROJECTIONS, process.env).catch((error: unknown) => {
  process.stderr.write(`Harbour projector failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
