/**
 * Replay-diff over seeded cases, against a projection rebuild of the same events, in the same run
 * (a benchmark, not a test).
 *
 *   npm run bench:replay-diff [-- --cases 20000 --rounds 2]
 *
 * Seeds the synthetic referrals into an SQLite event store (through the real write path, personal
 * data encrypted), then, best of the rounds for each: every read model rebuilt (every projection
 * in PROJECTIONS, as `harbour projections rebuild`), and replay-diff under the pilot with a quorum
 * of 6 (reads every event, decrypts the case events, rebuilds and re-decides every command). Both
 * are reported in events/s over all the events in the store. Goal (issue 17): replay-diff at
 * least 0.5 of the rebuild's events/s.
 */
import { join } from 'node:path';
import { EventSchemaRegistry, createPersonalDataProtector, replayDiff } from '@harbour/application';
import { NRM_PILOT_2015, type WorkflowDefinition } from '@harbour/domain';
import { SqliteEventStore } from '@harbour/event-store';
import { ephemeralPrivacyConfig } from '@harbour/privacy';
import { SqliteReadStore } from '@harbour/read-store';
import { seedSyntheticReferrals } from '@harbour/synthetic';
import { tempDir } from '@harbour/testing';
import { runBenchmark, withMemorySampled, type BenchSection } from './bench-support';
import { harbourRebuild } from './rebuild-loops';

const QUORUM_6: WorkflowDefinition = {
  ...NRM_PILOT_2015,
  version: 2,
  rules: { ...NRM_PILOT_2015.rules, panelQuorum: 6 },
};

runBenchmark({ cases: 20_000, rounds: 2 }, async ({ cases, rounds }): Promise<BenchSection> => {
  const dir = tempDir('harbour-bench-replay-diff-');
  const eventsFile = join(dir.path, 'events.db');
  const store = new SqliteEventStore({ filename: eventsFile });
  const seedReadStore = new SqliteReadStore({ filename: join(dir.path, 'seed-read.db') });
  const schemas = new EventSchemaRegistry();
  const personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
  try {
    const seedStarted = Date.now();
    const seeded = await seedSyntheticReferrals(
      { store, readStore: seedReadStore, schemas, personalData },
      { cases, seed: 'bench-replay-diff', from: '2025-07-01T00:00:00Z', to: '2026-09-30T23:59:59Z' },
    );
    await seedReadStore.close();
    const events = Number(await store.headPosition()) + 1;
    console.log(
      `replay-diff benchmark: seeded ${seeded.cases} cases, ${events} events in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`,
    );

    let rebuild = 0;
    let diff = 0;
    let differences = 0;
    let commands = 0;
    for (let round = 0; round < rounds; round++) {
      const rebuilt = await withMemorySampled(() => harbourRebuild(eventsFile, join(dir.path, `read-${round}.db`)));
      rebuild = Math.max(rebuild, events / rebuilt.seconds);
      const diffed = await withMemorySampled(() => replayDiff({ store, personalData }, QUORUM_6));
      diff = Math.max(diff, events / diffed.seconds);
      differences = diffed.result.differences.length;
      commands = diffed.result.commandsReplayed;
      console.log(`  round ${round + 1} of ${rounds} done`);
    }
    const baseline = { name: `projection rebuild, ${cases} cases`, value: rebuild };
    return {
      id: 'replay-diff',
      title: 'Replay-diff (pilot, quorum 6) against a projection rebuild of the same events',
      measurements: [
        { ...baseline, unit: 'events/s', better: 'higher' },
        {
          name: `replay-diff, ${cases} cases`,
          value: diff,
          unit: 'events/s',
          better: 'higher',
          baseline,
          goal: 0.5,
        },
      ],
      notes: [
        `${events} events in the store (${cases} synthetic cases, both routes); best of ${rounds} round(s) each.`,
        `Replay-diff re-decided ${commands} commands of the pilot's cases and found ${differences} that a quorum of 6 would have refused.`,
        'The rebuild runs every projection in PROJECTIONS into a fresh SQLite read store (each reads $all), synchronous=FULL.',
        'Replay-diff reads $all once, decrypts the case events (one key per case), and writes nothing.',
      ],
    };
  } finally {
    await personalData.keys.close();
    await store.close();
    dir.remove();
  }
});
