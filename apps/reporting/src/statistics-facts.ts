import type { EventStore } from '@harbour/event-store';
import {
  caseStatisticsReadModel,
  STATISTICS,
  type CaseStatisticsRow,
  type StatisticsMilestone,
  type StatisticsRoute,
} from '@harbour/projections';
import type { ReadStore, Row } from '@harbour/read-store';

/** One case's statistics facts as the report aggregates them (times in ms since the epoch). */
export interface CaseFacts {
  readonly route: StatisticsRoute;
  readonly region: string;
  readonly policeForceArea: string;
  readonly ageGroup: string;
  readonly gender: string;
  readonly exploitationTypes: readonly string[];
  /** `uk`, `overseas` or `both`. */
  readonly exploitationLocation: string;
  readonly firstResponderType: string;
  readonly referredAt: number;
  readonly statusHistory: readonly (readonly [number, string])[];
  readonly milestones: readonly (StatisticsMilestone & { readonly time: number })[];
}

/** Where the facts came from: the read model at its checkpoint, or a replay of the event store. */
export type FactsSource = 'read-model' | 'replay';

/**
 * The `case_statistics` rows as they stood at global position `position`. When the projection's
 * checkpoint is exactly there, they are read from the read model; otherwise (a report pinned to an
 * earlier position, re-run after more events arrived) the same `evolve` is replayed over the event
 * store up to that position, which gives the same rows, so the same report.
 */
export async function statisticsFactsAt(
  eventStore: EventStore,
  readStore: ReadStore,
  position: bigint,
): Promise<{ facts: CaseFacts[]; source: FactsSource }> {
  const checkpoint = await readStore.checkpoint(STATISTICS.name);
  if (checkpoint && checkpoint.position === position && checkpoint.version === STATISTICS.version) {
    const rows: Row[] = [];
    let after: Row | undefined;
    for (;;) {
      const page = await readStore.select(caseStatisticsReadModel, {
        orderBy: [{ column: 'case_id', direction: 'asc' }],
        ...(after ? { after } : {}),
        limit: 5000,
      });
      rows.push(...page);
      if (page.length < 5000) break;
      after = page[page.length - 1];
    }
    return { facts: rows.map(factsOf), source: 'read-model' };
  }
  const table = new Map<string, CaseStatisticsRow>();
  const model = caseStatisticsReadModel;
  for await (const event of eventStore.readAll({ filter: { eventTypes: [...model.handles] } })) {
    if (event.position > position) break;
    try {
      const key = model.keyOf(event);
      if (key === undefined) continue;
      const id = String(key.case_id);
      const next = model.evolve(table.get(id) ?? null, event);
      if (next === null) table.delete(id);
      else table.set(id, next);
    } catch {
      // The runner parks an event whose evolve fails and goes on; so does the replay.
    }
  }
  const ids = [...table.keys()].sort();
  return { facts: ids.map((id) => factsOf(table.get(id) as unknown as Row)), source: 'replay' };
}

function factsOf(row: Row): CaseFacts {
  const text = (column: string) => String(row[column]);
  const list = <T>(column: string) => {
    const value = row[column];
    return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
  };
  return {
    route: text('route') as StatisticsRoute,
    region: text('region'),
    policeForceArea: text('police_force_area'),
    ageGroup: text('age_group'),
    gender: text('gender'),
    exploitationTypes: list<string>('exploitation_types'),
    exploitationLocation: text('exploitation_location'),
    firstResponderType: text('first_responder_type'),
    referredAt: Date.parse(text('referred_at')),
    statusHistory: list<[string, string]>('status_history').map(([at, status]) => [Date.parse(at), status] as const),
    milestones: list<StatisticsMilestone>('milestones').map((milestone) => ({
      ...milestone,
      time: Date.parse(milestone.at),
    })),
  };
}
