import {
  findWorkflow,
  type CaseEvent,
  type CaseListedForPanel,
  type Outcome,
  type PanelConvened,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { ReadModel } from '../../projection';
import {
  alreadyApplied,
  canonicalTime,
  caseEventAmong,
  metadataObject,
  revisionValue,
  unreachable,
} from '../shared/case-event.reader';
import { ContradictoryEventError, RowNotFoundError } from '../shared/read-model.errors';

/** A member at the meeting, as `PanelConvened` records them (conflicted members included). */
export type PanelMemberPresent = PanelConvened['data']['members'][number];

/**
 * Where a listing stands: `listed` (awaiting the meeting), `convened` (the panel sat on the case),
 * `decided`, `relisted` (the case moved to another meeting before this one heard it) or `removed`
 * (the case was withdrawn, or closed while suspended, before this meeting decided it).
 */
export type PanelListingStatus = 'listed' | 'convened' | 'decided' | 'relisted' | 'removed';

/** Why a listing was removed from its meeting. */
export type RemovedReason = 'withdrawn' | 'closed';

/**
 * A listing the case has moved on from, as `earlier_listings` keeps it: the same facts as the
 * current listing's columns, camelCased, plus when the next listing superseded it.
 */
export type EarlierListing = {
  readonly panelId: string;
  readonly meetingId: string;
  readonly meetingAt: string;
  readonly listedAt: string;
  readonly urgent: boolean;
  readonly urgencyReasonGiven: boolean;
  readonly status: 'relisted' | 'decided';
  readonly convenedAt: string | null;
  readonly chairId: string | null;
  readonly chairAgency: string | null;
  readonly membersPresent: readonly PanelMemberPresent[] | null;
  readonly attendanceCount: number | null;
  readonly membersCounted: number | null;
  readonly quorate: boolean | null;
  readonly decisionId: string | null;
  readonly decisionOutcome: Outcome | null;
  readonly decidedAt: string | null;
  readonly supersededAt: string;
};

/**
 * The panel schedule: **one row per listed case**, holding its current listing in columns and
 * the listings it moved on from in `earlier_listings`, so every (meeting, case) pair is kept.
 *
 * Why not one row per (meeting, case): a relisting (`CaseListedForPanel` again) does not name the
 * meeting it leaves, and a withdrawal or closure names no meeting at all, while a read model
 * changes exactly the one row `keyOf(event)` names. Keyed by case, every case event finds the
 * row, so the old meeting's listing becomes `relisted` (and a withdrawn case's listing `removed`)
 * the moment it happens. A meeting's agenda is `meeting_id = ?` (current listings) or
 * `meeting_ids contains ?` (every case ever listed to it); `toPanelScheduleEntries` expands a row
 * into one entry per (meeting, case).
 *
 * No personal data: `urgency_reason_given` says whether a reason was recorded, never the reason.
 * Member invitations are not here: the domain records who attended (`PanelConvened`), not who was
 * invited (that belongs to the future `panel-<meetingId>` stream).
 */
export type PanelScheduleRow = {
  readonly case_id: string;
  readonly panel_id: string;
  readonly meeting_id: string;
  readonly meeting_at: string;
  readonly listed_at: string;
  readonly urgent: boolean;
  readonly urgency_reason_given: boolean;
  /** `listed`, `convened`, `decided` or `removed` (`relisted` only appears in earlier listings). */
  readonly status: Exclude<PanelListingStatus, 'relisted'>;
  readonly removed_reason: RemovedReason | null;
  /** The case is suspended while listed or convened: the meeting should not hear it until resumed. */
  readonly case_suspended: boolean;
  readonly convened_at: string | null;
  readonly chair_id: string | null;
  readonly chair_agency: string | null;
  /** Members at the meeting with agency, discipline and conflict (the chair is separate). */
  readonly members_present: readonly PanelMemberPresent[] | null;
  /** Members present, conflicted ones included, chair excluded. */
  readonly attendance_count: number | null;
  /** Members counted towards the quorum: present, without a declared conflict. */
  readonly members_counted: number | null;
  /** `members_counted` reaches the quorum of the case's workflow; null if the workflow is unknown. */
  readonly quorate: boolean | null;
  readonly decision_id: string | null;
  readonly decision_outcome: Outcome | null;
  readonly decided_at: string | null;
  readonly earlier_listings: readonly EarlierListing[];
  /** Every meeting the case was listed to, current last: for `contains` queries. */
  readonly meeting_ids: readonly string[];
  /** The case stream revision that last changed the row. */
  readonly revision: number;
};

const text: ColumnSpec = { type: 'text' };
const optionalText: ColumnSpec = { type: 'text', nullable: true };
const optionalTime: ColumnSpec = { type: 'timestamp', nullable: true };
const optionalInteger: ColumnSpec = { type: 'integer', nullable: true };

const COLUMNS: { readonly [Column in keyof PanelScheduleRow]-?: ColumnSpec } = {
  case_id: text,
  panel_id: text,
  meeting_id: text,
  meeting_at: { type: 'timestamp' },
  listed_at: { type: 'timestamp' },
  urgent: { type: 'boolean' },
  urgency_reason_given: { type: 'boolean' },
  status: text,
  removed_reason: optionalText,
  case_suspended: { type: 'boolean' },
  convened_at: optionalTime,
  chair_id: optionalText,
  chair_agency: optionalText,
  members_present: { type: 'json', nullable: true },
  attendance_count: optionalInteger,
  members_counted: optionalInteger,
  quorate: { type: 'boolean', nullable: true },
  decision_id: optionalText,
  decision_outcome: optionalText,
  decided_at: optionalTime,
  earlier_listings: { type: 'json' },
  meeting_ids: { type: 'json' },
  revision: { type: 'integer' },
};

const TABLE = 'panel_schedule';
const HANDLED = [
  'CaseListedForPanel',
  'PanelConvened',
  'DecisionRecorded',
  'CaseSuspended',
  'CaseResumed',
  'ReferralWithdrawn',
  'CaseClosed',
] as const;
type HandledEvent = Extract<CaseEvent, { type: (typeof HANDLED)[number] }>;

/** The `panel_schedule` read model (see {@link PanelScheduleRow}). */
export const panelScheduleReadModel: ReadModel<PanelScheduleRow> = {
  table: TABLE,
  columns: COLUMNS,
  key: ['case_id'],
  indexes: [['panel_id', 'meeting_at'], ['meeting_at'], ['meeting_id']],
  handles: HANDLED,
  keyOf: (recorded) => {
    const event = handledEventOf(recorded);
    return event && { case_id: event.data.caseId };
  },
  evolve: (row, recorded) => {
    const event = handledEventOf(recorded);
    if (!event || alreadyApplied(row, recorded)) return row;
    const next = applied(row, event, recorded);
    // Same object back: nothing changed (e.g. a case never listed was suspended).
    return next === row || next === null ? next : { ...next, revision: revisionValue(recorded) };
  },
};

function handledEventOf(recorded: RecordedEvent): HandledEvent | undefined {
  return caseEventAmong(recorded, HANDLED);
}

function applied(row: PanelScheduleRow | null, event: HandledEvent, recorded: RecordedEvent): PanelScheduleRow | null {
  const at = (value: string) => canonicalTime(value, recorded);
  switch (event.type) {
    case 'CaseListedForPanel':
      return listed(row, event, at, revisionValue(recorded));
    case 'PanelConvened': {
      const { data } = event;
      const current = listingAt(row, data.meetingId, event);
      const counted = data.members.filter((member) => !member.conflictDeclared).length;
      const quorum = quorumOf(recorded);
      return {
        ...current,
        status: 'convened',
        convened_at: at(data.convenedAt),
        chair_id: data.chair.chairId,
        chair_agency: data.chair.agency,
        members_present: data.members.map(({ memberId, agency, discipline, conflictDeclared }) => ({
          memberId,
          agency,
          discipline,
          conflictDeclared,
        })),
        attendance_count: data.members.length,
        members_counted: counted,
        quorate: quorum === undefined ? null : counted >= quorum,
      };
    }
    case 'DecisionRecorded': {
      const { data } = event;
      // The competent authority decides without a panel (central route): nothing was scheduled.
      if (data.decidedBy.kind !== 'panel') return row;
      const current = listingAt(row, data.decidedBy.meetingId, event);
      return {
        ...current,
        status: 'decided',
        decision_id: data.decisionId,
        decision_outcome: data.outcome,
        decided_at: at(data.decidedAt),
      };
    }
    case 'CaseSuspended':
      return row && pending(row) && !row.case_suspended ? { ...row, case_suspended: true } : row;
    case 'CaseResumed':
      return row && row.case_suspended ? { ...row, case_suspended: false } : row;
    case 'ReferralWithdrawn':
      return row && pending(row) ? removed(row, 'withdrawn') : row;
    case 'CaseClosed':
      return row && pending(row) ? removed(row, 'closed') : row;
    default:
      return unreachable(event);
  }
}

function listed(
  row: PanelScheduleRow | null,
  { data }: CaseListedForPanel,
  at: (value: string) => string,
  revision: number,
): PanelScheduleRow {
  const listing = {
    panel_id: data.panelId,
    meeting_id: data.meetingId,
    meeting_at: at(data.meetingAt),
    listed_at: at(data.listedAt),
    urgent: data.urgent,
    urgency_reason_given: data.urgencyReason !== undefined && data.urgencyReason.trim() !== '',
  };
  if (row !== null && row.status === 'listed' && row.meeting_id === data.meetingId) {
    // Listed again to the same meeting (urgency or time changed): the same listing, updated.
    return { ...row, ...listing };
  }
  if (row !== null && row.status === 'removed') {
    throw new ContradictoryEventError(TABLE, row.case_id, `listed after its listing was ${row.removed_reason}`);
  }
  const earlier = row === null ? [] : [...row.earlier_listings, movedOn(row, listing.listed_at)];
  const meetings = row === null ? [] : row.meeting_ids.filter((meetingId) => meetingId !== data.meetingId);
  return {
    case_id: data.caseId,
    ...listing,
    status: 'listed',
    removed_reason: null,
    case_suspended: false,
    convened_at: null,
    chair_id: null,
    chair_agency: null,
    members_present: null,
    attendance_count: null,
    members_counted: null,
    quorate: null,
    decision_id: null,
    decision_outcome: null,
    decided_at: null,
    earlier_listings: earlier,
    meeting_ids: [...meetings, data.meetingId],
    revision,
  };
}

function movedOn(row: PanelScheduleRow, supersededAt: string): EarlierListing {
  return {
    panelId: row.panel_id,
    meetingId: row.meeting_id,
    meetingAt: row.meeting_at,
    listedAt: row.listed_at,
    urgent: row.urgent,
    urgencyReasonGiven: row.urgency_reason_given,
    // A decided listing stays decided (a reconsideration sends the case to a new meeting);
    // any other is one the case left before it was heard.
    status: row.status === 'decided' ? 'decided' : 'relisted',
    convenedAt: row.convened_at,
    chairId: row.chair_id,
    chairAgency: row.chair_agency,
    membersPresent: row.members_present,
    attendanceCount: row.attendance_count,
    membersCounted: row.members_counted,
    quorate: row.quorate,
    decisionId: row.decision_id,
    decisionOutcome: row.decision_outcome,
    decidedAt: row.decided_at,
    supersededAt,
  };
}

// The meeting an event names must be the one the case is listed to: anything else means the
// projection missed a listing.
function listingAt(row: PanelScheduleRow | null, meetingId: string, event: HandledEvent): PanelScheduleRow {
  if (row === null) throw new RowNotFoundError(TABLE, event.data.caseId, event.type);
  if (row.meeting_id !== meetingId) {
    throw new ContradictoryEventError(
      TABLE,
      row.case_id,
      `${event.type} at meeting ${meetingId}, listed to ${row.meeting_id}`,
    );
  }
  return row;
}

function pending(row: PanelScheduleRow): boolean {
  return row.status === 'listed' || row.status === 'convened';
}

function removed(row: PanelScheduleRow, reason: RemovedReason): PanelScheduleRow {
  return { ...row, status: 'removed', removed_reason: reason, case_suspended: false };
}

// The quorum of the workflow the case is pinned to, as the event's metadata names it.
function quorumOf(recorded: RecordedEvent): number | undefined {
  const ref = metadataObject(recorded, 'workflow');
  if (ref === null || typeof ref.id !== 'string' || typeof ref.version !== 'number') return undefined;
  return findWorkflow({ id: ref.id, version: ref.version })?.rules.panelQuorum;
}
