/**
 * Event data types, generated from event-schemas/*.schema.json by
 * libs/domain/scripts/generate-event-types.ts. Do not edit by hand: change or add a schema and run
 * `npm run schemas:generate`. A spec fails when this file and the schemas disagree.
 *
 * One type per event type and schema version, named <EventType>DataV<version>.
 */

/**
 * The case was closed. Terminal.
 */
export interface CaseClosedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the case was closed.
   */
  closedAt: string;
  /**
   * The state the case was closed from.
   */
  closedFrom: 'decided-positive' | 'negative-upheld' | 'assessment-negative' | 'suspended';
  /**
   * How the case ended.
   */
  outcome:
    | 'conclusive-grounds-positive'
    | 'conclusive-grounds-negative'
    | 'lead-assessment-negative'
    | 'reasonable-grounds-negative'
    | 'closed-while-suspended';
  /**
   * Free-text notes; may discuss the person.
   */
  notes?: string;
}

/**
 * The Case Management Unit listed the case for a meeting of a regional panel (again, if the meeting changed).
 */
export interface CaseListedForPanelDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the case was listed.
   */
  listedAt: string;
  /**
   * The regional panel.
   */
  panelId: string;
  /**
   * The panel meeting (its stream is `panel-<meetingId>`).
   */
  meetingId: string;
  /**
   * When the meeting takes place.
   */
  meetingAt: string;
  /**
   * Listed at short notice because the case is urgent.
   */
  urgent: boolean;
  /**
   * Why the case is urgent; required when urgent.
   */
  urgencyReason?: string;
}

/**
 * Someone was sent a case's personal data or history (the read-access log, in the daily stream `audit-access-<yyyy-mm-dd>`). Staff identifiers only: nothing about the person.
 */
export interface CaseRecordViewedDataV1 {
  /**
   * The case that was read.
   */
  caseId: string;
  /**
   * Who read it (the token's subject, or the operator of a command line export).
   */
  viewerId: string;
  /**
   * The role they read it in.
   */
  role: string;
  /**
   * The organisation they work for.
   */
  agency: string;
  /**
   * What was read: the route pattern (`GET /cases/:caseId/history`) or the command.
   */
  endpoint: string;
  /**
   * When the record was sent (recorded time); for repeated views (`count`), the first of them.
   */
  viewedAt: string;
  /**
   * Present when this one record stands for repeated identical views (same viewer, case and endpoint, within the coalescing window after a view recorded on its own): how many. Absent means one.
   */
  count?: number;
  /**
   * With `count`: when the last of the repeated views was sent.
   */
  lastViewedAt?: string;
}

/**
 * A suspended case resumed in the state it was suspended from.
 */
export interface CaseResumedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the case resumed.
   */
  resumedAt: string;
  /**
   * The state the case is back in.
   */
  resumedTo:
    | 'referred'
    | 'recovery'
    | 'assessment-negative'
    | 'listed'
    | 'panel-convened'
    | 'decided-positive'
    | 'decided-negative'
    | 'negative-upheld';
}

/**
 * The case was paused (for example, the person is missing); it resumes to the state it was suspended from.
 */
export interface CaseSuspendedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the case was suspended.
   */
  suspendedAt: string;
  /**
   * The state to resume to.
   */
  suspendedFrom:
    | 'referred'
    | 'recovery'
    | 'assessment-negative'
    | 'listed'
    | 'panel-convened'
    | 'decided-positive'
    | 'decided-negative'
    | 'negative-upheld';
  /**
   * Why the case is suspended.
   */
  reason: 'subject-missing' | 'subject-unwell' | 'criminal-proceedings' | 'awaiting-information' | 'other';
  /**
   * Free-text details; may discuss the person.
   */
  details?: string;
}

/**
 * On the central route the case was allocated to the competent authority that decides it, by the person's nationality (2015: the NCA's UK Human Trafficking Centre for EEA nationals, UK Visas and Immigration for everyone else). Recorded with the referral so the allocation survives erasure of the nationality.
 */
export interface CompetentAuthorityAllocatedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the case was allocated (the referral's business time).
   */
  allocatedAt: string;
  /**
   * The registry id of the competent authority that decides the case.
   */
  competentAuthority: string;
  /**
   * Why: the person is an EEA national (either nationality, as of 2015) or not.
   */
  basis: 'eea-national' | 'non-eea-national';
}

/**
 * A soft deadline of the case's workflow passed before the event it awaited (a lead assessment, a reasonable-grounds decision, an answer to an information request). Appended by the deadline scheduler exactly once per missed deadline; it records the miss and blocks nothing.
 */
export interface DeadlineBreachedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * The deadline: its kind and the id of what started it (e.g. `information-request:<requestId>`).
   */
  deadlineId: string;
  /**
   * Which deadline of the workflow definition.
   */
  kind: 'lead-assessment' | 'reasonable-grounds-decision' | 'information-request';
  /**
   * When the deadline started (the business time of the event that started it).
   */
  startedAt: string;
  /**
   * When it fell due: the business time of the breach.
   */
  dueAt: string;
  /**
   * When the scheduler noticed the breach (its clock).
   */
  detectedAt: string;
}

/**
 * A decision letter was made from a versioned template (stream `correspondence-<caseId>`) as HTML and PDF; the documents are stored and their digests recorded here.
 */
export interface DecisionLetterIssuedDataV1 {
  /**
   * The case.
   */
  caseId: string;
  /**
   * The letter (derived from the decision).
   */
  letterId: string;
  /**
   * The decision it tells of.
   */
  decisionId: string;
  /**
   * Which decision.
   */
  decisionKind: 'lead-assessment' | 'reasonable-grounds' | 'conclusive-grounds' | 'second-review';
  /**
   * The decision's outcome.
   */
  outcome: 'positive' | 'negative' | 'upheld' | 'overturned';
  /**
   * The template and its version.
   */
  template: {
    /**
     * Template id.
     */
    id: string;
    /**
     * Template version.
     */
    version: number;
  };
  /**
   * When.
   */
  issuedAt: string;
  /**
   * SHA-256 of the HTML (hex).
   */
  htmlSha256: string;
  /**
   * SHA-256 of the PDF (hex).
   */
  pdfSha256: string;
  /**
   * Who it is addressed to, by role and channel (addresses are not recorded here).
   *
   * @maxItems 10
   *
   * Items: A recipient.
   */
  recipients: {
    /**
     * Who the letter is for.
     */
    recipient: 'person' | 'first-responder' | 'support-provider' | 'local-authority';
    /**
     * How it goes.
     */
    channel: 'email' | 'post' | 'withheld';
  }[];
}

/**
 * The conclusive grounds decision: made by the regional panel (pilot route), or by the competent authority with no panel (central route; no members, votes or dissent).
 */
export interface DecisionRecordedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This decision.
   */
  decisionId: string;
  /**
   * When the decision was made.
   */
  decidedAt: string;
  /**
   * The decision stage.
   */
  stage: 'conclusive-grounds';
  /**
   * Whether the person is found to be a victim.
   */
  outcome: 'positive' | 'negative';
  /**
   * The standard of proof applied.
   */
  standardOfProof: 'balance-of-probabilities';
  /**
   * The version of the guidance the standard comes from.
   */
  guidanceVersion: string;
  /**
   * The written rationale (consideration minute); it discusses the person.
   */
  rationale: string;
  /**
   * Evidence on file that the decision relies on, besides the referral itself.
   *
   * @maxItems 100
   */
  evidenceReliedOn: {
    /**
     * The evidence.
     */
    evidenceId: string;
    /**
     * What the evidence is; may describe the person.
     */
    description: string;
  }[];
  /**
   * Who decided: a regional panel (the pilot route) or a competent authority caseworker (the central route).
   */
  decidedBy:
    | {
        /**
         * A panel decided (the pilot route).
         */
        kind: 'panel';
        /**
         * The regional panel.
         */
        panelId: string;
        /**
         * The panel meeting.
         */
        meetingId: string;
        /**
         * The chair who presided.
         */
        chairId: string;
      }
    | {
        /**
         * A competent authority decided (the central route), with no panel.
         */
        kind: 'competent-authority';
        /**
         * The competent authority caseworker who decided.
         */
        decisionMakerId: string;
        /**
         * The competent authority (e.g. uk-human-trafficking-centre, uk-visas-and-immigration).
         */
        agency: string;
      };
  /**
   * Members who took part (those with a declared conflict excluded).
   *
   * @maxItems 30
   */
  membersPresent: {
    /**
     * The panel member.
     */
    memberId: string;
    /**
     * The member's organisation.
     */
    agency: string;
    /**
     * The discipline the member brings.
     */
    discipline:
      | 'police'
      | 'health'
      | 'local-authority'
      | 'gangmasters-licensing-authority'
      | 'border-force'
      | 'uk-visas-and-immigration'
      | 'ngo'
      | 'other';
  }[];
  /**
   * Votes cast by members present.
   *
   * @maxItems 30
   */
  votes: {
    /**
     * The voting member.
     */
    memberId: string;
    /**
     * The member's vote.
     */
    vote: 'positive' | 'negative' | 'abstain';
  }[];
  /**
   * Members who disagree with the outcome, with their reasons.
   *
   * @maxItems 30
   */
  dissent: {
    /**
     * The dissenting member.
     */
    memberId: string;
    /**
     * Why the member dissents; may discuss the person.
     */
    reason: string;
  }[];
}

/**
 * A public authority met its Duty to Notify (s.52 Modern Slavery Act 2015) for an adult who did not consent to a referral. Anonymous by construction: no name, date of birth, contact or free text, so nothing here is personal data; it counts only in statistics.
 */
export interface DutyToNotifyReportedDataV1 {
  /**
   * This report (its stream is `dtn-<reportId>`).
   */
  reportId: string;
  /**
   * When the report was made.
   */
  reportedAt: string;
  /**
   * UK police region.
   */
  region:
    | 'south-west'
    | 'west-yorkshire'
    | 'london'
    | 'north-west'
    | 'west-midlands'
    | 'east'
    | 'north-east'
    | 'south-east'
    | 'east-midlands'
    | 'wales'
    | 'yorkshire-and-the-humber'
    | 'scotland'
    | 'northern-ireland';
  /**
   * Police force area; it belongs to `region`.
   */
  policeForceArea:
    | 'avon-and-somerset'
    | 'devon-and-cornwall'
    | 'dorset'
    | 'wiltshire'
    | 'gloucestershire'
    | 'west-yorkshire'
    | 'metropolitan'
    | 'city-of-london'
    | 'cumbria'
    | 'lancashire'
    | 'merseyside'
    | 'greater-manchester'
    | 'cheshire'
    | 'west-midlands'
    | 'staffordshire'
    | 'warwickshire'
    | 'west-mercia'
    | 'bedfordshire'
    | 'cambridgeshire'
    | 'essex'
    | 'hertfordshire'
    | 'norfolk'
    | 'suffolk'
    | 'northumbria'
    | 'durham'
    | 'cleveland'
    | 'thames-valley'
    | 'hampshire'
    | 'surrey'
    | 'sussex'
    | 'kent'
    | 'derbyshire'
    | 'nottinghamshire'
    | 'lincolnshire'
    | 'leicestershire'
    | 'northamptonshire'
    | 'dyfed-powys'
    | 'gwent'
    | 'north-wales'
    | 'south-wales'
    | 'north-yorkshire'
    | 'south-yorkshire'
    | 'humberside'
    | 'police-scotland'
    | 'police-service-of-northern-ireland';
  /**
   * Always adult: a child is referred, consent or not.
   */
  ageGroup: 'adult';
  /**
   * Gender as the potential victim gives it.
   */
  gender: 'female' | 'male' | 'other';
  /**
   * Nationality as an ICAO 9303 / ISO 3166-1 alpha-3 code (`XXA` stateless, `XXX` unknown).
   */
  nationality: string;
  /**
   * Forms of exploitation reported.
   *
   * @minItems 1
   * @maxItems 6
   */
  exploitationTypes: ('labour' | 'sexual' | 'domestic-servitude' | 'criminal' | 'organ-harvesting' | 'not-specified')[];
  /**
   * Where the exploitation took place.
   */
  exploitationLocation: 'uk' | 'overseas' | 'both';
  /**
   * The public authority reporting.
   */
  reportingAgency: string;
  /**
   * Kind of first responder organisation.
   */
  firstResponderType: 'government-agency' | 'police' | 'local-authority' | 'ngo';
  /**
   * Why the adult did not consent to a referral, as a category (free text could identify them).
   */
  refusalReason:
    | 'fear-of-exploiters'
    | 'distrust-of-authorities'
    | 'does-not-identify-as-victim'
    | 'wants-to-leave-the-uk'
    | 'no-support-needed'
    | 'other'
    | 'not-stated';
}

/**
 * A piece of evidence was added to the case file.
 */
export interface EvidenceAddedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This evidence.
   */
  evidenceId: string;
  /**
   * When it was added.
   */
  addedAt: string;
  /**
   * Kind of evidence.
   */
  kind:
    | 'statement'
    | 'medical-report'
    | 'police-report'
    | 'local-authority-report'
    | 'support-provider-report'
    | 'immigration-record'
    | 'identity-document'
    | 'other';
  /**
   * What the evidence is; may describe the person.
   */
  description: string;
}

/**
 * Immediate support was arranged for the potential victim; support starts on referral and may be added in any open state.
 */
export interface ImmediateSupportArrangedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This support arrangement.
   */
  supportId: string;
  /**
   * When support was arranged.
   */
  arrangedAt: string;
  /**
   * Kinds of support arranged.
   *
   * @minItems 1
   * @maxItems 8
   */
  kinds: (
    'accommodation' | 'subsistence' | 'medical' | 'counselling' | 'legal-advice' | 'interpreter' | 'outreach' | 'other'
  )[];
  /**
   * The support provider (e.g. the Salvation Army).
   */
  provider: string;
  /**
   * Free-text notes; may describe the person's circumstances.
   */
  notes?: string;
}

/**
 * The answer to an information request arrived; it meets the request's deadline.
 */
export interface InformationReceivedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * The request answered.
   */
  requestId: string;
  /**
   * When the answer arrived.
   */
  receivedAt: string;
  /**
   * What the answer says; may discuss the person.
   */
  summary: string;
}

/**
 * Further information was requested from an organisation.
 */
export interface InformationRequestedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This request.
   */
  requestId: string;
  /**
   * When the information was requested.
   */
  requestedAt: string;
  /**
   * The organisation asked.
   */
  requestedFrom: string;
  /**
   * What is asked for; may discuss the person.
   */
  details: string;
  /**
   * When the answer is wanted.
   */
  dueBy?: string;
}

/**
 * The Slavery Safeguarding Lead decided whether they believe the person is a victim (the pilot's stand-in for the reasonable grounds decision). A positive assessment starts the recovery period.
 */
export interface LeadAssessmentRecordedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This assessment.
   */
  assessmentId: string;
  /**
   * When the assessment was made.
   */
  assessedAt: string;
  /**
   * The lead who assessed.
   */
  assessorId: string;
  /**
   * Whether the lead believes the person is a victim.
   */
  outcome: 'positive' | 'negative';
  /**
   * The written rationale; it discusses the person's account.
   */
  rationale: string;
  /**
   * The recovery and reflection period; present exactly when the outcome is positive.
   */
  recoveryPeriod?: {
    /**
     * Start of the period (the assessment).
     */
    startsAt: string;
    /**
     * Earliest time a conclusive decision may be made.
     */
    endsAt: string;
    /**
     * Length of the period in calendar days.
     */
    days: number;
  };
}

/**
 * The Slavery Safeguarding Lead decided whether they believe the person is a victim (the pilot's stand-in for the reasonable grounds decision). A positive assessment starts the recovery period. v2 names the standard of proof applied and the guidance version (v1 events read as v2 through an upcaster: every one was made under the 2015 pilot's guidance, to the reasonable grounds standard).
 */
export interface LeadAssessmentRecordedDataV2 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This assessment.
   */
  assessmentId: string;
  /**
   * When the assessment was made.
   */
  assessedAt: string;
  /**
   * The lead who assessed.
   */
  assessorId: string;
  /**
   * Whether the lead believes the person is a victim.
   */
  outcome: 'positive' | 'negative';
  /**
   * The standard of proof the lead applied: the reasonable grounds standard (in 2015, "suspect but cannot prove").
   */
  standardOfProof: 'reasonable-grounds-to-believe';
  /**
   * The guidance the assessment was made under (the workflow definition's).
   */
  guidanceVersion: string;
  /**
   * The written rationale; it discusses the person's account.
   */
  rationale: string;
  /**
   * The recovery and reflection period; present exactly when the outcome is positive.
   */
  recoveryPeriod?: {
    /**
     * Start of the period (the assessment).
     */
    startsAt: string;
    /**
     * Earliest time a conclusive decision may be made.
     */
    endsAt: string;
    /**
     * Length of the period in calendar days.
     */
    days: number;
  };
}

/**
 * An administrator placed a case on legal hold (in its subject's stream `subject-<subjectId>`; before holds and erasure were decided there, in `legal-hold-<caseId>`): until it is released, its subject's personal data may not be erased, by request or by the retention policy.
 */
export interface LegalHoldPlacedDataV1 {
  /**
   * The case held.
   */
  caseId: string;
  /**
   * This hold; its release names it.
   */
  holdId: string;
  /**
   * When the hold was placed.
   */
  placedAt: string;
  /**
   * Why, as an administrative reference (litigation, inquiry, police request); it must not identify the person. Kept in the clear so the hold stays accountable after an erasure.
   */
  reason: string;
}

/**
 * An administrator released a case's legal hold (in its subject's stream `subject-<subjectId>`; before holds and erasure were decided there, in `legal-hold-<caseId>`): its subject's personal data may be erased again.
 */
export interface LegalHoldReleasedDataV1 {
  /**
   * The case released.
   */
  caseId: string;
  /**
   * The hold released.
   */
  holdId: string;
  /**
   * When the hold was released.
   */
  releasedAt: string;
  /**
   * Why, as an administrative reference; it must not identify the person.
   */
  reason: string;
}

/**
 * A case listed to the meeting's panel was put on its agenda.
 */
export interface MeetingAgendaCaseAddedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * The case.
   */
  caseId: string;
  /**
   * When.
   */
  addedAt: string;
}

/**
 * A case was taken off the agenda before the panel reached an outcome on it.
 */
export interface MeetingAgendaCaseRemovedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * The case.
   */
  caseId: string;
  /**
   * When.
   */
  removedAt: string;
  /**
   * Why (refer to the case by id; no personal data).
   */
  reason: string;
}

/**
 * The chair recorded who attended, with their disciplines and the cases each declared a conflict of interest on.
 */
export interface MeetingAttendanceRecordedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * When.
   */
  recordedAt: string;
  /**
   * The chair who recorded it.
   */
  chairId: string;
  /**
   * The members present.
   *
   * @maxItems 50
   *
   * Items: A member present.
   */
  attendees: {
    /**
     * The member.
     */
    memberId: string;
    /**
     * The member's organisation (registry id).
     */
    organisationId: string;
    /**
     * The discipline the member brings.
     */
    discipline:
      | 'police'
      | 'health'
      | 'local-authority'
      | 'gangmasters-licensing-authority'
      | 'border-force'
      | 'uk-visas-and-immigration'
      | 'ngo'
      | 'other';
    /**
     * Cases on which the member declared a conflict of interest: present, takes no part.
     *
     * @maxItems 200
     *
     * Items: A case.
     */
    conflicts: string[];
  }[];
}

/**
 * The panel's outcome on one case on the agenda: decided (the case stream records the decision and this meeting), deferred to a later meeting with a reason (the case stays listed), or adjourned.
 */
export interface MeetingCaseOutcomeRecordedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * The case.
   */
  caseId: string;
  /**
   * When.
   */
  recordedAt: string;
  /**
   * What the panel did with the case.
   */
  outcome: 'decided' | 'deferred' | 'adjourned';
  /**
   * The decision on the case stream, when decided.
   */
  decisionId: string | null;
  /**
   * The decision's outcome, when decided.
   */
  decision: 'positive' | 'negative' | null;
  /**
   * The votes cast, by members present without a conflict on the case.
   *
   * @maxItems 50
   *
   * Items: A vote.
   */
  votes: {
    /**
     * The member.
     */
    memberId: string;
    /**
     * The vote.
     */
    vote: 'positive' | 'negative' | 'abstain';
  }[];
  /**
   * The chair's casting vote on a tie, where the voting rule gives one.
   */
  chairCastingVote: 'positive' | 'negative' | null;
  /**
   * The voting rule the outcome was held to.
   */
  votingRule: 'majority-chair-casting-vote' | 'consensus';
  /**
   * Why deferred or adjourned (no personal data).
   */
  reason: string | null;
}

/**
 * The chair approved the minutes; the meeting takes no more business.
 */
export interface MeetingMinutesApprovedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * When.
   */
  approvedAt: string;
  /**
   * The chair.
   */
  chairId: string;
  /**
   * The minutes as approved: they name cases by id; the decisions' reasons are on the cases.
   */
  minutes: string;
}

/**
 * The pack for one case on the agenda was issued to the members who may read it (need to know): what it holds, to whom, and its digest. The pack itself is assembled from the case file when read, and every read is logged.
 */
export interface MeetingPackIssuedDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * The case.
   */
  caseId: string;
  /**
   * When.
   */
  issuedAt: string;
  /**
   * Who may read the pack: the chair and the invited members.
   *
   * @maxItems 51
   *
   * Items: A recipient.
   */
  recipients: string[];
  /**
   * What the pack holds; never contact details.
   *
   * @maxItems 4
   */
  sections: ('case-summary' | 'lead-assessment' | 'evidence-list' | 'information-answers')[];
  /**
   * SHA-256 of the pack as issued (hex).
   */
  packSha256: string;
}

/**
 * A panel meeting was scheduled (stream `panel-meeting-<meetingId>`): its panel, time, venue or remote link, chair and invited members.
 */
export interface MeetingScheduledDataV1 {
  /**
   * The meeting.
   */
  meetingId: string;
  /**
   * The regional panel.
   */
  panelId: string;
  /**
   * When it was scheduled.
   */
  scheduledAt: string;
  /**
   * When the meeting sits.
   */
  meetingAt: string;
  /**
   * Where the meeting sits.
   */
  venue: {
    /**
     * In a room or remote.
     */
    kind: 'in-person' | 'remote';
    /**
     * The address of the room or the remote link (no personal data).
     */
    details: string;
  };
  /**
   * The independent chair.
   */
  chairId: string;
  /**
   * The members invited, by user id, organisation and discipline.
   *
   * @maxItems 50
   *
   * Items: A member invited to the meeting.
   */
  members: {
    /**
     * The member (user id).
     */
    memberId: string;
    /**
     * The member's organisation, by its registry id.
     */
    organisationId: string;
    /**
     * The discipline the member brings.
     */
    discipline:
      | 'police'
      | 'health'
      | 'local-authority'
      | 'gangmasters-licensing-authority'
      | 'border-force'
      | 'uk-visas-and-immigration'
      | 'ngo'
      | 'other';
  }[];
}

/**
 * Sending a decision letter failed for good after its retries.
 */
export interface NotificationFailedDataV1 {
  /**
   * The case.
   */
  caseId: string;
  /**
   * The letter.
   */
  letterId: string;
  /**
   * The notification (one per letter and recipient).
   */
  notificationId: string;
  /**
   * The idempotent SMTP Message-ID.
   */
  messageId: string;
  /**
   * Who the letter is for.
   */
  recipient: 'person' | 'first-responder' | 'support-provider' | 'local-authority';
  /**
   * When.
   */
  failedAt: string;
  /**
   * Attempts made.
   */
  attempts: number;
  /**
   * What the server or transport said (no address).
   */
  error: string;
}

/**
 * An email carrying a decision letter was accepted by the mail server.
 */
export interface NotificationSentDataV1 {
  /**
   * The case.
   */
  caseId: string;
  /**
   * The letter.
   */
  letterId: string;
  /**
   * The notification (one per letter and recipient).
   */
  notificationId: string;
  /**
   * The idempotent SMTP Message-ID.
   */
  messageId: string;
  /**
   * Who the letter is for.
   */
  recipient: 'person' | 'first-responder' | 'support-provider' | 'local-authority';
  /**
   * When.
   */
  sentAt: string;
  /**
   * Attempts it took.
   */
  attempts: number;
}

/**
 * The independent chair convened the panel meeting for this case, recording who attended.
 */
export interface PanelConvenedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * The regional panel.
   */
  panelId: string;
  /**
   * The panel meeting.
   */
  meetingId: string;
  /**
   * When the panel convened.
   */
  convenedAt: string;
  /**
   * The independent chair.
   */
  chair: {
    /**
     * The chair.
     */
    chairId: string;
    /**
     * The chair's organisation.
     */
    agency: string;
  };
  /**
   * Members present, including any who declared a conflict (they are not counted towards the quorum).
   *
   * @minItems 1
   * @maxItems 30
   */
  members: {
    /**
     * The panel member.
     */
    memberId: string;
    /**
     * The member's organisation.
     */
    agency: string;
    /**
     * The discipline the member brings.
     */
    discipline:
      | 'police'
      | 'health'
      | 'local-authority'
      | 'gangmasters-licensing-authority'
      | 'border-force'
      | 'uk-visas-and-immigration'
      | 'ngo'
      | 'other';
    /**
     * The member declared a conflict of interest on this case and takes no part.
     */
    conflictDeclared: boolean;
  }[];
}

/**
 * The independent chair convened the panel meeting for this case, recording who attended. v2 names each organisation by its registry id; v1 events read as v2 through an upcaster.
 */
export interface PanelConvenedDataV2 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * The regional panel.
   */
  panelId: string;
  /**
   * The panel meeting.
   */
  meetingId: string;
  /**
   * When the panel convened.
   */
  convenedAt: string;
  /**
   * The independent chair.
   */
  chair: {
    /**
     * The chair.
     */
    chairId: string;
    /**
     * The chair's organisation: its id in the organisation registry (`GET /organisations`).
     */
    agency: string;
    /**
     * Present, `true`, only on an event recorded before the registry (v1) whose organisation name the registry does not know: `agency` is then that name as typed, shown as such and never compared as an id.
     */
    agencyUnverified?: true;
  };
  /**
   * Members present, including any who declared a conflict (they are not counted towards the quorum).
   *
   * @minItems 1
   * @maxItems 30
   */
  members: {
    /**
     * The panel member.
     */
    memberId: string;
    /**
     * The member's organisation: its id in the organisation registry (`GET /organisations`).
     */
    agency: string;
    /**
     * Present, `true`, only on an event recorded before the registry (v1) whose organisation name the registry does not know: `agency` is then that name as typed, shown as such and never compared as an id.
     */
    agencyUnverified?: true;
    /**
     * The discipline the member brings.
     */
    discipline:
      | 'police'
      | 'health'
      | 'local-authority'
      | 'gangmasters-licensing-authority'
      | 'border-force'
      | 'uk-visas-and-immigration'
      | 'ngo'
      | 'other';
    /**
     * The member declared a conflict of interest on this case and takes no part.
     */
    conflictDeclared: boolean;
  }[];
}

/**
 * A regional multi-disciplinary panel joined the panels registry (in the stream `panel-<panelId>`), by an administrator or by configuration at start-up: cases of its region may be listed to it, and cases of no other.
 */
export interface PanelRegisteredDataV1 {
  /**
   * The panel's id, as panel members' tokens and case listings name it.
   */
  panelId: string;
  /**
   * What people call the panel.
   */
  name: string;
  /**
   * The UK police region whose cases the panel decides.
   */
  region:
    | 'south-west'
    | 'west-yorkshire'
    | 'london'
    | 'north-west'
    | 'west-midlands'
    | 'east'
    | 'north-east'
    | 'south-east'
    | 'east-midlands'
    | 'wales'
    | 'yorkshire-and-the-humber'
    | 'scotland'
    | 'northern-ireland';
  /**
   * When the panel was registered.
   */
  registeredAt: string;
}

/**
 * The competent authority decided whether there are reasonable grounds to believe the person is a victim (the central route's first gate; the pilot's lead assessment stands in for it). A positive decision starts the recovery period.
 */
export interface ReasonableGroundsDecisionMadeDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This decision.
   */
  decisionId: string;
  /**
   * When the decision was made.
   */
  decidedAt: string;
  /**
   * The competent authority caseworker who decided.
   */
  decisionMakerId: string;
  /**
   * The competent authority (e.g. uk-human-trafficking-centre, uk-visas-and-immigration).
   */
  agency: string;
  /**
   * Whether there are reasonable grounds to believe the person is a victim.
   */
  outcome: 'positive' | 'negative';
  /**
   * The standard of proof applied at this stage.
   */
  standardOfProof: 'reasonable-grounds-to-believe';
  /**
   * The version of the guidance the standard comes from.
   */
  guidanceVersion: string;
  /**
   * The written rationale; it discusses the person's account.
   */
  rationale: string;
  /**
   * The recovery and reflection period; present exactly when the outcome is positive.
   */
  recoveryPeriod?: {
    /**
     * Start of the period (the decision).
     */
    startsAt: string;
    /**
     * Earliest time a conclusive decision may be made.
     */
    endsAt: string;
    /**
     * Length of the period in calendar days.
     */
    days: number;
  };
}

/**
 * The first responder or support provider asked for a negative outcome to be reconsidered; the case goes back to assessment or to be listed again.
 */
export interface ReconsiderationRequestedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This request.
   */
  reconsiderationId: string;
  /**
   * When reconsideration was requested.
   */
  requestedAt: string;
  /**
   * Who asked (only they may).
   */
  requestedBy: 'first-responder' | 'support-provider';
  /**
   * Why the outcome should be reconsidered.
   */
  grounds: string;
  /**
   * The negative outcome to reconsider.
   */
  reconsiders: {
    /**
     * A lead assessment (pilot), or a decision: the panel's or competent authority's conclusive grounds decision, or the competent authority's reasonable grounds decision (central).
     */
    kind: 'lead-assessment' | 'decision';
    /**
     * Its assessmentId, or the decisionId of the decision.
     */
    id: string;
  };
  /**
   * The state the case returns to.
   */
  returnsTo: 'referred' | 'recovery';
}

/**
 * The minimum recovery and reflection period started by a positive lead assessment or reasonable-grounds decision has run: a conclusive decision may now be made. Appended by the deadline scheduler exactly once per period.
 */
export interface RecoveryPeriodEndedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * The period's timer: `recovery-period:<id of the decision that started it>`.
   */
  deadlineId: string;
  /**
   * Start of the period.
   */
  startedAt: string;
  /**
   * End of the period: the business time of this event.
   */
  endedAt: string;
  /**
   * When the scheduler recorded it (its clock).
   */
  detectedAt: string;
}

/**
 * The region's lead (pilot) or the competent authority (central route) accepted a first responder's submitted referral into a case (`ReferralRaised` on `case-<caseId>`).
 */
export interface ReferralAcceptedDataV1 {
  /**
   * This submission (its stream is `intake-<submissionId>`).
   */
  submissionId: string;
  /**
   * The case the referral became.
   */
  caseId: string;
  /**
   * When it was accepted (business time).
   */
  acceptedAt: string;
  /**
   * Who accepted it.
   */
  acceptedBy: {
    userId: string;
    role: 'lead' | 'competent-authority';
  };
}

/**
 * A Slavery Safeguarding Lead accepted a referral of a potential victim into the National Referral Mechanism; the case starts in state `referred`.
 */
export interface ReferralRaisedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the referral was accepted (business time).
   */
  raisedAt: string;
  /**
   * The Slavery Safeguarding Lead who accepted the referral.
   */
  leadId: string;
  /**
   * The workflow definition the case runs under for its whole life.
   */
  workflow: {
    /**
     * Workflow definition id.
     */
    id: string;
    /**
     * Workflow definition version.
     */
    version: number;
  };
  /**
   * Where the first responder is located.
   */
  firstResponderLocation: 'england' | 'wales' | 'scotland' | 'northern-ireland';
  /**
   * Age group now; `unknown` is treated as a child (presumption of age).
   */
  ageGroup: 'adult' | 'child' | 'unknown';
  /**
   * Age group when the exploitation took place.
   */
  ageGroupAtExploitation: 'adult' | 'child' | 'unknown';
  /**
   * UK police region.
   */
  region:
    | 'south-west'
    | 'west-yorkshire'
    | 'london'
    | 'north-west'
    | 'west-midlands'
    | 'east'
    | 'north-east'
    | 'south-east'
    | 'east-midlands'
    | 'wales'
    | 'yorkshire-and-the-humber'
    | 'scotland'
    | 'northern-ireland';
  /**
   * Police force area; it belongs to `region`.
   */
  policeForceArea:
    | 'avon-and-somerset'
    | 'devon-and-cornwall'
    | 'dorset'
    | 'wiltshire'
    | 'gloucestershire'
    | 'west-yorkshire'
    | 'metropolitan'
    | 'city-of-london'
    | 'cumbria'
    | 'lancashire'
    | 'merseyside'
    | 'greater-manchester'
    | 'cheshire'
    | 'west-midlands'
    | 'staffordshire'
    | 'warwickshire'
    | 'west-mercia'
    | 'bedfordshire'
    | 'cambridgeshire'
    | 'essex'
    | 'hertfordshire'
    | 'norfolk'
    | 'suffolk'
    | 'northumbria'
    | 'durham'
    | 'cleveland'
    | 'thames-valley'
    | 'hampshire'
    | 'surrey'
    | 'sussex'
    | 'kent'
    | 'derbyshire'
    | 'nottinghamshire'
    | 'lincolnshire'
    | 'leicestershire'
    | 'northamptonshire'
    | 'dyfed-powys'
    | 'gwent'
    | 'north-wales'
    | 'south-wales'
    | 'north-yorkshire'
    | 'south-yorkshire'
    | 'humberside'
    | 'police-scotland'
    | 'police-service-of-northern-ireland';
  /**
   * The first responder organisation that referred the potential victim.
   */
  referringAgency: string;
  /**
   * Kind of first responder organisation.
   */
  firstResponderType: 'government-agency' | 'police' | 'local-authority' | 'ngo';
  /**
   * Forms of exploitation reported.
   *
   * @minItems 1
   * @maxItems 6
   */
  exploitationTypes: ('labour' | 'sexual' | 'domestic-servitude' | 'criminal' | 'organ-harvesting' | 'not-specified')[];
  /**
   * Where the exploitation took place.
   */
  exploitationLocation: 'uk' | 'overseas' | 'both';
  /**
   * The potential victim's consent to the referral; required for an adult, not for a child.
   */
  consent: {
    /**
     * Whether consent was given.
     */
    given: boolean;
    /**
     * When consent was recorded.
     */
    recordedAt?: string;
  };
  /**
   * The local authority contact for a child; required when the age group is child or unknown.
   */
  localAuthorityContact?: {
    /**
     * The local authority.
     */
    authority: string;
    /**
     * The contact's name.
     */
    name: string;
    /**
     * The contact's phone number.
     */
    phone?: string;
    /**
     * The contact's email address.
     */
    email?: string;
  };
  /**
   * The potential victim.
   */
  subject: {
    /**
     * Pseudonymous id of the potential victim: the key their personal data is encrypted under.
     */
    subjectId: string;
    /**
     * Full name.
     */
    name: string;
    /**
     * Other names used.
     *
     * @maxItems 20
     *
     * Items: An alias.
     */
    aliases: string[];
    /**
     * Date of birth, if known.
     */
    dateOfBirth?: string;
    /**
     * Gender as the potential victim gives it.
     */
    gender: 'female' | 'male' | 'other';
    /**
     * Nationality as an ICAO 9303 / ISO 3166-1 alpha-3 code (`XXA` stateless, `XXX` unknown).
     */
    nationality: string;
    /**
     * Second nationality, if any (alpha-3 code).
     */
    secondNationality?: string;
    /**
     * Preferred language as a BCP 47 tag.
     */
    language?: string;
    /**
     * Whether an interpreter is needed.
     */
    interpreterNeeded: boolean;
    /**
     * How to reach the potential victim safely.
     */
    contact: {
      /**
       * Phone number.
       */
      phone?: string;
      /**
       * Email address.
       */
      email?: string;
      /**
       * Postal address.
       */
      postalAddress?: string;
      /**
       * Whether email may be sent without endangering the person.
       */
      safeToEmail: boolean;
      /**
       * Whether post may be sent without endangering the person.
       */
      safeToPost: boolean;
    };
  };
  /**
   * The lead's free-text account of what happened.
   */
  account: string;
}

/**
 * A Slavery Safeguarding Lead accepted a referral of a potential victim into the National Referral Mechanism; the case starts in state `referred`. v2 carries the referring organisation's registry id (v1 events read as v2 through an upcaster that maps the names it knows to their ids and keeps any other as an unverified name).
 */
export interface ReferralRaisedDataV2 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the referral was accepted (business time).
   */
  raisedAt: string;
  /**
   * The Slavery Safeguarding Lead who accepted the referral.
   */
  leadId: string;
  /**
   * The workflow definition the case runs under for its whole life.
   */
  workflow: {
    /**
     * Workflow definition id.
     */
    id: string;
    /**
     * Workflow definition version.
     */
    version: number;
  };
  /**
   * Where the first responder is located.
   */
  firstResponderLocation: 'england' | 'wales' | 'scotland' | 'northern-ireland';
  /**
   * Age group now; `unknown` is treated as a child (presumption of age).
   */
  ageGroup: 'adult' | 'child' | 'unknown';
  /**
   * Age group when the exploitation took place.
   */
  ageGroupAtExploitation: 'adult' | 'child' | 'unknown';
  /**
   * UK police region.
   */
  region:
    | 'south-west'
    | 'west-yorkshire'
    | 'london'
    | 'north-west'
    | 'west-midlands'
    | 'east'
    | 'north-east'
    | 'south-east'
    | 'east-midlands'
    | 'wales'
    | 'yorkshire-and-the-humber'
    | 'scotland'
    | 'northern-ireland';
  /**
   * Police force area; it belongs to `region`.
   */
  policeForceArea:
    | 'avon-and-somerset'
    | 'devon-and-cornwall'
    | 'dorset'
    | 'wiltshire'
    | 'gloucestershire'
    | 'west-yorkshire'
    | 'metropolitan'
    | 'city-of-london'
    | 'cumbria'
    | 'lancashire'
    | 'merseyside'
    | 'greater-manchester'
    | 'cheshire'
    | 'west-midlands'
    | 'staffordshire'
    | 'warwickshire'
    | 'west-mercia'
    | 'bedfordshire'
    | 'cambridgeshire'
    | 'essex'
    | 'hertfordshire'
    | 'norfolk'
    | 'suffolk'
    | 'northumbria'
    | 'durham'
    | 'cleveland'
    | 'thames-valley'
    | 'hampshire'
    | 'surrey'
    | 'sussex'
    | 'kent'
    | 'derbyshire'
    | 'nottinghamshire'
    | 'lincolnshire'
    | 'leicestershire'
    | 'northamptonshire'
    | 'dyfed-powys'
    | 'gwent'
    | 'north-wales'
    | 'south-wales'
    | 'north-yorkshire'
    | 'south-yorkshire'
    | 'humberside'
    | 'police-scotland'
    | 'police-service-of-northern-ireland';
  /**
   * The first responder organisation that referred the potential victim: its id in the organisation registry (`GET /organisations`), or, only for a referral recorded before the registry whose name it does not know, the name as typed then (with `referringAgencyUnverified`).
   */
  referringAgency: string;
  /**
   * Present, `true`, when `referringAgency` is a name recorded before the registry that names no organisation it knows: shown as typed, marked unverified, never compared as an id.
   */
  referringAgencyUnverified?: true;
  /**
   * Kind of first responder organisation.
   */
  firstResponderType: 'government-agency' | 'police' | 'local-authority' | 'ngo';
  /**
   * Forms of exploitation reported.
   *
   * @minItems 1
   * @maxItems 6
   */
  exploitationTypes: ('labour' | 'sexual' | 'domestic-servitude' | 'criminal' | 'organ-harvesting' | 'not-specified')[];
  /**
   * Where the exploitation took place.
   */
  exploitationLocation: 'uk' | 'overseas' | 'both';
  /**
   * The potential victim's consent to the referral; required for an adult, not for a child.
   */
  consent: {
    /**
     * Whether consent was given.
     */
    given: boolean;
    /**
     * When consent was recorded.
     */
    recordedAt?: string;
  };
  /**
   * The local authority contact for a child; required when the age group is child or unknown.
   */
  localAuthorityContact?: {
    /**
     * The local authority.
     */
    authority: string;
    /**
     * The contact's name.
     */
    name: string;
    /**
     * The contact's phone number.
     */
    phone?: string;
    /**
     * The contact's email address.
     */
    email?: string;
  };
  /**
   * The potential victim.
   */
  subject: {
    /**
     * Pseudonymous id of the potential victim: the key their personal data is encrypted under.
     */
    subjectId: string;
    /**
     * Full name.
     */
    name: string;
    /**
     * Other names used.
     *
     * @maxItems 20
     *
     * Items: An alias.
     */
    aliases: string[];
    /**
     * Date of birth, if known.
     */
    dateOfBirth?: string;
    /**
     * Gender as the potential victim gives it.
     */
    gender: 'female' | 'male' | 'other';
    /**
     * Nationality as an ICAO 9303 / ISO 3166-1 alpha-3 code (`XXA` stateless, `XXX` unknown).
     */
    nationality: string;
    /**
     * Second nationality, if any (alpha-3 code).
     */
    secondNationality?: string;
    /**
     * Preferred language as a BCP 47 tag.
     */
    language?: string;
    /**
     * Whether an interpreter is needed.
     */
    interpreterNeeded: boolean;
    /**
     * How to reach the potential victim safely.
     */
    contact: {
      /**
       * Phone number.
       */
      phone?: string;
      /**
       * Email address.
       */
      email?: string;
      /**
       * Postal address.
       */
      postalAddress?: string;
      /**
       * Whether email may be sent without endangering the person.
       */
      safeToEmail: boolean;
      /**
       * Whether post may be sent without endangering the person.
       */
      safeToPost: boolean;
    };
  };
  /**
   * The lead's free-text account of what happened.
   */
  account: string;
}

/**
 * The region's lead (pilot) or the competent authority (central route) returned a first responder's submitted referral, with a reason; no case is opened. Terminal for the submission (a corrected referral is a new submission).
 */
export interface ReferralReturnedDataV1 {
  /**
   * This submission (its stream is `intake-<submissionId>`).
   */
  submissionId: string;
  /**
   * When it was returned (business time).
   */
  returnedAt: string;
  /**
   * Who returned it.
   */
  returnedBy: {
    userId: string;
    role: 'lead' | 'competent-authority';
  };
  /**
   * Why it was returned, for the first responder to read (no personal data expected).
   */
  reason: string;
}

/**
 * A first responder organisation submitted a referral. It waits for the region's Slavery Safeguarding Lead (pilot) or the competent authority (central route) to accept it into a case or return it. Carries the referral as `ReferralRaised` will; the subject's personal data is sealed the same way.
 */
export interface ReferralSubmittedDataV1 {
  /**
   * This submission (its stream is `intake-<submissionId>`).
   */
  submissionId: string;
  /**
   * When the first responder submitted the referral (business time).
   */
  submittedAt: string;
  /**
   * The first responder's user id (the token's subject).
   */
  firstResponderId: string;
  /**
   * Where the first responder is located.
   */
  firstResponderLocation: 'england' | 'wales' | 'scotland' | 'northern-ireland';
  /**
   * Age group now; `unknown` is treated as a child (presumption of age).
   */
  ageGroup: 'adult' | 'child' | 'unknown';
  /**
   * Age group when the exploitation took place.
   */
  ageGroupAtExploitation: 'adult' | 'child' | 'unknown';
  /**
   * UK police region.
   */
  region:
    | 'south-west'
    | 'west-yorkshire'
    | 'london'
    | 'north-west'
    | 'west-midlands'
    | 'east'
    | 'north-east'
    | 'south-east'
    | 'east-midlands'
    | 'wales'
    | 'yorkshire-and-the-humber'
    | 'scotland'
    | 'northern-ireland';
  /**
   * Police force area; it belongs to `region`.
   */
  policeForceArea:
    | 'avon-and-somerset'
    | 'devon-and-cornwall'
    | 'dorset'
    | 'wiltshire'
    | 'gloucestershire'
    | 'west-yorkshire'
    | 'metropolitan'
    | 'city-of-london'
    | 'cumbria'
    | 'lancashire'
    | 'merseyside'
    | 'greater-manchester'
    | 'cheshire'
    | 'west-midlands'
    | 'staffordshire'
    | 'warwickshire'
    | 'west-mercia'
    | 'bedfordshire'
    | 'cambridgeshire'
    | 'essex'
    | 'hertfordshire'
    | 'norfolk'
    | 'suffolk'
    | 'northumbria'
    | 'durham'
    | 'cleveland'
    | 'thames-valley'
    | 'hampshire'
    | 'surrey'
    | 'sussex'
    | 'kent'
    | 'derbyshire'
    | 'nottinghamshire'
    | 'lincolnshire'
    | 'leicestershire'
    | 'northamptonshire'
    | 'dyfed-powys'
    | 'gwent'
    | 'north-wales'
    | 'south-wales'
    | 'north-yorkshire'
    | 'south-yorkshire'
    | 'humberside'
    | 'police-scotland'
    | 'police-service-of-northern-ireland';
  /**
   * The first responder organisation that submitted the referral: its registry id, the token's `agency`.
   */
  referringAgency: string;
  /**
   * Kind of first responder organisation.
   */
  firstResponderType: 'government-agency' | 'police' | 'local-authority' | 'ngo';
  /**
   * Forms of exploitation reported.
   *
   * @minItems 1
   * @maxItems 6
   */
  exploitationTypes: ('labour' | 'sexual' | 'domestic-servitude' | 'criminal' | 'organ-harvesting' | 'not-specified')[];
  /**
   * Where the exploitation took place.
   */
  exploitationLocation: 'uk' | 'overseas' | 'both';
  /**
   * The potential victim's consent to the referral; required for an adult, not for a child.
   */
  consent: {
    /**
     * Whether consent was given.
     */
    given: boolean;
    /**
     * When consent was recorded.
     */
    recordedAt?: string;
  };
  /**
   * The local authority contact for a child; required when the age group is child or unknown.
   */
  localAuthorityContact?: {
    /**
     * The local authority.
     */
    authority: string;
    /**
     * The contact's name.
     */
    name: string;
    /**
     * The contact's phone number.
     */
    phone?: string;
    /**
     * The contact's email address.
     */
    email?: string;
  };
  /**
   * The potential victim.
   */
  subject: {
    /**
     * Pseudonymous id of the potential victim: the key their personal data is encrypted under.
     */
    subjectId: string;
    /**
     * Full name.
     */
    name: string;
    /**
     * Other names used.
     *
     * @maxItems 20
     *
     * Items: An alias.
     */
    aliases: string[];
    /**
     * Date of birth, if known.
     */
    dateOfBirth?: string;
    /**
     * Gender as the potential victim gives it.
     */
    gender: 'female' | 'male' | 'other';
    /**
     * Nationality as an ICAO 9303 / ISO 3166-1 alpha-3 code (`XXA` stateless, `XXX` unknown).
     */
    nationality: string;
    /**
     * Second nationality, if any (alpha-3 code).
     */
    secondNationality?: string;
    /**
     * Preferred language as a BCP 47 tag.
     */
    language?: string;
    /**
     * Whether an interpreter is needed.
     */
    interpreterNeeded: boolean;
    /**
     * How to reach the potential victim safely.
     */
    contact: {
      /**
       * Phone number.
       */
      phone?: string;
      /**
       * Email address.
       */
      email?: string;
      /**
       * Postal address.
       */
      postalAddress?: string;
      /**
       * Whether email may be sent without endangering the person.
       */
      safeToEmail: boolean;
      /**
       * Whether post may be sent without endangering the person.
       */
      safeToPost: boolean;
    };
  };
  /**
   * The first responder's free-text account of what happened.
   */
  account: string;
}

/**
 * An adult potential victim withdrew from the NRM (in writing, or treated as withdrawn on leaving the UK). Terminal; a new referral is allowed.
 */
export interface ReferralWithdrawnDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * When the referral was withdrawn.
   */
  withdrawnAt: string;
  /**
   * The state the case was in.
   */
  withdrawnFrom:
    | 'referred'
    | 'recovery'
    | 'assessment-negative'
    | 'listed'
    | 'panel-convened'
    | 'decided-positive'
    | 'decided-negative'
    | 'negative-upheld'
    | 'suspended';
  /**
   * How the withdrawal came about.
   */
  basis: 'written-request' | 'left-the-uk';
  /**
   * Free-text notes; may discuss the person.
   */
  notes?: string;
}

/**
 * Someone who took no part in a negative decision reviewed it and upheld or overturned it.
 */
export interface SecondReviewCompletedDataV1 {
  /**
   * The case (its stream is `case-<caseId>`).
   */
  caseId: string;
  /**
   * This review.
   */
  reviewId: string;
  /**
   * The decision reviewed.
   */
  decisionId: string;
  /**
   * When the review was completed.
   */
  reviewedAt: string;
  /**
   * Upheld keeps the negative decision; overturned makes it positive.
   */
  outcome: 'upheld' | 'overturned';
  /**
   * The reviewer's written rationale.
   */
  rationale: string;
  /**
   * The reviewer.
   */
  reviewer: {
    /**
     * The reviewer.
     */
    reviewerId: string;
    /**
     * The reviewer's role.
     */
    role: 'case-manager' | 'panel-chair' | 'competent-authority';
    /**
     * The reviewer's organisation.
     */
    agency: string;
  };
}

/**
 * A potential victim's personal data was erased (in the stream `subject-<subjectId>`): their data key was destroyed, so every field encrypted under it now reads `[erased]`. The events themselves, and their hash chain, are unchanged. Holds nothing about the person but their pseudonymous id.
 */
export interface SubjectDataErasedDataV1 {
  /**
   * The subject whose key was destroyed.
   */
  subjectId: string;
  /**
   * When the erasure was recorded.
   */
  erasedAt: string;
  /**
   * `request`: an administrator erased on request (right to erasure); `retention`: the retention policy's period ran out.
   */
  basis: 'request' | 'retention';
  /**
   * Why, as an administrative reference (a request number, the retention rule); it must not identify the person.
   */
  reason: string;
  /**
   * The cases whose personal data was encrypted under the destroyed key.
   *
   * @maxItems 1000
   *
   * Items: A case id.
   */
  caseIds: string[];
}
