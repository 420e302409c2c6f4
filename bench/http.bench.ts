/**
 * `POST /cases` through Harbour's whole command pipeline (token, DTO validation, decide, event
 * schema, hash chain, whatever else `createApiApp` puts on the path, durable append) against a bare
 * NestJS-on-Fastify endpoint that only appends the same event with the same group commit, both
 * driven by autocannon in the same run (a benchmark, not a test).
 *
 *   npm run bench:http [-- --seconds 10 --rounds 2]
 *
 * Goals (issues 10, 21): at 100 connections, at least 0.6 of the bare endpoint's requests/s, and a p99
 * at most twice its p99. Then, embedded (the projector in process), the time from a command's 2xx
 * until GET /cases/:id shows it, at half the most commands/s: p99 at most 5 group commits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { ONE_KIB_PAYLOAD, runBenchmark, type BenchSection, type Measurement } from './bench-support';
import { referral } from '../apps/api/test/support/pilot-path';

interface Server {
  readonly url: string;
  readonly token: string;
  readonly process: ChildProcess;
}

async function startServer(mode: 'harbour' | 'embedded' | 'bare', dataDir: string): Promise<Server> {
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

/**
 * Requests until the server has answered a few (JIT, SQLite page cache): on a loaded machine a
 * server just started may answer none in its first seconds, which must not end the benchmark.
 */
async function warmUp(server: Server): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = await autocannon({
      url: `${server.url}/cases`,
      method: 'POST',
      connections: 10,
      duration: 2,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(referral()),
    });
    if (result['2xx'] >= 10) return;
  }
  throw new Error(`${server.url} answered too few requests to warm up`);
}

/** The value below which `share` of the sorted `values` lie. */
function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

/**
 * The time of one group commit on this machine now: 64 appends in flight at once, which the
 * event store writes in one transaction and one flush (synchronous=FULL), as the server does
 * under load; the median of `seconds` of them.
 */
async function groupCommitMs(seconds: number): Promise<number> {
  const dir = tempDir('harbour-bench-commit-');
  const store = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
  const times: number[] = [];
  try {
    const deadline = performance.now() + seconds * 1000;
    for (let round = 0; performance.now() < deadline; round++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          store.appendToStream(
            `commit-${i}`,
            [{ id: randomUUID(), type: 'Measured', data: { round, payload: ONE_KIB_PAYLOAD }, metadata: {} }],
            { expectedRevision: 'any' },
          ),
        ),
      );
      times.push(performance.now() - started);
    }
  } finally {
    await store.close();
    dir.remove();
  }
  return percentile(times, 0.5);
}

interface ReaderLag {
  readonly sentPerSecond: number;
  readonly followed: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/**
 * Commands sent at a fixed rate (open loop: not waiting for answers); after every `followEvery`-th
 * command's 2xx, `GET /cases/:id` is asked again every millisecond until it answers 200: the time
 * from the 2xx to that answer is how long a reader waits to see the command's effect.
 */
async function readerLag(server: Server, rate: number, seconds: number, followEvery: number): Promise<ReaderLag> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
  const body = JSON.stringify(referral());
  const lags: number[] = [];
  let failed = 0;
  const follow = async (caseId: string, answeredAt: number) => {
    for (;;) {
      const response = await fetch(`${server.url}/cases/${caseId}`, { headers });
      await response.arrayBuffer();
      if (response.status === 200) return lags.push(performance.now() - answeredAt);
      if (response.status !== 404) return (failed += 1);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const command = async (n: number) => {
    const response = await fetch(`${server.url}/cases`, { method: 'POST', headers, body });
    const answeredAt = performance.now();
    const result = (await response.json()) as { caseId?: string };
    if (response.status >= 300 || !result.caseId) return (failed += 1);
    if (n % followEvery === 0) await follow(result.caseId, answeredAt);
  };
  const inFlight: Promise<unknown>[] = [];
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) inFlight.push(command(sent));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const sentPerSecond = sent / ((performance.now() - started) / 1000);
  await Promise.all(inFlight);
  return { sentPerSecond, followed: lags.length, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), failed };
}

/**
 * From a command to what a reader sees, embedded mode (the projector in the API's process): the
 * most commands/s the server takes (autocannon, 100 connections), then half that rate with the
 * reader lag of a sample, against one group commit measured in the same run.
 */
async function commandToReader(dir: string, seconds: number): Promise<{ measurements: Measurement[]; note: string }> {
  const server = await startServer('embedded', join(dir, 'embedded'));
  try {
    await warmUp(server);
    const most = await load(server, 100, seconds);
    const commit = await groupCommitMs(Math.min(seconds, 3));
    const lag = await readerLag(server, most.requestsPerSecond / 2, seconds, 4);
    if (lag.followed === 0) throw new Error('no command was seen by a reader');
    const commitFigure = { name: 'one group commit (64 appends in flight, median)', value: commit };
    const atRate = `embedded, ${Math.round(lag.sentPerSecond).toLocaleString('en-GB')} commands/s`;
    return {
      measurements: [
        {
          name: 'embedded POST /cases, 100 connections (the most it takes)',
          value: most.requestsPerSecond,
          unit: 'requests/s',
          better: 'higher',
        },
        { ...commitFigure, unit: 'ms', better: 'lower' },
        {
          name: `command to reader p50, ${atRate}`,
          value: lag.p50,
          unit: 'ms',
          better: 'lower',
          baseline: commitFigure,
        },
        {
          name: `command to reader p99, ${atRate}`,
          value: lag.p99,
          unit: 'ms',
          better: 'lower',
          baseline: commitFigure,
          goal: 5,
        },
      ],
      note:
        `Command to reader: the API with its projector in process (embedded, as npm start runs); commands sent at half the rate autocannon reached (open loop) for ${seconds}s; ` +
        `after one command in 4 answered 2xx, GET /cases/:id asked every millisecond until 200 (${lag.followed} followed, ${lag.failed} failed); ` +
        'one group commit: 64 appends of 1 KiB in flight on a fresh store of the bench process, median time to all durable.',
    };
  } finally {
    await stopServer(server);
  }
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
    await warmUp(servers.bare);
    await warmUp(servers.harbour);
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
  }
  let readerNote: string;
  try {
    const reader = await commandToReader(dir.path, seconds);
    measurements.push(...reader.measurements);
    readerNote = reader.note;
  } finally {
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
      readerNote,
    ],
  };
});
