import type { EventStore } from '@harbour/event-store';
import {
  panelMeetingStatisticsReadModel,
  STATISTICS,
  type MeetingOutcomeFact,
  type PanelMeetingStatisticsRow,
} from '@harbour/projections';
import type { ReadStore, Row } from '@harbour/read-store';

/** One panel meeting as the report counts it (times in ms since the epoch). */
export interface MeetingFacts {
  readonly panelId: string;
  readonly meetingAt: number;
  readonly outcomes: readonly { readonly time: number; readonly outcome: MeetingOutcomeFact['outcome'] }[];
}

/**
 * The `panel_meeting_statistics` rows as they stood at global position `position`: from the read
 * model when the statistics projection's checkpoint is exactly there, else by replaying the same
 * `evolve` over the event store up to that position (as {@link statisticsFactsAt} does), so a
 * report re-run at its pinned position gives the same figures either way.
 */
export async function meetingFactsAt(
  eventStore: EventStore,
  readStore: ReadStore,
  position: bigint,
): Promise<MeetingFacts[]> {
  const model = panelMeetingStatisticsReadModel;
  const checkpoint = await readStore.checkpoint(STATISTICS.name);
  if (checkpoint && checkpoint.position === position && checkpoint.version === STATISTICS.version) {
    const rows: Row[] = [];
    let after: Row | undefined;
    for (;;) {
      const page = await readStore.select(model, {
        orderBy: [{ column: 'meeting_id', direction: 'asc' }],
        ...(after ? { after } : {}),
        limit: 5000,
      });
      rows.push(...page);
      if (page.length < 5000) break;
      after = page[page.length - 1];
    }
    return rows.map((row) => factsOf(row as unknown as PanelMeetingStatisticsRow));
  }
  const table = new Map<string, PanelMeetingStatisticsRow>();
  for await (const event of eventStore.readAll({ filter: { eventTypes: [...model.handles] } })) {
    if (event.position > position) break;
    try {
      const key = model.keyOf(event);
      if (key === undefined) continue;
      const id = String(key.meeting_id);
      const next = model.evolve(table.get(id) ?? null, event);
      if (next === null) table.delete(id);
      else table.set(id, next);
    } catch {
      // The runner parks an event whose evolve fails and goes on; so does the replay.
    }
  }
  return [...table.keys()].sort().map((id) => factsOf(table.get(id) as PanelMeetingStatisticsRow));
}

function factsOf(row: PanelMeetingStatisticsRow): MeetingFacts {
  const outcomes = (
    typeof row.outcomes === 'string' ? JSON.parse(row.outcomes) : row.outcomes
  ) as readonly MeetingOutcomeFact[];
  return {
    panelId: String(row.panel_id),
    meetingAt: Date.parse(String(row.meeting_at)),
    outcomes: outcomes.map(({ at, outcome }) => ({ time: Date.parse(at), outcome })),
  };
}
