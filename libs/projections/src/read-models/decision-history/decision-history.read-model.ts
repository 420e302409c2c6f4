import type {
  CaseEvent,
  DecisionRecorded,
  ReasonableGroundsDecisionMade,
  ReconsiderationRequester,
  SecondReviewCompleted,
} from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
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

type DecisionData = DecisionRecorded['data'];
type ReasonableGroundsData = ReasonableGroundsDecisionMade['data'];
type ReviewData = SecondReviewCompleted['data'];

/** The competent authority caseworker who made a reasonable grounds decision. */
export type ReasonableGroundsDecisionMaker = {
  readonly kind: 'competent-authority';
  readonly decisionMakerId: string;
  readonly agency: string;
};

/** The second review of a negative decision, as the `second_review` column holds it. */
export type SecondReview = {
  readonly reviewId: string;
  readonly reviewer: ReviewData['reviewer'];
  readonly outcome: ReviewData['outcome'];
  /** Personal data: the reviewer's written rationale discusses the person. */
  readonly rationale: string;
  readonly reviewedAt: string;
};

/**
 * One row per decision, for audit: what was decided, by whom, on what evidence, under which
 * guidance, with the quorum, votes and dissent, and the second review and any reconsideration
 * that followed. `event_id` / `event_position` point at the decision event itself.
 *
 * Decisions are conclusive grounds decisions (`DecisionRecorded`: by a panel on the pilot, by the
 * competent authority on the central route) and the central route's reasonable grounds decisions
 * (`ReasonableGroundsDecisionMade`, stage `reasonable-grounds`). A decision without a panel has
 * null `panel_id` and `meeting_id` and empty members, votes and dissent; a reasonable grounds
 * decision relies on no evidence list either. The pilot's lead assessment is not a decision here.
 *
 * **Personal data** (see {@link DECISION_HISTORY_PERSONAL_DATA_COLUMNS}): `rationale`,
 * `evidence_relied_on` (its descriptions), `dissent` (its reasons) and `second_review` (its
 * rationale), as the event schemas mark them. Serve this table only to roles allowed to read
 * decisions, and log each read.
 */
export type DecisionHistoryRow = {
  readonly decision_id: string;
  readonly case_id: string;
  readonly stage: DecisionData['stage'] | 'reasonable-grounds';
  readonly outcome: DecisionData['outcome'];
  readonly standard_of_proof: DecisionData['standardOfProof'] | ReasonableGroundsData['standardOfProof'];
  readonly guidance_version: string;
  /** Personal data. */
  readonly rationale: string;
  /** Personal data (each `description`). */
  readonly evidence_relied_on: DecisionData['evidenceReliedOn'];
  /** `{ kind: 'panel', panelId, meetingId, chairId }` or `{ kind: 'competent-authority', decisionMakerId, agency }`. */
  readonly decided_by: DecisionData['decidedBy'] | ReasonableGroundsDecisionMaker;
  /** Copied out of `decided_by` so a meeting's decisions can be found by index; null without a panel. */
  readonly panel_id: string | null;
  readonly meeting_id: string | null;
  /** Members who took part, with agency and discipline (conflicted members excluded). */
  readonly members_present: DecisionData['membersPresent'];
  readonly votes: DecisionData['votes'];
  /** Personal data (each `reason`). */
  readonly dissent: DecisionData['dissent'];
  /** Business time of the decision. */
  readonly decided_at: string;
  /** When the store recorded the decision event. */
  readonly recorded_at: string;
  readonly event_id: string;
  /** The global position of the decision event, as a decimal string (positions outgrow 2^53). */
  readonly event_position: string;
  /** Who recorded it, from the event metadata: `{ userId, role, agency, region, panels }`. */
  readonly actor: JsonObject | null;
  /** The workflow definition the case runs under, from the event metadata: `{ id, version }`. */
  readonly workflow: JsonObject | null;
  /** Personal data (its `rationale`). Null until a `SecondReviewCompleted` for this decision. */
  readonly second_review: SecondReview | null;
  readonly reconsideration_requested_at: string | null;
  readonly reconsideration_requested_by: ReconsiderationRequester | null;
  /** The case stream revision that last changed the row. */
  readonly revision: number;
};

/**
 * The `decision_history` columns that hold personal data (free text about the person, per the
 * event schemas' `x-personal-data`): what erasure must blank and what a decision list for a
 * wider audience must leave out.
 */
export const DECISION_HISTORY_PERSONAL_DATA_COLUMNS = [
  'rationale',
  'evidence_relied_on',
  'dissent',
  'second_review',
] as const satisfies readonly (keyof DecisionHistoryRow)[];

const text: ColumnSpec = { type: 'text' };
const json: ColumnSpec = { type: 'json' };

const COLUMNS: { readonly [Column in keyof DecisionHistoryRow]-?: ColumnSpec } = {
  decision_id: text,
  case_id: text,
  stage: text,
  outcome: text,
  standard_of_proof: text,
  guidance_version: text,
  rationale: text,
  evidence_relied_on: json,
  decided_by: json,
  panel_id: { type: 'text', nullable: true },
  meeting_id: { type: 'text', nullable: true },
  members_present: json,
  votes: json,
  dissent: json,
  decided_at: { type: 'timestamp' },
  recorded_at: { type: 'timestamp' },
  event_id: text,
  event_position: text,
  actor: { type: 'json', nullable: true },
  workflow: { type: 'json', nullable: true },
  second_review: { type: 'json', nullable: true },
  reconsideration_requested_at: { type: 'timestamp', nullable: true },
  reconsideration_requested_by: { type: 'text', nullable: true },
  revision: { type: 'integer' },
};

const TABLE = 'decision_history';
const HANDLED = [
  'ReasonableGroundsDecisionMade',
  'DecisionRecorded',
  'SecondReviewCompleted',
  'ReconsiderationRequested',
] as const;
type HandledEvent = Extract<CaseEvent, { type: (typeof HANDLED)[number] }>;

/** The `decision_history` read model (see {@link DecisionHistoryRow}). */
export const decisionHistoryReadModel: ReadModel<DecisionHistoryRow> = {
  table: TABLE,
  columns: COLUMNS,
  key: ['decision_id'],
  indexes: [['case_id'], ['decided_at'], ['meeting_id']],
  handles: HANDLED,
  keyOf: (recorded) => {
    const event = handledEventOf(recorded);
    const decisionId = event && decisionIdOf(event);
    return decisionId === undefined ? undefined : { decision_id: decisionId };
  },
  evolve: (row, recorded) => {
    const event = handledEventOf(recorded);
    if (!event || alreadyApplied(row, recorded)) return row;
    const at = (value: string) => canonicalTime(value, recorded);
    switch (event.type) {
      case 'ReasonableGroundsDecisionMade':
        if (row !== null) throw new ContradictoryEventError(TABLE, row.decision_id, 'the decision was recorded twice');
        return reasonableGroundsDecision(event.data, recorded, at);
      case 'DecisionRecorded':
        if (row !== null) throw new ContradictoryEventError(TABLE, row.decision_id, 'the decision was recorded twice');
        return recordedDecision(event.data, recorded, at);
      case 'SecondReviewCompleted': {
        const { data } = event;
        if (row === null) throw new RowNotFoundError(TABLE, data.decisionId, event.type);
        const secondReview: SecondReview = {
          reviewId: data.reviewId,
          reviewer: { ...data.reviewer },
          outcome: data.outcome,
          rationale: data.rationale,
          reviewedAt: at(data.reviewedAt),
        };
        return { ...row, second_review: secondReview, revision: revisionValue(recorded) };
      }
      case 'ReconsiderationRequested': {
        const { data } = event;
        if (row === null) throw new RowNotFoundError(TABLE, data.reconsiders.id, event.type);
        return {
          ...row,
          reconsideration_requested_at: at(data.requestedAt),
          reconsideration_requested_by: data.requestedBy,
          revision: revisionValue(recorded),
        };
      }
      default:
        return unreachable(event);
    }
  },
};

function handledEventOf(recorded: RecordedEvent): HandledEvent | undefined {
  return caseEventAmong(recorded, HANDLED);
}

// A reconsideration of a lead assessment concerns no decision: it changes no row here.
function decisionIdOf(event: HandledEvent): string | undefined {
  switch (event.type) {
    case 'ReasonableGroundsDecisionMade':
    case 'DecisionRecorded':
    case 'SecondReviewCompleted':
      return event.data.decisionId;
    case 'ReconsiderationRequested':
      return event.data.reconsiders.kind === 'decision' ? event.data.reconsiders.id : undefined;
    default:
      return unreachable(event);
  }
}

function recordedDecision(
  data: DecisionData,
  recorded: RecordedEvent,
  at: (value: string) => string,
): DecisionHistoryRow {
  return {
    decision_id: data.decisionId,
    case_id: data.caseId,
    stage: data.stage,
    outcome: data.outcome,
    standard_of_proof: data.standardOfProof,
    guidance_version: data.guidanceVersion,
    rationale: data.rationale,
    evidence_relied_on: data.evidenceReliedOn.map(({ evidenceId, description }) => ({ evidenceId, description })),
    decided_by: { ...data.decidedBy },
    panel_id: data.decidedBy.kind === 'panel' ? data.decidedBy.panelId : null,
    meeting_id: data.decidedBy.kind === 'panel' ? data.decidedBy.meetingId : null,
    members_present: data.membersPresent.map(({ memberId, agency, discipline }) => ({ memberId, agency, discipline })),
    votes: data.votes.map(({ memberId, vote }) => ({ memberId, vote })),
    dissent: data.dissent.map(({ memberId, reason }) => ({ memberId, reason })),
    decided_at: at(data.decidedAt),
    ...newRecord(recorded),
  };
}

function reasonableGroundsDecision(
  data: ReasonableGroundsData,
  recorded: RecordedEvent,
  at: (value: string) => string,
): DecisionHistoryRow {
  return {
    decision_id: data.decisionId,
    case_id: data.caseId,
    stage: 'reasonable-grounds',
    outcome: data.outcome,
    standard_of_proof: data.standardOfProof,
    guidance_version: data.guidanceVersion,
    rationale: data.rationale,
    evidence_relied_on: [],
    decided_by: { kind: 'competent-authority', decisionMakerId: data.decisionMakerId, agency: data.agency },
    panel_id: null,
    meeting_id: null,
    members_present: [],
    votes: [],
    dissent: [],
    decided_at: at(data.decidedAt),
    ...newRecord(recorded),
  };
}

// What every new decision row takes from the event that recorded it; no review or reconsideration yet.
function newRecord(recorded: RecordedEvent) {
  return {
    recorded_at: recorded.recordedAt.toISOString(),
    event_id: recorded.id,
    event_position: recorded.position.toString(),
    actor: metadataObject(recorded, 'actor'),
    workflow: metadataObject(recorded, 'workflow'),
    second_review: null,
    reconsideration_requested_at: null,
    reconsideration_requested_by: null,
    revision: revisionValue(recorded),
  };
}
