import {
  CASE_EVENT_TYPES,
  nextFireAt,
  trackDeadlines,
  type CaseDeadlines,
  type Region,
  type TrackedDeadline,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { Projection, ReadModel } from '../../projection';
import { alreadyApplied, caseEventOf, revisionValue } from '../shared/case-event.reader';
import { RowNotFoundError } from '../shared/read-model.errors';

/**
 * The process manager's timers: one row per case with every deadline its workflow definition has
 * set from its events (started, met, cancelled, recorded), and the earliest time the scheduler has
 * something to record for it. The scheduler polls `next_fire_at <= now`; it re-checks each timer
 * against the case stream before it appends, so a row that lags behind the stream is harmless.
 */
export type DeadlinesRow = {
  readonly case_id: string;
  readonly region: Region;
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly deadlines: readonly TrackedDeadline[];
  /** When the next deadline falls due unrecorded (met late included), else null: nothing to do. */
  readonly next_fire_at: string | null;
  readonly revision: number;
  readonly updated_at: string;
};

const COLUMNS: { readonly [Column in keyof DeadlinesRow]-?: ColumnSpec } = {
  case_id: { type: 'text' },
  region: { type: 'text' },
  workflow_id: { type: 'text' },
  workflow_version: { type: 'integer' },
  deadlines: { type: 'json' },
  next_fire_at: { type: 'timestamp', nullable: true },
  revision: { type: 'integer' },
  updated_at: { type: 'timestamp' },
};

export const DEADLINES_TABLE = 'deadlines';

/** The `deadlines` read model (see {@link DeadlinesRow}). */
export const deadlinesReadModel: ReadModel<DeadlinesRow> = {
  table: DEADLINES_TABLE,
  columns: COLUMNS,
  key: ['case_id'],
  indexes: [['next_fire_at']],
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => {
    const caseEvent = caseEventOf(event);
    return caseEvent && { case_id: caseEvent.data.caseId };
  },
  evolve: evolveDeadlines,
};

function evolveDeadlines(row: DeadlinesRow | null, recorded: RecordedEvent): DeadlinesRow | null {
  const event = caseEventOf(recorded);
  if (!event || alreadyApplied(row, recorded)) return row;
  let before: CaseDeadlines;
  let region: Region;
  if (event.type === 'ReferralRaised') {
    before = { caseId: null, workflow: null, deadlines: row?.deadlines ?? [] };
    region = event.data.region;
  } else {
    if (row === null) throw new RowNotFoundError(DEADLINES_TABLE, event.data.caseId, event.type);
    before = {
      caseId: row.case_id,
      workflow: { id: row.workflow_id, version: row.workflow_version },
      deadlines: row.deadlines,
    };
    region = row.region;
  }
  const after = trackDeadlines(before, event);
  if (after.caseId === null || after.workflow === null) {
    throw new RowNotFoundError(DEADLINES_TABLE, event.data.caseId, event.type);
  }
  return {
    case_id: after.caseId,
    region,
    workflow_id: after.workflow.id,
    workflow_version: after.workflow.version,
    deadlines: after.deadlines,
    next_fire_at: nextFireAt(after),
    revision: revisionValue(recorded),
    updated_at: recorded.recordedAt.toISOString(),
  };
}

/**
 * The deadline process manager's projection, on its own checkpoint: the scheduler depends on it
 * alone, and a rebuild of the case read models never pauses the timers.
 */
export const DEADLINE_TIMERS: Projection = {
  name: 'deadline-timers',
  version: 1,
  readModels: [deadlinesReadModel as unknown as ReadModel],
  onFailure: 'park',
};
