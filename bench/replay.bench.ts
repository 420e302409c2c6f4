/**
 * The state of a case as of a revision (the audit lib's replay, as `GET /cases/:id/state?revision=`
 * serves it) for a case of 1,000 events, against a raw read of the same stream with better-sqlite3
 * (select and parse every event), in the same run (a benchmark, not a test).
 *
 *   npm run bench:replay [-- --events 1000 --seconds 3 --rounds 2]
 *
 * Goal (issue 21): at most 1.5 times the raw read's time.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DomainExamples } from '@harbour/domain';
import { caseStateAt, chainEvents, loadCase } from '@harbour/audit';
import { SqliteEventStore, type JsonObject } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { runBenchmark, type BenchSection } from './bench-support';
import { fillStore } from './case-events';

const { commands, actors, at, times } = DomainExamples;

/** A case in its recovery period followed by evidence added until it has `count` events. */
function longCase(count: number): { caseId: string; events: { type: string; data: JsonObject }[] } {
  const history = DomainExamples.historyIn.recovery();
  const steps: DomainExamples.Step[] = Array.from({ length: count - history.length }, (_, i) => [
    commands.addEvidence({ evidenceId: randomUUID(), description: `Statement ${i + 1} from a witness.` }),
    at(actors.caseManager, times.evidenceAddedAt),
  ]);
  const events = DomainExamples.run(steps, history);
  return { caseId: String(events[0].data.caseId), events: events as unknown as { type: string; data: JsonObject }[] };
}

/** Replays per second over `seconds`. */
async function rate(seconds: number, replay: () => Promise<unknown> | unknown): Promise<number> {
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    await replay();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

runBenchmark(
  { events: 1000, seconds: 3, rounds: 2, background: 100_000 },
  async ({ events: size, seconds, rounds, background }): Promise<BenchSection> => {
    const dir = tempDir('harbour-bench-replay-');
    const filename = join(dir.path, 'events.db');
    // Other cases around it, so the stream is read from a store of realistic size, not alone.
    await fillStore(filename, background);
    const store = new SqliteEventStore({ filename });
    const { caseId, events } = longCase(size);
    const stream = `case-${caseId}`;
    const chained = chainEvents(
      '',
      events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { actor: { userId: 'bench', role: 'case-manager' }, schemaVersion: 1 } as JsonObject,
      })),
    );
    await store.appendToStream(stream, chained, { expectedRevision: 'no_stream' });
    const revision = BigInt(events.length - 1);
    console.log(`replay benchmark: a case of ${events.length} events among ${background.toLocaleString('en-GB')}`);

    const raw = new Database(filename, { readonly: true });
    const select = raw
      .prepare('SELECT * FROM events WHERE stream = ? AND revision <= ? ORDER BY revision')
      .safeIntegers(true);
    const rawRead = () =>
      (select.all(stream, revision) as Record<string, unknown>[]).map((row) => ({
        ...row,
        data: JSON.parse(String(row.data)) as unknown,
        metadata: JSON.parse(String(row.metadata)) as unknown,
      }));
    const harbourReplay = async () => caseStateAt(await loadCase(store, caseId), { revision });
    if ((await harbourReplay()).revision !== String(revision)) throw new Error('the replay stopped short');

    let bestRaw = 0;
    let bestHarbour = 0;
    for (let round = 0; round < rounds; round++) {
      bestRaw = Math.max(bestRaw, await rate(seconds, rawRead));
      bestHarbour = Math.max(bestHarbour, await rate(seconds, harbourReplay));
    }
    raw.close();
    await store.close();
    dir.remove();
    const rawFigure = {
      name: `raw read of the stream (select + JSON.parse), ${events.length} events`,
      value: 1000 / bestRaw,
    };
    return {
      id: 'replay',
      title: `Replay: state as of a revision of a ${events.length}-event case`,
      measurements: [
        { ...rawFigure, unit: 'ms', better: 'lower' },
        {
          name: `Harbour as-of replay (loadCase + caseStateAt), ${events.length} events`,
          value: 1000 / bestHarbour,
          unit: 'ms',
          better: 'lower',
          baseline: rawFigure,
          goal: 1.5,
        },
      ],
      notes: [
        `Time per replay of the whole stream (as of its last revision); best of ${rounds} rounds of ${seconds}s; the case is one of ${background.toLocaleString('en-GB')} events of other cases in the same store.`,
        'Harbour reads the stream through the EventStore port (pages of 512), folds it with the domain caseFold (the states of evolveCase, its own lists grown in place), and answers as of the revision asked for (the last here, so with the state already folded), as GET /cases/:id/state does (without HTTP and the access log).',
      ],
    };
  },
);
