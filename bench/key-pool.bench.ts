/**
 * The key store's share of `POST /cases`: what a new referral asks of `keys.db` before its event
 * may be appended (link the stream to its subject, and give the subject a data key), 64 requests
 * in flight, on a file with synchronous=FULL as the API runs it (a benchmark, not a test).
 *
 * - baseline: the way before key pools, still on the port: a fresh key wrapped under the subject
 *   and stored with `insertKey` in the same group commit as the link;
 * - pooled: `SubjectKeys.writingKey` (a key leased ahead of use, claimed in the link's commit).
 *
 *   npm run bench:key-pool [-- --seconds 5 --rounds 2]
 *
 * The whole request over HTTP is `npm run bench:http`; this isolates the part issue 21 changed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { MasterKey, SqliteKeyStore, SubjectKeys, keyCheckValue, newDataKey, wrapKey } from '@harbour/privacy';
import { runBenchmark, type BenchSection, type Measurement } from './bench-support';

const IN_FLIGHT = 64;

type NewReferral = (stream: string, subjectId: string) => Promise<unknown>;

async function rate(newReferral: NewReferral, seconds: number): Promise<{ perSecond: number; p99: number }> {
  let done = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        const begun = performance.now();
        await newReferral(`case-${randomUUID()}`, randomUUID());
        latencies.push(performance.now() - begun);
        done += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    perSecond: done / ((performance.now() - started) / 1000),
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
  };
}

async function measure(
  way: 'baseline' | 'pooled',
  dir: string,
  seconds: number,
): Promise<{ perSecond: number; p99: number }> {
  const masterKey = new MasterKey(randomBytes(32), 'bench');
  const store = new SqliteKeyStore(join(dir, `${way}-keys.db`));
  const keys = await SubjectKeys.open(store, masterKey);
  const master = masterKey.bytes();
  const masterKeyId = keyCheckValue(master);
  const newReferral: NewReferral =
    way === 'pooled'
      ? (stream, subjectId) => Promise.all([store.linkStream(stream, subjectId), keys.writingKey(subjectId)])
      : (stream, subjectId) =>
          Promise.all([
            store.linkStream(stream, subjectId),
            store.insertKey({
              subjectId,
              wrappedKey: wrapKey(newDataKey(), master, subjectId),
              masterKeyId,
              createdAt: new Date().toISOString(),
              erasedAt: null,
            }),
          ]);
  try {
    await rate(newReferral, 0.5); // Warm-up (and the pool's first lease).
    return await rate(newReferral, seconds);
  } finally {
    await keys.close();
  }
}

runBenchmark({ seconds: 5, rounds: 2 }, async ({ seconds, rounds }): Promise<BenchSection> => {
  const dir = tempDir('harbour-bench-key-pool-');
  console.log(
    `Key pool benchmark: ${IN_FLIGHT} new referrals in flight, ${seconds}s per measurement, best of ${rounds}`,
  );
  let baseline = { perSecond: 0, p99: Infinity };
  let pooled = { perSecond: 0, p99: Infinity };
  try {
    for (let round = 0; round < rounds; round++) {
      const b = await measure('baseline', join(dir.path, String(round)), seconds);
      const p = await measure('pooled', join(dir.path, String(round)), seconds);
      if (b.perSecond > baseline.perSecond) baseline = b;
      if (p.perSecond > pooled.perSecond) pooled = p;
    }
  } finally {
    dir.remove();
  }
  const baseRate = { name: 'key made per request (before pools): new referrals/s', value: baseline.perSecond };
  const baseP99 = { name: 'key made per request: p99', value: baseline.p99 };
  const measurements: Measurement[] = [
    { ...baseRate, unit: 'per s', better: 'higher' },
    {
      name: 'key from the pool: new referrals/s',
      value: pooled.perSecond,
      unit: 'per s',
      better: 'higher',
      baseline: baseRate,
    },
    { ...baseP99, unit: 'ms', better: 'lower' },
    { name: 'key from the pool: p99', value: pooled.p99, unit: 'ms', better: 'lower', baseline: baseP99 },
  ];
  return {
    id: 'key-pool',
    title: 'The key store on the command path: a new referral’s link and data key (keys.db, synchronous=FULL)',
    measurements,
    notes: [
      `${IN_FLIGHT} in flight; both ways share one group commit per turn of the event loop with the stream links.`,
      'Pooled: keys leased 256 at a time in one commit ahead of use; a request claims one in the link’s commit.',
    ],
  };
});
