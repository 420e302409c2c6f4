import { ephemeralPrivacyConfig, type PersonalDataProtector } from '@harbour/privacy';
import fc from 'fast-check';
import {
  EventSchemaRegistry,
  createPersonalDataProtector,
  handleStreamCommand,
  type Decider,
} from '@harbour/application';
import { uuidFromName } from '@harbour/shared';
import {
  allowedActions,
  caseFileOf,
  caseStreamName,
  decideCase,
  DomainExamples,
  evolveCase,
  EVIDENCE_KINDS,
  EXPLOITATION_TYPES,
  findWorkflow,
  initialCaseState,
  RECONSIDERATION_REQUESTERS,
  RuleBrokenError,
  SUSPENSION_REASONS,
  WITHDRAWAL_BASES,
  workflowForRegion,
  type Actor,
  type CaseCommand,
  type CaseCommandType,
  type CaseEvent,
  type CaseState,
  type DecisionContext,
  type ExistingCase,
  type Region,
  type WorkflowDefinition,
} from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';

/**
 * A generator of valid case workflows for property tests: fast-check draws plain numbers (which
 * shrink towards 0), and {@link CaseWorkflowSimulation} reads each step's numbers against the
 * current state of the cases, so every command it issues is one `allowedActions` offers a suitable
 * actor now, with data built by the domain's example builders. The commands go through the real
 * write path (`handleStreamCommand`: decide, schema validation, append with the application's
 * metadata) into a real event store.
 */

const { actors, commands, PANEL_ID } = DomainExamples;

/** The panel of the West Yorkshire cases (the examples' other panel). */
export const WEST_YORKSHIRE_PANEL = 'west-yorkshire-panel';

/**
 * Everyone who may act: two leads, a case manager and two chairs per pilot region, two leads in
 * London (a central-route region), two competent authority caseworkers, and roles that issue no
 * command.
 */
export const SIMULATION_ACTORS: readonly Actor[] = [
  actors.lead,
  actors.otherLead,
  actors.caseManager,
  actors.chair,
  actors.otherChair,
  actors.westYorkshireLead,
  { ...actors.westYorkshireLead, userId: 'lead-8' },
  actors.westYorkshireCaseManager,
  actors.otherPanelChair,
  { ...actors.otherPanelChair, userId: 'chair-8' },
  actors.member,
  actors.londonLead,
  { ...actors.londonLead, userId: 'lead-6' },
  actors.competentAuthority,
  actors.otherCompetentAuthority,
  actors.auditor,
];

/** One case of a run: where it is and whether the person is a child (who may not withdraw). */
export interface CaseProfile {
  readonly region: Extract<Region, 'south-west' | 'west-yorkshire' | 'london'>;
  readonly child: boolean;
}

/**
 * One step, as numbers: which case (modulo the number of cases; on to the next one when it has
 * ended), which command (a weighted pick among those allowed), which permitted actor, which data variant, how many hours
 * the business clock moves first, and whether to run an incremental catch-up afterwards.
 */
export interface StepChoice {
  readonly caseIndex: number;
  readonly command: number;
  readonly actor: number;
  readonly variant: number;
  readonly hours: number;
  readonly catchUp: { readonly batchSize: number; readonly freshRunner: boolean } | null;
}

export const caseProfileArbitrary: fc.Arbitrary<CaseProfile> = fc.record({
  region: fc.constantFrom<CaseProfile['region']>('south-west', 'west-yorkshire', 'london'),
  // Mostly adults (only they may withdraw); shrinks to an adult.
  child: fc.constantFrom(false, false, true),
});

export const stepArbitrary: fc.Arbitrary<StepChoice> = fc.record({
  caseIndex: fc.nat({ max: 30 }),
  command: fc.nat({ max: 9_999 }),
  actor: fc.nat({ max: 9 }),
  variant: fc.nat({ max: 999 }),
  hours: fc.nat({ max: 96 }),
  // About one step in eight is followed by an incremental catch-up.
  catchUp: fc.oneof(
    { arbitrary: fc.constant(null), weight: 7 },
    { arbitrary: fc.record({ batchSize: fc.integer({ min: 1, max: 20 }), freshRunner: fc.boolean() }), weight: 1 },
  ),
});

/**
 * How often each command is picked when allowed: the ones that move a case along the workflow
 * weigh more than the ones any open case allows, so cases reach panels, decisions, reviews and
 * reconsiderations within a few dozen steps, and end (withdrawal, closure) less often than they move.
 */
const WEIGHTS: Readonly<Record<CaseCommandType, number>> = {
  RaiseReferral: 20,
  RecordLeadAssessment: 20,
  MakeReasonableGroundsDecision: 20,
  ListCaseForPanel: 20,
  ConvenePanel: 20,
  RecordDecision: 20,
  CompleteSecondReview: 30,
  RequestReconsideration: 10,
  ResumeCase: 15,
  CloseCase: 4,
  SuspendCase: 3,
  WithdrawReferral: 2,
  ArrangeImmediateSupport: 2,
  RequestInformation: 2,
  RecordInformationReceived: 2,
  AddEvidence: 3,
};

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, DecisionContext> = {
  initialState: initialCaseState,
  decide: decideCase,
  evolve: evolveCase,
};

/** What a step did. */
export type StepOutcome =
  | { readonly kind: 'applied'; readonly label: string; readonly type: CaseCommandType; readonly status: string }
  | { readonly kind: 'refused'; readonly label: string; readonly rule: string }
  | { readonly kind: 'idle' };

interface SimulatedCase {
  readonly caseId: string;
  readonly profile: CaseProfile;
  state: CaseState;
}

/**
 * The cases of one run and their business clock. `step` issues one command through
 * `handleStreamCommand` and keeps each case's state as the write path returned it.
 */
export class CaseWorkflowSimulation {
  private readonly cases: SimulatedCase[];
  private clock = Date.parse(DomainExamples.times.raisedAt);
  private readonly personalData: Promise<PersonalDataProtector>;

  constructor(
    private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    profiles: readonly CaseProfile[],
  ) {
    this.personalData = createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    this.cases = profiles.map((profile, index) => ({
      caseId: uuidFromName(`case:${index}`),
      profile,
      state: initialCaseState(),
    }));
  }

  /** The case ids of the run, raised or not. */
  get caseIds(): string[] {
    return this.cases.map((c) => c.caseId);
  }

  async step(index: number, choice: StepChoice): Promise<StepOutcome> {
    this.clock += choice.hours * HOUR_MS;
    const picked = this.pick(choice);
    if (!picked) return { kind: 'idle' };
    const { simulated, type, actor } = picked;
    const state = simulated.state;
    const { command, label, notBefore } = this.build(index, simulated, type, choice.variant);
    // Time-based rules (meeting date, recovery period): the clock moves on until they can pass.
    if (notBefore !== undefined && this.clock < notBefore) this.clock = notBefore + (choice.hours % 5) * HOUR_MS;
    const now = new Date(this.clock).toISOString();
    const commandId = uuidFromName(`command:${index}`);
    try {
      const outcome = await handleStreamCommand(
        { store: this.store, schemas: this.schemas, personalData: await this.personalData },
        caseStreamName(simulated.caseId),
        caseDecider,
        command,
        { actor, occurredAt: now, commandId, correlationId: commandId },
        { actor, now },
        workflowOf,
      );
      simulated.state = outcome.state;
      return {
        kind: 'applied',
        label: `${type} (${state.status}${label ? `, ${label}` : ''})`,
        type,
        status: outcome.state.status,
      };
    } catch (error) {
      // Rare refusals that depend on the data are skipped; anything else is a bug in the generator.
      if (error instanceof RuleBrokenError) return { kind: 'refused', label: type, rule: error.rule };
      throw error;
    }
  }

  /** The case, command and actor a step's numbers select, or undefined when no case can act. */
  private pick(choice: StepChoice): { simulated: SimulatedCase; type: CaseCommandType; actor: Actor } | undefined {
    for (let offset = 0; offset < this.cases.length; offset++) {
      const simulated = this.cases[(choice.caseIndex + offset) % this.cases.length];
      const options = this.options(simulated);
      if (options.size === 0) continue;
      const entries = [...options];
      const total = entries.reduce((sum, [type]) => sum + WEIGHTS[type], 0);
      let ticket = choice.command % total;
      for (const [type, permitted] of entries) {
        ticket -= WEIGHTS[type];
        if (ticket < 0) return { simulated, type, actor: permitted[choice.actor % permitted.length] };
      }
    }
    return undefined;
  }

  /** The commands a case can take now, each with the actors who may issue it with valid data. */
  private options(simulated: SimulatedCase): Map<CaseCommandType, Actor[]> {
    const { state, profile } = simulated;
    const definition = definitionOf(state, profile);
    const options = new Map<CaseCommandType, Actor[]>();
    for (const actor of SIMULATION_ACTORS) {
      for (const type of allowedActions(definition, state, actor)) {
        if (!suitable(state, profile, type, actor)) continue;
        options.set(type, [...(options.get(type) ?? []), actor]);
      }
    }
    return options;
  }

  private build(
    index: number,
    simulated: SimulatedCase,
    type: CaseCommandType,
    variant: number,
  ): { command: CaseCommand; label?: string; notBefore?: number } {
    const { caseId, profile, state } = simulated;
    const id = (what: string) => uuidFromName(`${what}:${index}`);
    const now = this.clock;
    const iso = (ms: number) => new Date(ms).toISOString();
    const existing = state.status === 'none' ? undefined : state;
    const on = <C extends CaseCommand>(command: C): C => ({ ...command, caseId });
    switch (type) {
      case 'RaiseReferral': {
        const base = profile.child ? DomainExamples.childReferralData() : DomainExamples.adultReferralData();
        const { agencies, force } = REFERRERS[profile.region];
        const data = {
          ...base,
          region: profile.region,
          policeForceArea: force,
          referringAgency: agencies[variant % agencies.length],
          exploitationTypes: [EXPLOITATION_TYPES[variant % 5], ...(variant % 3 === 0 ? ['sexual' as const] : [])],
          subject: { ...base.subject, subjectId: id('subject') },
        };
        return {
          command: commands.raiseReferral(data, caseId),
          label: `${profile.region}, ${profile.child ? 'child' : 'adult'}`,
        };
      }
      case 'ArrangeImmediateSupport':
        return { command: on(commands.arrangeImmediateSupport({ supportId: id('support') })) };
      case 'RecordLeadAssessment': {
        const outcome = variant % 3 === 0 ? 'negative' : 'positive';
        return {
          command: on(commands.recordLeadAssessment(outcome, { assessmentId: id('assessment') })),
          label: outcome,
        };
      }
      case 'MakeReasonableGroundsDecision': {
        const outcome = variant % 3 === 0 ? 'negative' : 'positive';
        return {
          command: on(commands.makeReasonableGroundsDecision(outcome, { decisionId: id('grounds') })),
          label: outcome,
        };
      }
      case 'ListCaseForPanel': {
        const current = existing?.status === 'listed' ? existing.listing : undefined;
        const urgent = variant % 5 === 0;
        const sameMeeting = current !== undefined && variant % 4 === 1;
        const meetingAt = urgent ? now + DAY_MS : now + (7 + (variant % 14)) * DAY_MS;
        const command = on(
          commands.listCaseForPanel({
            panelId: profile.region === 'south-west' ? PANEL_ID : WEST_YORKSHIRE_PANEL,
            meetingId: sameMeeting ? current.meetingId : id('meeting'),
            meetingAt: iso(meetingAt),
            urgent,
            ...(urgent ? { urgencyReason: 'The person is due to be removed from the UK.' } : {}),
          }),
        );
        const label = [current ? (sameMeeting ? 'same meeting' : 'relisted') : 'first', urgent ? 'urgent' : '']
          .filter(Boolean)
          .join(', ');
        return { command, label };
      }
      case 'ConvenePanel': {
        const listing = existing?.status === 'listed' ? existing.listing : undefined;
        if (!listing) throw new Error(`ConvenePanel offered while the case is ${state.status}`);
        // Panels are regional: members from the case's region's bodies, or national ones.
        const westYorkshire: Readonly<Record<string, string>> = {
          'avon-and-somerset-police': 'west-yorkshire-police',
          'nhs-south-west': 'nhs-west-yorkshire',
          'somerset-county-council': 'kirklees-council',
        };
        const members = commands
          .convenePanel()
          .data.members.map((member) =>
            profile.region === 'south-west'
              ? member
              : { ...member, agency: westYorkshire[member.agency] ?? member.agency },
          );
        const attendance =
          variant % 3 === 0
            ? [
                ...members,
                {
                  memberId: 'member-7',
                  agency: profile.region === 'south-west' ? 'bristol-city-council' : 'leeds-city-council',
                  discipline: 'local-authority' as const,
                  conflictDeclared: false,
                },
              ]
            : variant % 3 === 1
              ? members.filter((member) => !member.conflictDeclared)
              : members;
        return {
          command: on(commands.convenePanel({ meetingId: listing.meetingId, members: attendance })),
          notBefore: Date.parse(listing.meetingAt),
        };
      }
      case 'RecordDecision': {
        if (existing?.status === 'recovery') {
          // The central route: the competent authority decides alone, mostly negative as below.
          const outcome = variant % 5 < 3 ? 'negative' : 'positive';
          const evidence = caseFileOf(existing).evidence.map((item) => item.evidenceId);
          const command = on(
            commands.recordCompetentAuthorityDecision(outcome, {
              decisionId: id('decision'),
              evidenceReliedOn: variant % 2 === 0 ? [] : evidence,
            }),
          );
          return {
            command,
            label: `${outcome}, competent authority`,
            notBefore: Date.parse(existing.recoveryPeriod.endsAt),
          };
        }
        if (existing?.status !== 'panel-convened')
          throw new Error(`RecordDecision offered while the case is ${state.status}`);
        // Mostly negative: they open the second review and reconsideration paths.
        const outcome = variant % 5 < 3 ? 'negative' : 'positive';
        const opposite = outcome === 'positive' ? 'negative' : 'positive';
        const counted = existing.panel.members.filter((member) => !member.conflictDeclared).map((m) => m.memberId);
        const dissenter = variant % 3 === 0 ? counted.at(-1) : undefined;
        const evidence = caseFileOf(existing).evidence.map((item) => item.evidenceId);
        const command = on(
          commands.recordDecision(outcome, {
            decisionId: id('decision'),
            evidenceReliedOn: variant % 4 === 0 ? [] : variant % 4 === 1 ? evidence.slice(0, 1) : evidence,
            votes: counted.map((memberId, i) => ({
              memberId,
              vote: memberId === dissenter ? opposite : i === 0 && variant % 5 === 0 ? 'abstain' : outcome,
            })),
            dissent: dissenter
              ? [{ memberId: dissenter, reason: 'The account is not borne out by the evidence.' }]
              : [],
          }),
        );
        return {
          command,
          label: `${outcome}${dissenter ? ', dissent' : ''}`,
          notBefore: Date.parse(existing.recoveryPeriod.endsAt),
        };
      }
      case 'CompleteSecondReview': {
        const outcome = variant % 3 === 0 ? 'overturned' : 'upheld';
        return { command: on(commands.completeSecondReview(outcome, { reviewId: id('review') })), label: outcome };
      }
      case 'RequestReconsideration': {
        const requestedBy = RECONSIDERATION_REQUESTERS[variant % RECONSIDERATION_REQUESTERS.length];
        return {
          command: on(commands.requestReconsideration({ reconsiderationId: id('reconsideration'), requestedBy })),
        };
      }
      case 'RequestInformation':
        return {
          command: on(
            commands.requestInformation({
              requestId: id('request'),
              dueBy: variant % 2 === 0 ? iso(now + 14 * DAY_MS) : undefined,
            }),
          ),
        };
      case 'RecordInformationReceived': {
        const open = existing ? caseFileOf(existing).openInformationRequests : [];
        return { command: on(commands.recordInformationReceived({ requestId: open[variant % open.length] })) };
      }
      case 'AddEvidence':
        return {
          command: on(
            commands.addEvidence({ evidenceId: id('evidence'), kind: EVIDENCE_KINDS[variant % EVIDENCE_KINDS.length] }),
          ),
        };
      case 'SuspendCase':
        return {
          command: on(
            commands.suspendCase({
              reason: SUSPENSION_REASONS[variant % SUSPENSION_REASONS.length],
              details: variant % 2 === 0 ? undefined : 'Details recorded by the case manager.',
            }),
          ),
        };
      case 'ResumeCase':
        return { command: on(commands.resumeCase()) };
      case 'WithdrawReferral':
        return {
          command: on(
            commands.withdrawReferral({
              basis: WITHDRAWAL_BASES[variant % WITHDRAWAL_BASES.length],
              notes: variant % 2 === 0 ? undefined : 'Letter received from the person.',
            }),
          ),
        };
      case 'CloseCase':
        return { command: on(commands.closeCase(variant % 2 === 0 ? {} : { notes: 'Move-on support arranged.' })) };
      default:
        throw new Error(`No builder for ${String(type)}`);
    }
  }
}

// Where each profile's referrals come from: a force of the region and a few referring agencies.
const REFERRERS = {
  'south-west': {
    force: 'avon-and-somerset',
    agencies: ['bristol-city-council', 'salvation-army', 'avon-and-somerset-police'],
  },
  'west-yorkshire': { force: 'west-yorkshire', agencies: ['leeds-city-council', 'west-yorkshire-police'] },
  london: { force: 'metropolitan', agencies: ['metropolitan-police', 'london-borough-of-hackney'] },
} as const satisfies Record<CaseProfile['region'], { force: string; agencies: readonly string[] }>;

// A new case starts under the workflow the default routes give its region; an existing one runs
// under the one it is pinned to.
function definitionOf(state: CaseState, profile: CaseProfile): WorkflowDefinition {
  const definition = state.status === 'none' ? workflowForRegion(profile.region) : findWorkflow(state.workflow);
  if (!definition) throw new Error(`No workflow for ${profile.region} (${JSON.stringify(state)})`);
  return definition;
}

// Rules `allowedActions` leaves to the command's data or actor identity, which the generator
// meets rather than trips over: a lead raises a referral in their own region, the presiding chair
// records the decision, a second reviewer took no part in it, and only adults withdraw.
function suitable(state: CaseState, profile: CaseProfile, type: CaseCommandType, actor: Actor): boolean {
  const existing: ExistingCase | undefined = state.status === 'none' ? undefined : state;
  switch (type) {
    case 'RaiseReferral':
      return actor.region === profile.region;
    case 'RecordDecision':
      return (
        (existing?.status === 'panel-convened' && existing.panel.chairId === actor.userId) ||
        existing?.status === 'recovery'
      );
    case 'CompleteSecondReview':
      return existing?.status === 'decided-negative' && !existing.decision.participantIds.includes(actor.userId);
    case 'WithdrawReferral':
      return !profile.child;
    case 'RecordInformationReceived':
      return existing !== undefined && caseFileOf(existing).openInformationRequests.length > 0;
    default:
      return true;
  }
}

/** Pins each event to the workflow the case runs under, as the application's case handler does. */
function workflowOf(state: CaseState) {
  return state.status === 'none' ? undefined : { id: state.workflow.id, version: state.workflow.version };
}

/** Counts of what the generator did, across the runs of a property. */
export class SimulationCoverage {
  readonly applied = new Map<string, number>();
  readonly commands = new Map<CaseCommandType, number>();
  readonly statuses = new Map<string, number>();
  readonly refused = new Map<string, number>();
  idle = 0;
  runs = 0;
  steps = 0;
  events = 0;
  catchUps = 0;

  record(outcome: StepOutcome): void {
    this.steps += 1;
    if (outcome.kind === 'idle') this.idle += 1;
    else if (outcome.kind === 'refused') bump(this.refused, `${outcome.label}: ${outcome.rule}`);
    else {
      bump(this.applied, outcome.label);
      bump(this.commands, outcome.type);
      bump(this.statuses, outcome.status);
    }
  }

  summary(): string {
    const lines = (map: Map<string, number>) =>
      [...map]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, count]) => `  ${String(count).padStart(5)}  ${key}`)
        .join('\n');
    return [
      `${this.runs} runs, ${this.steps} steps, ${this.events} events, ${this.catchUps} incremental catch-ups, ${this.idle} idle steps`,
      'commands applied (from status, variant):',
      lines(this.applied),
      'statuses reached:',
      lines(this.statuses),
      'refused (skipped):',
      lines(this.refused) || '      none',
    ].join('\n');
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
