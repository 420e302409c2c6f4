/**
 * `POST /cases` through Harbour's whole command pipeline (token, DTO validation, decide, event
 * schema, hash chain, whatever else `createApiApp` puts on the path, durable append) against a bare
 * NestJS-on-Fastify endpoint that only appends the same event with the same group commit, both
 * driven by autocannon in the same run (a benchmark, not a test).
 *
 *   npm run bench:http [-- --seconds 10 --rounds 2]
 *
 * Goals (issue 10): at 100 connections, at least 0.6 of the bare endpoint's requests/s, and a p99
 * at most twice its p99.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { tempDir } from '@harbour/testing';
import { runBenchmark, type BenchSection, type Measurement } from './bench-support';
import { referral } from '../apps/api/test/support/pilot-path';

interface Server {
  readonly url: string;
  readonly token: string;
  readonly process: ChildProcess;
}

async function startServer(mode: 'harbour' | 'bare', dataDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'http-server.ts'), mode, dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited (${code}) before listening`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  return { url, token, process: child };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

interface Load {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/**
 * Every request is a new referral: without an Idempotency-Key each command gets a fresh id, and
 * the case id is derived from it, so no request replays or conflicts with another.
 */
async function load(server: Server, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({
    url: `${server.url}/cases`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(referral()),
  });
  const ok = result['2xx'];
  if (ok === 0)
    throw new Error(`no request to ${server.url} succeeded (${result.non2xx} non-2xx, ${result.errors} errors)`);
  return {
    requestsPerSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

runBenchmark({ seconds: 10, rounds: 2 }, async ({ seconds, rounds }): Promise<BenchSection> => {
  const dir = tempDir('harbour-bench-http-');
  const servers = {
    bare: await startServer('bare', join(dir.path, 'bare')),
    harbour: await startServer('harbour', join(dir.path, 'harbour')),
  };
  console.log(`HTTP benchmark: POST /cases, ${seconds}s per measurement, best of ${rounds}`);
  const measurements: Measurement[] = [];
  let failed = 0;
  try {
    // Warm both up (JIT, SQLite page cache) before anything is counted.
    await load(servers.bare, 10, 1);
    await load(servers.harbour, 10, 1);
    for (const connections of [10, 100]) {
      let bare: Load | undefined;
      let harbour: Load | undefined;
      for (let round = 0; round < rounds; round++) {
        const b = await load(servers.bare, connections, seconds);
        const h = await load(servers.harbour, connections, seconds);
        failed += b.failed + h.failed;
        if (!bare || b.requestsPerSecond > bare.requestsPerSecond) bare = b;
        if (!harbour || h.requestsPerSecond > harbour.requestsPerSecond) harbour = h;
      }
      const atLoad = `${connections} connections`;
      const bareRate = { name: `bare NestJS+Fastify append, ${atLoad}`, value: bare!.requestsPerSecond };
      const bareP50 = { name: `bare p50, ${atLoad}`, value: bare!.p50 };
      const bareP99 = { name: `bare p99, ${atLoad}`, value: bare!.p99 };
      const goals = connections === 100;
      measurements.push(
        { ...bareRate, unit: 'requests/s', better: 'higher' },
        {
          name: `Harbour POST /cases, ${atLoad}`,
          value: harbour!.requestsPerSecond,
          unit: 'requests/s',
          better: 'higher',
          baseline: bareRate,
          ...(goals ? { goal: 0.6 } : {}),
        },
        { ...bareP50, unit: 'ms', better: 'lower' },
        { name: `Harbour p50, ${atLoad}`, value: harbour!.p50, unit: 'ms', better: 'lower', baseline: bareP50 },
        { ...bareP99, unit: 'ms', better: 'lower' },
        {
          name: `Harbour p99, ${atLoad}`,
          value: harbour!.p99,
          unit: 'ms',
          better: 'lower',
          baseline: bareP99,
          ...(goals ? { goal: 2 } : {}),
        },
      );
    }
  } finally {
    await Promise.all([stopServer(servers.bare), stopServer(servers.harbour)]);
    dir.remove();
  }
  return {
    id: 'http',
    title: 'Commands over HTTP: POST /cases (new referral per request)',
    measurements,
    notes: [
      `autocannon in the benchmark process, each server in its own process; ${seconds}s per measurement, best of ${rounds}, bare and Harbour interleaved; requests/s counts 2xx only (failed requests: ${failed}).`,
      'Harbour: createApiApp with the embedded SQLite store (WAL, synchronous=FULL) and HARBOUR_PROJECTOR=external, so projections do not share the process; no Idempotency-Key, so every request is a new case.',
      'Bare: the same NestJS 12 + Fastify adapter and the same SqliteEventStore (group commit), one route that appends the request body as a ReferralRaised to a new stream; no token, validation, decider, schema or hash.',
    ],
  };
});
