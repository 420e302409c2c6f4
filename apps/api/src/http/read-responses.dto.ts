import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  AGE_GROUPS,
  CASE_STATUSES,
  DEADLINE_KINDS,
  EXPLOITATION_TYPES,
  OUTCOMES,
  REGIONS,
  REVIEW_OUTCOMES,
} from '@harbour/domain';
import { WorkflowRefDto } from '../cases/case-responses.dto';

/**
 * The bodies the queries answer with, as the OpenAPI document describes them. Parts whose shape
 * is the domain's and varies with the case (its state, an event's data, a workflow definition)
 * are JSON objects, described and exemplified; everything a client pages, filters or acts on is
 * typed field by field.
 */

const CASE_ID = 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e';

/** A JSON object whose shape is the domain's: `additionalProperties` with an example. */
function JsonObjectProperty(options: { description: string; example: object; nullable?: boolean }) {
  const property: ApiPropertyOptions = {
    type: 'object',
    additionalProperties: true,
    description: options.description,
    example: options.example,
    ...(options.nullable ? { nullable: true } : {}),
  };
  return ApiProperty(property);
}

/** A string that may be null. */
function NullableString(example: string, description?: string, extra: ApiPropertyOptions = {}) {
  return ApiProperty({ type: String, nullable: true, example, ...(description ? { description } : {}), ...extra });
}

/**
 * One of `values`, or null. OpenAPI 3.0 wants the null in the enum too (a nullable enum without
 * it allows no null); Nest's enum option is typed without it, hence the widening here.
 */
function NullableEnum(values: readonly string[], example: string | null) {
  const withNull: readonly (string | null)[] = [...values, null];
  return ApiProperty({ type: String, nullable: true, enum: withNull as string[], example });
}

export class DeadlineSummaryResponse {
  @ApiProperty({ example: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6' })
  deadlineId!: string;

  @ApiProperty({ enum: DEADLINE_KINDS, example: 'lead-assessment' })
  kind!: string;

  @ApiProperty({ example: '2015-09-01T10:00:00.000Z' })
  startedAt!: string;

  @ApiProperty({ example: '2015-09-08T10:00:00.000Z' })
  dueAt!: string;

  @ApiProperty({ example: false, description: 'The bank holiday calendar did not cover the period.' })
  dueAtEstimated!: boolean;

  @ApiProperty({ enum: ['running', 'breached', 'met', 'met-late', 'cancelled', 'ended'], example: 'met' })
  state!: string;

  @NullableString('2015-09-02T09:00:00.000Z')
  settledAt!: string | null;
}

/** A case from the `case_status` read model: no personal data. */
export class CaseSummaryResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ enum: CASE_STATUSES, example: 'recovery' })
  status!: string;

  @NullableEnum(CASE_STATUSES, null)
  statusBeforeSuspension!: string | null;

  @NullableString('criminal-proceedings')
  suspensionReason!: string | null;

  @ApiProperty({ enum: REGIONS, example: 'south-west' })
  region!: string;

  @ApiProperty({ example: 'avon-and-somerset' })
  policeForceArea!: string;

  @ApiProperty({ enum: AGE_GROUPS, example: 'adult' })
  ageGroup!: string;

  @ApiProperty({ enum: AGE_GROUPS, example: 'child' })
  ageGroupAtExploitation!: string;

  @ApiProperty({ enum: EXPLOITATION_TYPES, isArray: true, example: ['criminal'] })
  exploitationTypes!: string[];

  @ApiProperty({ example: 'uk' })
  exploitationLocation!: string;

  @ApiProperty({
    example: 'avon-and-somerset-police',
    description:
      'The referring organisation by registry id (GET /organisations); for a referral recorded before the registry, possibly a name it does not know.',
  })
  referringAgency!: string;

  @NullableString(
    'Avon and Somerset Police',
    "The registry's name for the referring organisation; null when referringAgency is an unverified name.",
  )
  referringAgencyName!: string | null;

  @ApiProperty({ example: 'police' })
  firstResponderType!: string;

  @ApiProperty({ example: 'lead-1' })
  leadId!: string;

  @ApiProperty({ type: WorkflowRefDto })
  workflow!: WorkflowRefDto;

  @NullableString(
    'uk-human-trafficking-centre',
    'Central route: the competent authority the case is allocated to by nationality (registry id); null on the pilot route.',
  )
  competentAuthority!: string | null;

  @ApiProperty({ example: '2015-09-01T10:00:00.000Z' })
  raisedAt!: string;

  @NullableString('2015-09-02T09:00:00.000Z')
  assessedAt!: string | null;

  @NullableEnum(OUTCOMES, 'positive')
  assessmentOutcome!: string | null;

  @NullableString('2015-09-02T09:00:00.000Z')
  recoveryStartedAt!: string | null;

  @NullableString('2015-10-17T09:00:00.000Z')
  recoveryEndsAt!: string | null;

  @NullableString('2015-10-01T09:00:00.000Z')
  listedAt!: string | null;

  @NullableString('south-west-panel')
  panelId!: string | null;

  @NullableString('sw-2015-10-20')
  meetingId!: string | null;

  @NullableString('2015-10-20T10:00:00.000Z')
  meetingAt!: string | null;

  @NullableString('e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b')
  decisionId!: string | null;

  @NullableString('2015-10-20T12:00:00.000Z')
  decidedAt!: string | null;

  @NullableEnum(OUTCOMES, 'positive')
  decisionOutcome!: string | null;

  @NullableString('2015-11-01T09:00:00.000Z')
  reviewedAt!: string | null;

  @NullableEnum(REVIEW_OUTCOMES, null)
  reviewOutcome!: string | null;

  @NullableString('2015-11-01T09:00:00.000Z')
  reconsiderationRequestedAt!: string | null;

  @NullableString('2015-10-05T09:00:00.000Z')
  suspendedAt!: string | null;

  @NullableString('2015-10-06T09:00:00.000Z')
  resumedAt!: string | null;

  @NullableString('2015-10-21T09:00:00.000Z')
  closedAt!: string | null;

  @NullableString('conclusive-grounds-positive')
  closureOutcome!: string | null;

  @NullableString('2015-09-10T09:00:00.000Z')
  withdrawnAt!: string | null;

  @NullableString('consent-withdrawn')
  withdrawalBasis!: string | null;

  @NullableString('2015-09-08T10:00:00.000Z', 'Due time of the earliest deadline still running.')
  nextDeadline!: string | null;

  @NullableEnum(DEADLINE_KINDS, 'lead-assessment')
  nextDeadlineKind!: string | null;

  @ApiProperty({ example: false, description: 'A missed deadline is recorded and what it awaited has not come.' })
  overdue!: boolean;

  @ApiProperty({ type: [DeadlineSummaryResponse] })
  deadlines!: DeadlineSummaryResponse[];

  @ApiProperty({ example: '3', description: 'The case revision the row reflects (the ETag).' })
  revision!: string;

  @ApiProperty({ example: '42', description: 'Read-your-writes token (`X-Min-Position`).' })
  position!: string;

  @ApiProperty({ example: '2015-09-02T09:00:00.000Z' })
  updatedAt!: string;
}

/**
 * The case file, folded from its stream: what every case has, and the rest of its state, which
 * depends on its status (`file`, `recoveryPeriod`, `listing`, `panel`, `decision`, `review`, ...).
 */
export class CaseFileResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ example: '3', description: 'The revision folded (also the ETag).' })
  revision!: string;

  @ApiProperty({ enum: CASE_STATUSES, example: 'recovery' })
  status!: string;

  @ApiProperty({ type: WorkflowRefDto })
  workflow!: WorkflowRefDto;

  @ApiProperty({ example: '2015-09-02T09:00:00Z', description: 'Business time of the latest entry a person recorded.' })
  lastEntryAt!: string;
}

export class EvidenceReliedOnResponse {
  @ApiProperty({ example: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' })
  evidenceId!: string;

  @ApiProperty({ example: 'Police interview notes' })
  description!: string;
}

export class PanelMemberResponse {
  @ApiProperty({ example: 'm-police' })
  memberId!: string;

  @ApiProperty({
    example: 'dorset-police',
    description: "The member's organisation: its registry id, or an unverified name recorded before the registry.",
  })
  agency!: string;

  @NullableString('Dorset Police', "The registry's name for the organisation; null when agency is an unverified name.")
  agencyName!: string | null;

  @ApiProperty({ example: 'police' })
  discipline!: string;
}

export class PanelMemberAttendanceResponse extends PanelMemberResponse {
  @ApiProperty({ example: false })
  conflictDeclared!: boolean;
}

export class VoteResponse {
  @ApiProperty({ example: 'm-police' })
  memberId!: string;

  @ApiProperty({ enum: OUTCOMES, example: 'positive' })
  vote!: string;
}

export class DissentResponse {
  @ApiProperty({ example: 'm-nhs' })
  memberId!: string;

  @ApiProperty({ example: 'The account is not yet corroborated.' })
  reason!: string;
}

/** A decision from the `decision_history` read model (holds personal data; each read is logged). */
export class DecisionRecordResponse {
  @ApiProperty({ example: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b' })
  decisionId!: string;

  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ enum: ['conclusive-grounds', 'reasonable-grounds'], example: 'conclusive-grounds' })
  stage!: string;

  @ApiProperty({ enum: OUTCOMES, example: 'positive' })
  outcome!: string;

  @ApiProperty({
    enum: ['balance-of-probabilities', 'reasonable-grounds-to-believe'],
    example: 'balance-of-probabilities',
  })
  standardOfProof!: string;

  @ApiProperty({ example: 'nrm-guidance-2015-v1' })
  guidanceVersion!: string;

  @ApiProperty({ example: 'Consistent account, corroborated by the police referral.' })
  rationale!: string;

  @ApiProperty({ type: [EvidenceReliedOnResponse] })
  evidenceReliedOn!: EvidenceReliedOnResponse[];

  @JsonObjectProperty({
    description:
      '`{ kind: panel, panelId, meetingId, chairId }` or `{ kind: competent-authority, decisionMakerId, agency, agencyName }` (agency: a registry id; agencyName: its registry name, null for an unverified name).',
    example: { kind: 'panel', panelId: 'south-west-panel', meetingId: 'sw-2015-10-20', chairId: 'chair-1' },
  })
  decidedBy!: object;

  @ApiProperty({ type: [PanelMemberResponse] })
  membersPresent!: PanelMemberResponse[];

  @ApiProperty({ type: [VoteResponse] })
  votes!: VoteResponse[];

  @ApiProperty({ type: [DissentResponse] })
  dissent!: DissentResponse[];

  @ApiProperty({ example: '2015-10-20T12:00:00.000Z' })
  decidedAt!: string;

  @ApiProperty({ example: '2015-10-20T12:00:01.000Z' })
  recordedAt!: string;

  @ApiProperty({ example: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b' })
  eventId!: string;

  @ApiProperty({ example: '40' })
  eventPosition!: string;

  @JsonObjectProperty({
    nullable: true,
    description: 'Who recorded it, from the event metadata.',
    example: { userId: 'chair-1', role: 'panel-chair', agency: 'Home Office' },
  })
  actor!: object | null;

  @JsonObjectProperty({
    nullable: true,
    description: 'The workflow in force.',
    example: { id: 'nrm-pilot-2015', version: 1 },
  })
  workflow!: object | null;

  @JsonObjectProperty({
    nullable: true,
    description: 'The second review of a negative decision, if any.',
    example: {
      reviewId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      outcome: 'upheld',
      reviewedAt: '2015-11-01T09:00:00.000Z',
    },
  })
  secondReview!: object | null;

  @NullableString('2015-11-01T09:00:00.000Z')
  reconsiderationRequestedAt!: string | null;

  @NullableString('lead')
  reconsiderationRequestedBy!: string | null;

  @ApiProperty({ example: '7' })
  revision!: string;

  @ApiProperty({ example: '40' })
  position!: string;
}

/** One case at one panel meeting (no personal data). */
export class PanelScheduleEntryResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ example: 'south-west-panel' })
  panelId!: string;

  @ApiProperty({ example: 'sw-2015-10-20' })
  meetingId!: string;

  @ApiProperty({ example: '2015-10-20T10:00:00.000Z' })
  meetingAt!: string;

  @ApiProperty({ example: '2015-10-01T09:00:00.000Z' })
  listedAt!: string;

  @ApiProperty({ example: false })
  urgent!: boolean;

  @ApiProperty({ example: false, description: 'Whether an urgency reason was given (never the reason).' })
  urgencyReasonGiven!: boolean;

  @ApiProperty({ enum: ['listed', 'convened', 'decided', 'relisted', 'removed'], example: 'listed' })
  status!: string;

  @NullableEnum(['withdrawn', 'closed'], null)
  removedReason!: string | null;

  @ApiProperty({ example: false })
  caseSuspended!: boolean;

  @NullableString('2015-10-20T10:00:00.000Z')
  convenedAt!: string | null;

  @NullableString('chair-1')
  chairId!: string | null;

  @NullableString('independent-chair', "The chair's organisation: its registry id.")
  chairAgency!: string | null;

  @NullableString('Independent chair', "The registry's name for the chair's organisation.")
  chairAgencyName!: string | null;

  @ApiProperty({ type: [PanelMemberAttendanceResponse], nullable: true })
  membersPresent!: PanelMemberAttendanceResponse[] | null;

  @ApiProperty({ type: Number, nullable: true, example: 5 })
  attendanceCount!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 5 })
  membersCounted!: number | null;

  @ApiProperty({ type: Boolean, nullable: true, example: true })
  quorate!: boolean | null;

  @NullableString('e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b')
  decisionId!: string | null;

  @NullableEnum(OUTCOMES, 'positive')
  decisionOutcome!: string | null;

  @NullableString('2015-10-20T12:00:00.000Z')
  decidedAt!: string | null;

  @NullableString('2015-10-15T09:00:00.000Z', 'When the case was listed elsewhere, for a listing it moved on from.')
  supersededAt!: string | null;

  @ApiProperty({ example: '5' })
  revision!: string;

  @ApiProperty({ example: '30' })
  position!: string;
}

/** Who did it, as the event's metadata records. */
export class HistoryActorResponse {
  @ApiProperty({ example: 'lead-1' })
  userId!: string;

  @ApiProperty({ example: 'lead' })
  role!: string;

  @ApiProperty({ example: 'Avon and Somerset Police' })
  agency!: string;

  @NullableString('south-west')
  region!: string | null;
}

export class HistoryReasonResponse {
  @ApiProperty({ example: 'rationale' })
  field!: string;

  @ApiProperty({ example: 'Consistent account, corroborated by the police referral.' })
  text!: string;
}

/** One event of a case's history. */
export class HistoryEntryResponse {
  @ApiProperty({ example: '0' })
  revision!: string;

  @ApiProperty({ example: '12' })
  position!: string;

  @ApiProperty({ example: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b' })
  eventId!: string;

  @ApiProperty({ example: 'ReferralRaised' })
  type!: string;

  @ApiProperty({ example: '2015-09-01T10:00:01.000Z', description: 'When the store recorded it.' })
  recordedAt!: string;

  @NullableString('2015-09-01T10:00:00Z', 'Business time, as the actor said.')
  occurredAt!: string | null;

  @ApiProperty({ example: false, description: 'Entered more than a day after its business time.' })
  backdated!: boolean;

  @ApiProperty({ type: HistoryActorResponse, nullable: true })
  who!: HistoryActorResponse | null;

  @ApiProperty({ type: [HistoryReasonResponse] })
  why!: HistoryReasonResponse[];

  @NullableString('5f0c3a1e-9b2d-4c6e-8f7a-1b2c3d4e5f60')
  correlationId!: string | null;

  @NullableString('5f0c3a1e-9b2d-4c6e-8f7a-1b2c3d4e5f60')
  causationId!: string | null;

  @NullableString('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')
  commandId!: string | null;

  @JsonObjectProperty({
    nullable: true,
    description: 'The workflow in force.',
    example: { id: 'nrm-pilot-2015', version: 1 },
  })
  workflow!: object | null;

  @ApiProperty({ type: Number, nullable: true, example: 1 })
  schemaVersion!: number | null;

  @NullableString('0000000000000000000000000000000000000000000000000000000000000000')
  prevHash!: string | null;

  @NullableString('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')
  hash!: string | null;

  @JsonObjectProperty({
    description: "The event's data, personal data decrypted (or `[erased]`).",
    example: { caseId: CASE_ID, region: 'south-west' },
  })
  data!: object;
}

/** A case replayed up to a point. */
export class CaseStateAsOfResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ example: '2', description: 'The revision of the last event folded.' })
  revision!: string;

  @ApiProperty({ example: '30' })
  position!: string;

  @ApiProperty({ example: '2015-09-02T09:00:01.000Z' })
  recordedAt!: string;

  @NullableString('2015-09-02T09:00:00Z')
  occurredAt!: string | null;

  @NullableString('2015-10-01T00:00:00.000Z', 'The point asked for (null when asked by revision).')
  asOf!: string | null;

  @JsonObjectProperty({
    description: "The case's state then, as the domain folds it (its shape depends on `status`).",
    example: { status: 'recovery', caseId: CASE_ID, workflow: { id: 'nrm-pilot-2015', version: 1 } },
  })
  state!: object;
}

/** Why a decision stands. */
export class DecisionExplanationResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ type: HistoryEntryResponse, description: 'The decision event.' })
  decision!: HistoryEntryResponse;

  @JsonObjectProperty({
    description: 'The case just before the decision.',
    example: { status: 'panel-convened', caseId: CASE_ID },
  })
  stateBefore!: object;

  @ApiProperty({ example: '5' })
  stateBeforeRevision!: string;

  @JsonObjectProperty({
    description: 'The workflow definition (and version) the case was pinned to.',
    example: { id: 'nrm-pilot-2015', version: 1, title: 'National Referral Mechanism: 2015 pilot' },
  })
  workflow!: object;

  @JsonObjectProperty({
    description: 'Each rule the decision had to satisfy, with the facts that satisfied it (`rules`, `allSatisfied`).',
    example: { decisionId: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b', outcome: 'positive', allSatisfied: true, rules: [] },
  })
  explanation!: object;
}

export class ChainBreakResponse {
  @ApiProperty({ example: `case-${CASE_ID}` })
  stream!: string;

  @ApiProperty({ example: '3' })
  revision!: string;

  @ApiProperty({ example: '31' })
  position!: string;

  @ApiProperty({ example: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b' })
  eventId!: string;

  @ApiProperty({ example: 'PanelConvened' })
  type!: string;

  @ApiProperty({ example: 'hash-mismatch' })
  problem!: string;

  @ApiProperty({ example: 'The stored hash does not match the event' })
  detail!: string;
}

/** The outcome of checking a case's hash chain. */
export class ChainVerificationResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ example: `case-${CASE_ID}` })
  stream!: string;

  @ApiProperty({ example: true })
  ok!: boolean;

  @ApiProperty({ example: 8 })
  events!: number;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  headHash!: string;

  @ApiProperty({ type: ChainBreakResponse, nullable: true })
  firstBroken!: ChainBreakResponse | null;
}

/** One entry of the read-access log. */
export class AccessRecordResponse {
  @ApiProperty({ example: CASE_ID })
  caseId!: string;

  @ApiProperty({ example: 'auditor-1' })
  viewerId!: string;

  @ApiProperty({ example: 'auditor' })
  role!: string;

  @ApiProperty({ example: 'Home Office' })
  agency!: string;

  @ApiProperty({ example: 'GET /cases/:caseId/file' })
  endpoint!: string;

  @ApiProperty({ example: '2015-10-01T09:00:00.000Z' })
  viewedAt!: string;

  @ApiProperty({ example: 1, description: 'How many identical views this record stands for.' })
  count!: number;

  @ApiProperty({ example: '2015-10-01T09:00:00.000Z' })
  lastViewedAt!: string;

  @ApiProperty({ example: 'access-2015-10-01' })
  stream!: string;

  @ApiProperty({ example: '0' })
  revision!: string;

  @ApiProperty({ example: '55' })
  position!: string;
}
