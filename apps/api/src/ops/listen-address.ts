import { createServer } from 'node:net';

/**
 * What a failed `listen` means to the person starting Harbour, as one line naming the setting to
 * change; `undefined` for an error that is not about the address.
 */
export function listenProblem(error: unknown, host: string, port: number): string | undefined {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'EADDRINUSE':
      return `HARBOUR_PORT: ${port} is already in use on ${host} (another Harbour still running?); choose a free port`;
    case 'EACCES':
      return `HARBOUR_PORT: listening on ${port} needs privileges this process lacks; choose a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `HARBOUR_HOST: ${host} is not an address of this machine`;
    default:
      return undefined;
  }
}

/**
 * Tries the address before anything is opened, so that a port in use stops start-up with one line
 * before the stores, projections and framework start (and log) only to be torn down again. The
 * real `listen` can still lose a race for the port; main.ts reads that failure the same way.
 */
export function checkListenAddress(host: string, port: number): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(listenProblem(error, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
