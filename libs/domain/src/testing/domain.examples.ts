/**
 * Fake referrals for specs: fixed ids, actors, times, commands and whole case histories. Every
 * name and detail is invented. Histories are produced by running the real deciders, so they are
 * valid by construction and other libs can use them as example events (schema specs, handlers).
 */
import type { Actor, DecisionContext } from '../shared/actor.model';
import type {
  AddEvidence,
  ArrangeImmediateSupport,
  CaseCommand,
  CloseCase,
  CompleteSecondReview,
  ConvenePanel,
  ListCaseForPanel,
  MakeReasonableGroundsDecision,
  RaiseReferral,
  RaiseReferralData,
  RecordDecision,
  RecordInformationReceived,
  RecordLeadAssessment,
  RequestInformation,
  RequestReconsideration,
  ResumeCase,
  SuspendCase,
  WithdrawReferral,
} from '../case/case.commands';
import { decideCase } from '../case/case.decider';
import type { CaseEvent } from '../case/case.events';
import { evolveCase } from '../case/case.evolver';
import { type CaseState, type CaseStatus, initialCaseState } from '../case/case.state';
import { decideDeadline, initialCaseDeadlines, trackDeadlines } from '../deadlines/deadline.tracker';
import type { ReportDutyToNotify, ReportDutyToNotifyData } from '../dtn/dtn.commands';
import { decideDtn, initialDtnState } from '../dtn/dtn.decider';
import type { DtnEvent } from '../dtn/dtn.events';
import type { Outcome, ReviewOutcome } from '../shared/vocabulary.model';

/** Fixed ids (UUIDs, as the schemas require). */
export const ids = {
  caseId: '5d2c1a8e-3f4b-4c6d-9e7f-0a1b2c3d4e5f',
  childCaseId: '6e3d2b9f-4a5c-4d7e-8f90-1b2c3d4e5f60',
  subjectId: '0b7e4c2a-9d1f-4e3a-8b5c-6d7e8f9a0b1c',
  childSubjectId: '1c8f5d3b-0e2a-4f4b-9c6d-7e8f9a0b1c2d',
  supportId: '2d9a6e4c-1f3b-4a5c-8d7e-8f9a0b1c2d3e',
  assessmentId: '3e0b7f5d-2a4c-4b6d-9e8f-9a0b1c2d3e4f',
  reassessmentId: '4f1c8a6e-3b5d-4c7e-8f9a-0b1c2d3e4f5a',
  evidenceId: '5a2d9b7f-4c6e-4d8f-9a0b-1c2d3e4f5a6b',
  newEvidenceId: '6b3e0c8a-5d7f-4e9a-8b1c-2d3e4f5a6b7c',
  meetingId: '7c4f1d9b-6e8a-4f0b-9c2d-3e4f5a6b7c8d',
  nextMeetingId: '8d5a2e0c-7f9b-4a1c-8d3e-4f5a6b7c8d9e',
  decisionId: '9e6b3f1d-8a0c-4b2d-9e4f-5a6b7c8d9e0f',
  nextDecisionId: 'af7c4a2e-9b1d-4c3e-8f5a-6b7c8d9e0f1a',
  reviewId: 'b08d5b3f-0c2e-4d4f-9a6b-7c8d9e0f1a2b',
  reconsiderationId: 'c19e6c4a-1d3f-4e5a-8b7c-8d9e0f1a2b3c',
  requestId: 'd2af7d5b-2e4a-4f6b-9c8d-9e0f1a2b3c4d',
  reportId: 'e3b08e6c-3f5b-4a7c-8d9e-0f1a2b3c4d5e',
  /** The reasonable grounds decision of the central example case. */
  reasonableGroundsDecisionId: 'f4c19f7d-4a6c-4b8d-9e0f-1a2b3c4d5e6f',
} as const;

/** The regional panel of the South West. */
export const PANEL_ID = 'south-west-panel';

/** Business times of the main path; `later` follows all of them. */
export const times = {
  raisedAt: '2015-06-01T09:00:00.000Z',
  assessedAt: '2015-06-03T10:00:00.000Z',
  /** 45 days after the positive assessment. */
  recoveryEndsAt: '2015-07-18T10:00:00.000Z',
  evidenceAddedAt: '2015-06-10T14:00:00.000Z',
  suspendedAt: '2015-06-20T09:00:00.000Z',
  listedAt: '2015-07-01T09:00:00.000Z',
  meetingAt: '2015-07-20T10:00:00.000Z',
  decidedAt: '2015-07-20T12:00:00.000Z',
  reviewedAt: '2015-07-27T09:00:00.000Z',
  later: '2015-08-03T09:00:00.000Z',
  /** A Duty to Notify report: s.52 is in force from 1 November 2015. */
  notifiedAt: '2015-11-16T10:00:00.000Z',
} as const;

function actor(userId: string, role: Actor['role'], agency: string, panels: readonly string[] = []): Actor {
  return { userId, role, agency, region: 'south-west', panels };
}

/** One actor per role, all in scope of the example case (South West, its panel). */
export const actors = {
  lead: actor('lead-1', 'lead', 'avon-and-somerset-police'),
  otherLead: actor('lead-2', 'lead', 'devon-and-cornwall-police'),
  westYorkshireLead: { ...actor('lead-9', 'lead', 'west-yorkshire-police'), region: 'west-yorkshire' },
  caseManager: actor('cmu-1', 'case-manager', 'home-office-cmu'),
  westYorkshireCaseManager: { ...actor('cmu-9', 'case-manager', 'home-office-cmu'), region: 'west-yorkshire' },
  chair: actor('chair-1', 'panel-chair', 'independent-chair', [PANEL_ID]),
  /** Another chair of the same panel: took no part in the example decision. */
  otherChair: actor('chair-2', 'panel-chair', 'independent-chair', [PANEL_ID]),
  otherPanelChair: actor('chair-9', 'panel-chair', 'independent-chair', ['west-yorkshire-panel']),
  member: actor('member-1', 'panel-member', 'avon-and-somerset-police', [PANEL_ID]),
  competentAuthority: actor('ca-1', 'competent-authority', 'uk-human-trafficking-centre'),
  /** Another competent authority caseworker: took no part in the central example decisions. */
  otherCompetentAuthority: actor('ca-2', 'competent-authority', 'uk-human-trafficking-centre'),
  /** A lead (the force's first responder) in London, a central-route region. */
  londonLead: { ...actor('lead-7', 'lead', 'metropolitan-police'), region: 'london' },
  auditor: actor('auditor-1', 'auditor', 'home-office-audit'),
  analyst: actor('analyst-1', 'analyst', 'home-office-statistics'),
  admin: actor('admin-1', 'admin', 'harbour-operations'),
  /** A first responder of the organisation that referred the example case (Bristol City Council). */
  firstResponder: actor('fr-1', 'first-responder', 'bristol-city-council'),
  /** A first responder of the organisation that referred the central example case (the Met). */
  londonFirstResponder: { ...actor('fr-7', 'first-responder', 'metropolitan-police'), region: 'london' },
  /** A first responder of another organisation. */
  otherFirstResponder: actor('fr-2', 'first-responder', 'dorset-police'),
  /** A user of an organisation that is not a first responder (a health body), holding the role. */
  healthFirstResponder: actor('fr-3', 'first-responder', 'nhs-south-west'),
} as const satisfies Record<string, Actor>;

/** The decision context of `who` acting at `now`. */
export function at(who: Actor, now: string): DecisionContext {
  return { actor: who, now };
}

/** An adult referral: consent given, South West, labour exploitation. */
export function adultReferralData(overrides: Partial<RaiseReferralData> = {}): RaiseReferralData {
  return {
    firstResponderLocation: 'england',
    ageGroup: 'adult',
    ageGroupAtExploitation: 'adult',
    region: 'south-west',
    policeForceArea: 'avon-and-somerset',
    referringAgency: 'bristol-city-council',
    firstResponderType: 'local-authority',
    exploitationTypes: ['labour'],
    exploitationLocation: 'both',
    consent: { given: true, recordedAt: '2015-05-31T16:30:00.000Z' },
    subject: {
      subjectId: ids.subjectId,
      name: 'Ana Example',
      aliases: ['Anna Sample'],
      dateOfBirth: '1990-04-12',
      gender: 'female',
      nationality: 'ROU',
      language: 'ro',
      interpreterNeeded: true,
      contact: { phone: '+44 7700 900123', safeToEmail: false, safeToPost: true },
    },
    account: 'Recruited abroad for farm work; passport held by the gangmaster; wages withheld for months.',
    ...overrides,
  };
}

/** An adult referral in London, which the default routes send to the central route. */
export function londonReferralData(overrides: Partial<RaiseReferralData> = {}): RaiseReferralData {
  return adultReferralData({
    region: 'london',
    policeForceArea: 'metropolitan',
    referringAgency: 'metropolitan-police',
    firstResponderType: 'police',
    ...overrides,
  });
}

/** A child referral: no consent, a local authority contact. */
export function childReferralData(overrides: Partial<RaiseReferralData> = {}): RaiseReferralData {
  return adultReferralData({
    ageGroup: 'child',
    ageGroupAtExploitation: 'child',
    exploitationTypes: ['criminal'],
    exploitationLocation: 'uk',
    consent: { given: false },
    localAuthorityContact: {
      authority: 'bristol-city-council',
      name: 'Sam Caseworker',
      email: 'duty.team@bristol.example',
    },
    subject: {
      subjectId: ids.childSubjectId,
      name: 'Child Example',
      aliases: [],
      dateOfBirth: '2000-02-29',
      gender: 'male',
      nationality: 'VNM',
      interpreterNeeded: false,
      contact: { safeToEmail: false, safeToPost: false },
    },
    account: 'Found tending a cannabis farm in a rented house; says he was brought to the UK in a lorry.',
    ...overrides,
  });
}

/** Builders of one valid command each; pass overrides for the data under test. */
export const commands = {
  raiseReferral: (data: RaiseReferralData = adultReferralData(), caseId: string = ids.caseId): RaiseReferral => ({
    type: 'RaiseReferral',
    caseId,
    data,
  }),
  arrangeImmediateSupport: (data: Partial<ArrangeImmediateSupport['data']> = {}): ArrangeImmediateSupport => ({
    type: 'ArrangeImmediateSupport',
    caseId: ids.caseId,
    data: { supportId: ids.supportId, kinds: ['accommodation', 'interpreter'], provider: 'salvation-army', ...data },
  }),
  recordLeadAssessment: (
    outcome: Outcome = 'positive',
    data: Partial<RecordLeadAssessment['data']> = {},
  ): RecordLeadAssessment => ({
    type: 'RecordLeadAssessment',
    caseId: ids.caseId,
    data: {
      assessmentId: ids.assessmentId,
      outcome,
      rationale:
        outcome === 'positive'
          ? 'Account is consistent and corroborated by the withheld passport; indicators of forced labour.'
          : 'Account is inconsistent with employment records and no indicators of control were found.',
      ...data,
    },
  }),
  makeReasonableGroundsDecision: (
    outcome: Outcome = 'positive',
    data: Partial<MakeReasonableGroundsDecision['data']> = {},
  ): MakeReasonableGroundsDecision => ({
    type: 'MakeReasonableGroundsDecision',
    caseId: ids.caseId,
    data: {
      decisionId: ids.reasonableGroundsDecisionId,
      outcome,
      rationale:
        outcome === 'positive'
          ? 'The account and the withheld passport give reasonable grounds to believe the person is a victim.'
          : 'Nothing in the referral suggests control or exploitation beyond a wage dispute.',
      ...data,
    },
  }),
  listCaseForPanel: (data: Partial<ListCaseForPanel['data']> = {}): ListCaseForPanel => ({
    type: 'ListCaseForPanel',
    caseId: ids.caseId,
    data: { panelId: PANEL_ID, meetingId: ids.meetingId, meetingAt: times.meetingAt, urgent: false, ...data },
  }),
  convenePanel: (data: Partial<ConvenePanel['data']> = {}): ConvenePanel => ({
    type: 'ConvenePanel',
    caseId: ids.caseId,
    data: {
      meetingId: ids.meetingId,
      chairDeclaredConflict: false,
      members: [
        { memberId: 'member-1', agency: 'avon-and-somerset-police', discipline: 'police', conflictDeclared: false },
        { memberId: 'member-2', agency: 'nhs-south-west', discipline: 'health', conflictDeclared: false },
        {
          memberId: 'member-3',
          agency: 'somerset-county-council',
          discipline: 'local-authority',
          conflictDeclared: false,
        },
        {
          memberId: 'member-4',
          agency: 'glaa',
          discipline: 'gangmasters-licensing-authority',
          conflictDeclared: false,
        },
        { memberId: 'member-5', agency: 'unseen-uk', discipline: 'ngo', conflictDeclared: false },
        // Present but conflicted: not counted, may not vote.
        { memberId: 'member-6', agency: 'border-force', discipline: 'border-force', conflictDeclared: true },
      ],
      ...data,
    },
  }),
  recordDecision: (outcome: Outcome = 'positive', data: Partial<RecordDecision['data']> = {}): RecordDecision => ({
    type: 'RecordDecision',
    caseId: ids.caseId,
    data: {
      decisionId: ids.decisionId,
      outcome,
      rationale:
        outcome === 'positive'
          ? 'On the balance of probabilities the person was recruited by deception and held in forced labour.'
          : 'On the balance of probabilities the evidence does not show the person was under control.',
      evidenceReliedOn: [ids.evidenceId],
      votes:
        outcome === 'positive'
          ? [
              { memberId: 'member-1', vote: 'positive' },
              { memberId: 'member-2', vote: 'positive' },
              { memberId: 'member-3', vote: 'positive' },
              { memberId: 'member-4', vote: 'positive' },
              { memberId: 'member-5', vote: 'abstain' },
            ]
          : [
              { memberId: 'member-1', vote: 'negative' },
              { memberId: 'member-2', vote: 'negative' },
              { memberId: 'member-3', vote: 'negative' },
              { memberId: 'member-4', vote: 'negative' },
              { memberId: 'member-5', vote: 'positive' },
            ],
      dissent:
        outcome === 'positive' ? [] : [{ memberId: 'member-5', reason: 'The withheld passport alone shows control.' }],
      ...data,
    },
  }),
  /** The competent authority's conclusive decision (central route): no panel, so no votes or dissent. */
  recordCompetentAuthorityDecision: (
    outcome: Outcome = 'positive',
    data: Partial<RecordDecision['data']> = {},
  ): RecordDecision => commands.recordDecision(outcome, { votes: [], dissent: [], ...data }),
  completeSecondReview: (
    outcome: ReviewOutcome = 'upheld',
    data: Partial<CompleteSecondReview['data']> = {},
  ): CompleteSecondReview => ({
    type: 'CompleteSecondReview',
    caseId: ids.caseId,
    data: {
      reviewId: ids.reviewId,
      outcome,
      rationale:
        outcome === 'upheld'
          ? 'The panel weighed all the evidence on file and applied the standard of proof correctly.'
          : 'The panel gave no weight to the withheld passport, which shows control on the balance.',
      ...data,
    },
  }),
  requestReconsideration: (data: Partial<RequestReconsideration['data']> = {}): RequestReconsideration => ({
    type: 'RequestReconsideration',
    caseId: ids.caseId,
    data: {
      reconsiderationId: ids.reconsiderationId,
      requestedBy: 'support-provider',
      grounds: 'New medical evidence supports the account of forced labour.',
      ...data,
    },
  }),
  requestInformation: (data: Partial<RequestInformation['data']> = {}): RequestInformation => ({
    type: 'RequestInformation',
    caseId: ids.caseId,
    data: {
      requestId: ids.requestId,
      requestedFrom: 'uk-visas-and-immigration',
      details: 'Immigration history and any previous applications.',
      dueBy: '2015-09-01T17:00:00.000Z',
      ...data,
    },
  }),
  recordInformationReceived: (data: Partial<RecordInformationReceived['data']> = {}): RecordInformationReceived => ({
    type: 'RecordInformationReceived',
    caseId: ids.caseId,
    data: { requestId: ids.requestId, summary: 'Immigration history received: no previous applications.', ...data },
  }),
  addEvidence: (data: Partial<AddEvidence['data']> = {}): AddEvidence => ({
    type: 'AddEvidence',
    caseId: ids.caseId,
    data: {
      evidenceId: ids.evidenceId,
      kind: 'police-report',
      description: 'Police report of the farm visit.',
      ...data,
    },
  }),
  suspendCase: (data: Partial<SuspendCase['data']> = {}): SuspendCase => ({
    type: 'SuspendCase',
    caseId: ids.caseId,
    data: { reason: 'subject-missing', details: 'Left the safe house; reported missing.', ...data },
  }),
  resumeCase: (): ResumeCase => ({ type: 'ResumeCase', caseId: ids.caseId, data: {} }),
  withdrawReferral: (data: Partial<WithdrawReferral['data']> = {}): WithdrawReferral => ({
    type: 'WithdrawReferral',
    caseId: ids.caseId,
    data: { basis: 'written-request', notes: 'Letter received from the person.', ...data },
  }),
  closeCase: (data: Partial<CloseCase['data']> = {}): CloseCase => ({
    type: 'CloseCase',
    caseId: ids.caseId,
    data,
  }),
};

/**
 * What the deadline scheduler would append to `history` at `now`: the history followed by a
 * `DeadlineBreached` or `RecoveryPeriodEnded` for every deadline then due, through the real
 * tracker and decider.
 */
export function fireDeadlines(history: readonly CaseEvent[], now: string): CaseEvent[] {
  const tracked = history.reduce(trackDeadlines, initialCaseDeadlines());
  const fired = tracked.deadlines.flatMap((deadline) =>
    decideDeadline({ caseId: tracked.caseId ?? '', deadlineId: deadline.deadlineId }, tracked, { now }),
  );
  return [...history, ...fired];
}

/** One step of a scenario: a command and who issues it when. */
export type Step = readonly [command: CaseCommand, context: DecisionContext];

/** Runs steps through the real decider, returning every event they produce. */
export function run(steps: readonly Step[], history: readonly CaseEvent[] = []): CaseEvent[] {
  const events = [...history];
  let state: CaseState = events.reduce(evolveCase, initialCaseState());
  for (const [command, context] of steps) {
    const produced = decideCase(command, state, context);
    state = produced.reduce(evolveCase, state);
    events.push(...produced);
  }
  return events;
}

const raised: readonly Step[] = [
  [commands.raiseReferral(), at(actors.lead, times.raisedAt)],
  [commands.arrangeImmediateSupport(), at(actors.lead, times.raisedAt)],
];
const inRecovery: readonly Step[] = [
  ...raised,
  [commands.recordLeadAssessment('positive'), at(actors.lead, times.assessedAt)],
  [commands.addEvidence(), at(actors.caseManager, times.evidenceAddedAt)],
];
const listed: readonly Step[] = [...inRecovery, [commands.listCaseForPanel(), at(actors.caseManager, times.listedAt)]];
const convened: readonly Step[] = [...listed, [commands.convenePanel(), at(actors.chair, times.meetingAt)]];
const decidedNegative: readonly Step[] = [
  ...convened,
  [commands.recordDecision('negative'), at(actors.chair, times.decidedAt)],
];

/**
 * A history that leaves the example adult case in each status (run through the real decider).
 * The panel-convened case was convened by `actors.chair`; `actors.otherChair` took no part.
 */
export const historyIn: Record<CaseStatus, () => CaseEvent[]> = {
  referred: () => run(raised),
  recovery: () => run(inRecovery),
  'assessment-negative': () =>
    run([...raised, [commands.recordLeadAssessment('negative'), at(actors.lead, times.assessedAt)]]),
  listed: () => run(listed),
  'panel-convened': () => run(convened),
  'decided-positive': () =>
    run([...convened, [commands.recordDecision('positive'), at(actors.chair, times.decidedAt)]]),
  'decided-negative': () => run(decidedNegative),
  'negative-upheld': () =>
    run([...decidedNegative, [commands.completeSecondReview('upheld'), at(actors.caseManager, times.reviewedAt)]]),
  suspended: () => run([...inRecovery, [commands.suspendCase(), at(actors.caseManager, times.suspendedAt)]]),
  closed: () =>
    run([
      ...convened,
      [commands.recordDecision('positive'), at(actors.chair, times.decidedAt)],
      [commands.closeCase({ notes: 'Move-on support arranged.' }), at(actors.caseManager, times.reviewedAt)],
    ]),
  withdrawn: () => run([...inRecovery, [commands.withdrawReferral(), at(actors.lead, times.suspendedAt)]]),
};

const centralRaised: readonly Step[] = [
  [commands.raiseReferral(londonReferralData()), at(actors.londonLead, times.raisedAt)],
  [commands.arrangeImmediateSupport(), at(actors.londonLead, times.raisedAt)],
];
const centralInRecovery: readonly Step[] = [
  ...centralRaised,
  [commands.makeReasonableGroundsDecision('positive'), at(actors.competentAuthority, times.assessedAt)],
  [commands.addEvidence(), at(actors.competentAuthority, times.evidenceAddedAt)],
];
const centralDecidedNegative: readonly Step[] = [
  ...centralInRecovery,
  [commands.recordCompetentAuthorityDecision('negative'), at(actors.competentAuthority, times.decidedAt)],
];

/** The statuses of the central route: no listing, no panel. */
export type CentralCaseStatus = Exclude<CaseStatus, 'listed' | 'panel-convened'>;

/**
 * A history that leaves the example adult case, raised in London under the default routes (so on
 * the central route), in each status it can reach. `actors.competentAuthority` made both of its
 * decisions; `actors.otherCompetentAuthority` took no part.
 */
export const centralHistoryIn: Record<CentralCaseStatus, () => CaseEvent[]> = {
  referred: () => run(centralRaised),
  recovery: () => run(centralInRecovery),
  'assessment-negative': () =>
    run([
      ...centralRaised,
      [commands.makeReasonableGroundsDecision('negative'), at(actors.competentAuthority, times.assessedAt)],
    ]),
  'decided-positive': () =>
    run([
      ...centralInRecovery,
      [commands.recordCompetentAuthorityDecision('positive'), at(actors.competentAuthority, times.decidedAt)],
    ]),
  'decided-negative': () => run(centralDecidedNegative),
  'negative-upheld': () =>
    run([
      ...centralDecidedNegative,
      [commands.completeSecondReview('upheld'), at(actors.otherCompetentAuthority, times.reviewedAt)],
    ]),
  suspended: () =>
    run([...centralInRecovery, [commands.suspendCase(), at(actors.competentAuthority, times.suspendedAt)]]),
  closed: () =>
    run([
      ...centralInRecovery,
      [commands.recordCompetentAuthorityDecision('positive'), at(actors.competentAuthority, times.decidedAt)],
      [commands.closeCase({ notes: 'Move-on support arranged.' }), at(actors.competentAuthority, times.reviewedAt)],
    ]),
  withdrawn: () => run([...centralInRecovery, [commands.withdrawReferral(), at(actors.londonLead, times.suspendedAt)]]),
};

/**
 * Example case streams that between them hold every case event type: the main path with a
 * negative decision overturned, reconsideration and relisting, suspension, withdrawal, a child's
 * case with an urgent listing, a negative assessment closed, and a central-route case.
 */
export function exampleCaseStreams(): CaseEvent[][] {
  const reconsidered = run(
    [
      [commands.requestReconsideration(), at(actors.lead, times.reviewedAt)],
      [commands.requestInformation(), at(actors.caseManager, times.reviewedAt)],
      [commands.recordInformationReceived(), at(actors.caseManager, times.later)],
      [
        commands.listCaseForPanel({
          meetingId: ids.nextMeetingId,
          meetingAt: '2015-08-05T10:00:00.000Z',
          urgent: true,
          urgencyReason: 'The person is due to be removed from the UK.',
        }),
        at(actors.caseManager, times.later),
      ],
    ],
    historyIn['negative-upheld'](),
  );
  const overturned = run(
    [
      [commands.completeSecondReview('overturned'), at(actors.otherChair, times.reviewedAt)],
      [commands.closeCase(), at(actors.caseManager, times.later)],
    ],
    historyIn['decided-negative'](),
  );
  const resumedAndWithdrawn = run(
    [
      [commands.resumeCase(), at(actors.caseManager, times.listedAt)],
      [commands.withdrawReferral({ basis: 'left-the-uk', notes: undefined }), at(actors.lead, times.later)],
    ],
    historyIn.suspended(),
  );
  // Never assessed: by `later` the lead assessment deadline is missed and recorded.
  const child = fireDeadlines(
    run([[commands.raiseReferral(childReferralData(), ids.childCaseId), at(actors.lead, times.raisedAt)]]),
    times.later,
  );
  // Assessed positive in time; the recovery period has run by `later`.
  const recoveryEnded = fireDeadlines(historyIn.recovery(), times.later);
  const negativeAssessmentClosed = run(
    [[commands.closeCase(), at(actors.caseManager, times.later)]],
    historyIn['assessment-negative'](),
  );
  // The central route: a negative reasonable grounds decision reconsidered, then decided negative
  // conclusively, upheld on review and closed.
  const centralReconsidered = run(
    [
      [commands.requestReconsideration(), at(actors.londonLead, times.evidenceAddedAt)],
      [
        commands.makeReasonableGroundsDecision('positive', { decisionId: ids.nextDecisionId }),
        at(actors.otherCompetentAuthority, times.evidenceAddedAt),
      ],
      [commands.addEvidence(), at(actors.londonLead, times.evidenceAddedAt)],
      [commands.recordCompetentAuthorityDecision('negative'), at(actors.competentAuthority, times.later)],
      [commands.completeSecondReview('upheld'), at(actors.otherCompetentAuthority, times.later)],
      [commands.closeCase(), at(actors.competentAuthority, times.later)],
    ],
    centralHistoryIn['assessment-negative'](),
  );
  return [
    reconsidered,
    overturned,
    resumedAndWithdrawn,
    child,
    negativeAssessmentClosed,
    recoveryEnded,
    centralReconsidered,
  ];
}

/** A valid Duty to Notify report for an adult who would not consent. */
export function dutyToNotifyData(overrides: Partial<ReportDutyToNotifyData> = {}): ReportDutyToNotifyData {
  return {
    region: 'west-yorkshire',
    policeForceArea: 'west-yorkshire',
    ageGroup: 'adult',
    gender: 'male',
    nationality: 'ALB',
    exploitationTypes: ['labour', 'criminal'],
    exploitationLocation: 'uk',
    reportingAgency: 'west-yorkshire-police',
    firstResponderType: 'police',
    refusalReason: 'distrust-of-authorities',
    ...overrides,
  };
}

/** A Duty to Notify command. */
export function reportDutyToNotify(data: ReportDutyToNotifyData = dutyToNotifyData()): ReportDutyToNotify {
  return { type: 'ReportDutyToNotify', reportId: ids.reportId, data };
}

/** Example Duty to Notify events, produced by the real decider. */
export function exampleDtnEvents(): DtnEvent[] {
  return decideDtn(reportDutyToNotify(), initialDtnState(), at(actors.westYorkshireLead, times.notifiedAt));
}
