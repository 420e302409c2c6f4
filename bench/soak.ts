/**
 * Soak: mixed commands and queries at a steady rate against the API on the embedded store, for a
 * fixed time, memory sampled every second. Not a test: `npm run bench:soak [-- --minutes 10 --rate 40]`.
 * Writes bench/results/soak-<date>-<host>.json (the samples) and prints the load held, errors and
 * the memory curve (first minute against last minute).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@harbour/application';
import { mintDevelopmentToken } from '@harbour/security';
import { tempDir } from '@harbour/testing';
import { apiConfigFrom } from '../apps/api/src/api.config';
import { createApiApp } from '../apps/api/src/app.factory';
import { referral as syntheticReferral } from '../apps/api/test/support/pilot-path';
import { parseOptions } from './bench-support';

const SECRET = 'harbour-soak-secret-harbour-soak-secret-0123456789';

interface Sample {
  readonly second: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly requests: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const { minutes, rate } = parseOptions(process.argv.slice(2), { minutes: 10, rate: 40 });
  const dir = tempDir('harbour-soak-');
  // Two users read at the soak's rate: the per-user read limit is not what it measures.
  const config = apiConfigFrom({
    HARBOUR_DATA_DIR: dir.path,
    HARBOUR_PORT: '0',
    HARBOUR_JWT_SECRET: SECRET,
    HARBOUR_READ_RATE_LIMIT_MAX: '1000000',
  });
  const clock = new FakeClock(new Date('2015-09-01T09:00:00.000Z'));
  const app = await createApiApp(config, { clock, logger: ['error'] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const token = (role: 'lead' | 'case-manager') =>
    mintDevelopmentToken(
      { role, region: 'south-west', agency: 'home-office', userId: `${role}-soak`, ttl: '2h' },
      config.security,
    );
  const lead = await token('lead');
  const caseManager = await token('case-manager');

  const cases: string[] = [];
  let requests = 0;
  let errors = 0;
  const latencies: number[] = [];
  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    latencies.push(performance.now() - started);
    requests += 1;
    if (response.status >= 500) errors += 1;
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const referral = syntheticReferral();
  // The mix: a third new referrals, a third work on existing cases, a third reads.
  const step = async (n: number) => {
    const kind = n % 6;
    const caseId = cases.length ? cases[n % cases.length] : undefined;
    if (kind < 2 || !caseId) {
      const raised = await call('POST', '/cases', lead, referral);
      if (raised.status === 201) cases.push(String(raised.body.caseId));
    } else if (kind === 2) {
      await call('POST', `/cases/${caseId}/evidence`, caseManager, { kind: 'other', description: `Item ${n}` });
    } else if (kind === 3) {
      await call('POST', `/cases/${caseId}/information-requests`, caseManager, {
        requestedFrom: 'Dorset Police',
        details: 'Records.',
      });
    } else if (kind === 4) {
      await call('GET', `/cases?limit=50`, caseManager);
    } else {
      await call('GET', `/cases/${caseId}/file`, lead);
    }
  };

  const samples: Sample[] = [];
  const seconds = Math.round(minutes * 60);
  const interval = 1000 / rate;
  let issued = 0;
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  for (let second = 1; second <= seconds; second++) {
    const until = started + second * 1000;
    while (Date.now() < until) {
      const due = started + issued * interval;
      if (Date.now() >= due) {
        const job = step(issued).catch(() => {
          errors += 1;
        });
        issued += 1;
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      } else {
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, due - Date.now())));
      }
    }
    // Business time moves a day a minute, so the deadline scheduler has misses to record.
    clock.advance((24 * 60 * 60 * 1000) / 60);
    const memory = process.memoryUsage();
    samples.push({
      second,
      rssMiB: Math.round(memory.rss / 1048576),
      heapUsedMiB: Math.round(memory.heapUsed / 1048576),
      requests,
      errors,
    });
    if (second % 30 === 0) {
      process.stdout.write(
        `${second}s: ${requests} requests, ${errors} errors, heap ${samples.at(-1)!.heapUsedMiB} MiB, rss ${samples.at(-1)!.rssMiB} MiB\n`,
      );
    }
  }
  await Promise.all(inFlight);
  await app.close();
  dir.remove();

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const minute = (from: number, to: number) => {
    const window = samples.filter((s) => s.second > from && s.second <= to);
    return Math.round(window.reduce((sum, s) => sum + s.heapUsedMiB, 0) / Math.max(1, window.length));
  };
  const summary = {
    minutes,
    targetRate: rate,
    heldRate: Math.round((requests / seconds) * 10) / 10,
    requests,
    errors,
    p50Ms: Math.round(pct(50) * 10) / 10,
    p99Ms: Math.round(pct(99) * 10) / 10,
    cases: cases.length,
    heapFirstMinuteMiB: minute(0, 60),
    heapLastMinuteMiB: minute(seconds - 60, seconds),
    rssMaxMiB: Math.max(...samples.map((s) => s.rssMiB)),
  };
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `soak-${new Date().toISOString().slice(0, 10)}-${hostname()}.json`);
  writeFileSync(file, `${JSON.stringify({ summary, samples }, null, 2)}\n`);
  process.stdout.write(`\n${JSON.stringify(summary, null, 2)}\nSamples: ${file}\n`);
  if (errors > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
