import type { Row } from '@harbour/read-store';
import {
  organisationName,
  OUTCOMES,
  RECONSIDERATION_REQUESTERS,
  type Outcome,
  type ReconsiderationRequester,
} from '@harbour/domain';
import type { JsonObject } from '@harbour/event-store';
import { RowReader } from '../shared/row.reader';
import type { DecisionHistoryRow, SecondReview } from './decision-history.read-model';

/**
 * A decision as the decisions endpoint returns it, for roles allowed to read decisions. It holds
 * personal data (`rationale`, evidence descriptions, dissent reasons, the review's rationale):
 * each read is to be logged. Positions and revisions are decimal strings.
 */
export interface DecisionRecord {
  readonly decisionId: string;
  readonly caseId: string;
  readonly stage: DecisionHistoryRow['stage'];
  readonly outcome: Outcome;
  readonly standardOfProof: DecisionHistoryRow['standard_of_proof'];
  readonly guidanceVersion: string;
  readonly rationale: string;
  readonly evidenceReliedOn: DecisionHistoryRow['evidence_relied_on'];
  /** For a competent authority, with `agencyName`: the registry's name for its agency (null for an unverified name). */
  readonly decidedBy: DecisionHistoryRow['decided_by'] & { readonly agencyName?: string | null };
  /** Each with `agencyName`, the registry's name for its organisation (null for an unverified name). */
  readonly membersPresent: readonly (DecisionHistoryRow['members_present'][number] & {
    readonly agencyName: string | null;
  })[];
  readonly votes: DecisionHistoryRow['votes'];
  readonly dissent: DecisionHistoryRow['dissent'];
  readonly decidedAt: string;
  readonly recordedAt: string;
  readonly eventId: string;
  /** The global position of the decision event (`DecisionRecorded` or `ReasonableGroundsDecisionMade`). */
  readonly eventPosition: string;
  readonly actor: JsonObject | null;
  readonly workflow: JsonObject | null;
  readonly secondReview: SecondReview | null;
  readonly reconsiderationRequestedAt: string | null;
  readonly reconsiderationRequestedBy: ReconsiderationRequester | null;
  /** The case revision that last changed this decision's row. */
  readonly revision: string;
  /** The global position of the last event reflected (read-your-writes token). */
  readonly position: string;
}

/** Maps a stored `decision_history` row to its DTO; throws `MalformedRowError` on a row of the wrong shape. */
export function toDecisionRecord(row: Row): DecisionRecord {
  const read = new RowReader('decision_history', row);
  return {
    decisionId: read.text('decision_id'),
    caseId: read.text('case_id'),
    stage: read.oneOf('stage', ['conclusive-grounds', 'reasonable-grounds'] as const),
    outcome: read.oneOf('outcome', OUTCOMES),
    standardOfProof: read.oneOf('standard_of_proof', [
      'balance-of-probabilities',
      'reasonable-grounds-to-believe',
    ] as const),
    guidanceVersion: read.text('guidance_version'),
    rationale: read.text('rationale'),
    evidenceReliedOn: read.array('evidence_relied_on'),
    decidedBy: withAgencyName(read.object<DecisionHistoryRow['decided_by']>('decided_by')),
    membersPresent: read
      .array<DecisionHistoryRow['members_present'][number]>('members_present')
      .map((member) => ({ ...member, agencyName: organisationName(member.agency) ?? null })),
    votes: read.array('votes'),
    dissent: read.array('dissent'),
    decidedAt: read.text('decided_at'),
    recordedAt: read.text('recorded_at'),
    eventId: read.text('event_id'),
    eventPosition: read.decimal('event_position'),
    actor: read.objectOrNull('actor'),
    workflow: read.objectOrNull('workflow'),
    secondReview: read.objectOrNull('second_review'),
    reconsiderationRequestedAt: read.textOrNull('reconsideration_requested_at'),
    reconsiderationRequestedBy: read.oneOfOrNull('reconsideration_requested_by', RECONSIDERATION_REQUESTERS),
    revision: String(read.integer('revision')),
    position: read.position(),
  };
}

// A competent authority's agency is an id (or, from before the registry, a name): clients show the name.
function withAgencyName(decidedBy: DecisionHistoryRow['decided_by']): DecisionRecord['decidedBy'] {
  return decidedBy.kind === 'competent-authority'
    ? { ...decidedBy, agencyName: organisationName(decidedBy.agency) ?? null }
    : decidedBy;
}
