import {
  allocateCompetentAuthority,
  defaultPanelIdOf,
  DEFAULT_WORKFLOW_ROUTES,
  EXPLOITATION_TYPES,
  POLICE_FORCE_AREAS,
  POLICE_FORCE_POPULATION_THOUSANDS,
  LOCAL_AUTHORITIES,
  organisationId,
  workflowForRegion,
  type Actor,
  type AgeGroup,
  type CaseCommand,
  type ExploitationType,
  type FirstResponderType,
  type Outcome,
  type PanelDiscipline,
  type PoliceForceArea,
  type Region,
  type WorkflowRoutes,
} from '@harbour/domain';
import { uuidFromName } from '@harbour/shared';
import { SeededRandom } from './seeded-random';
import type { SyntheticReferralsConfig, Wait } from './synthetic-referrals.config';

/** One command of a synthetic case, with who issues it and its business time (ms since the epoch). */
export interface PlannedStep {
  readonly at: number;
  readonly actor: Actor;
  readonly command: CaseCommand;
}

/** What every case of one seed shares: the seed, the period, the routes and the panel calendar. */
export interface SyntheticWorld {
  readonly seed: string;
  readonly from: number;
  readonly to: number;
  readonly config: SyntheticReferralsConfig;
  readonly workflowRoutes?: WorkflowRoutes;
}

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

const GOVERNMENT_AGENCIES = ['uk-visas-and-immigration', 'border-force', 'immigration-enforcement', 'glaa'];
const NGOS = ['salvation-army', 'barnardos', 'migrant-help', 'unseen-uk'];
const NATIONALITIES: Readonly<Record<string, number>> = {
  GBR: 0.3,
  ALB: 0.15,
  VNM: 0.08,
  ERI: 0.07,
  SDN: 0.06,
  ROU: 0.05,
  IND: 0.05,
  XXX: 0.24,
};

/** The case id of synthetic case `index` of `seed`: the same seed gives the same ids. */
export function syntheticCaseId(seed: string, index: number): string {
  return uuidFromName(`synthetic:${seed}:case:${index}`);
}

/** A zero-padded number, so synthetic names sort and never look like a real one. */
export function syntheticNumber(index: number): string {
  return String(index + 1).padStart(5, '0');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function wait(random: SeededRandom, { medianDays, sigma }: Wait): number {
  return Math.max(MINUTE * 30, random.logNormal(medianDays, sigma) * DAY);
}

// During the working day: 08:00 to 18:00 UTC, on the day `ms` falls in.
function inOfficeHours(random: SeededRandom, ms: number): number {
  const day = Math.floor(ms / DAY) * DAY;
  return day + 8 * HOUR + random.int(0, 10 * 60 - 1) * MINUTE;
}

/** The panel of a pilot region: the one the configuration registers for it. */
export function panelIdOf(region: Region): string {
  return defaultPanelIdOf(region);
}

interface Meeting {
  readonly panelId: string;
  readonly meetingId: string;
  readonly at: number;
  readonly chair: Actor;
  readonly members: readonly {
    readonly memberId: string;
    readonly agency: string;
    readonly discipline: PanelDiscipline;
  }[];
}

// A regional panel's pool: an independent chair or two, and members from the services the pilot
// drew on (brief §3b): police, health, local government, GLAA, Border Force, UKVI, an NGO.
function panelPool(region: Region) {
  const forces = POLICE_FORCE_AREAS[region] as readonly string[];
  const members: { memberId: string; agency: string; discipline: PanelDiscipline }[] = [];
  const add = (discipline: PanelDiscipline, agency: string) =>
    members.push({ memberId: `${region}-member-${String(members.length + 1).padStart(2, '0')}`, agency, discipline });
  for (const force of forces.slice(0, 2)) add('police', `${force}-police`);
  add('health', `nhs-${region}`);
  add('health', `nhs-${region}-mental-health`);
  // Real councils (organisations.data): the first of the first force's and of the last force's.
  add('local-authority', organisationId(LOCAL_AUTHORITIES[forces[0] as PoliceForceArea][0]));
  add('local-authority', organisationId(LOCAL_AUTHORITIES[forces[forces.length - 1] as PoliceForceArea][0]));
  add('gangmasters-licensing-authority', 'glaa');
  add('border-force', 'border-force');
  add('uk-visas-and-immigration', 'uk-visas-and-immigration');
  add('ngo', 'unseen-uk');
  return members;
}

/**
 * The pilot panels' calendar: a meeting every `panelIntervalDays` from the first Tuesday of the
 * period, 10:00 UTC, each with its chair and the 6–8 members who attend it (always police,
 * health and local government). Derived from the seed alone, so every case agrees on it.
 */
export class PanelCalendar {
  private readonly cache = new Map<string, Meeting>();
  private readonly firstMeeting: number;

  constructor(private readonly world: SyntheticWorld) {
    const fromDay = Math.floor(world.from / DAY) * DAY;
    // 1970-01-01 was a Thursday: Tuesday is day 5 of that week.
    const weekday = (Math.floor(fromDay / DAY) + 4) % 7;
    this.firstMeeting = fromDay + ((2 - weekday + 7) % 7) * DAY + 10 * HOUR;
  }

  /** The first meeting of the region's panel at or after `ms`. */
  meetingFrom(region: Region, ms: number): Meeting {
    const interval = this.world.config.panelIntervalDays * DAY;
    const index = Math.max(0, Math.ceil((ms - this.firstMeeting) / interval));
    return this.meeting(region, index);
  }

  private meeting(region: Region, index: number): Meeting {
    const panelId = panelIdOf(region);
    const key = `${panelId}:${index}`;
    const known = this.cache.get(key);
    if (known) return known;
    const random = new SeededRandom(`${this.world.seed}:meeting:${key}`);
    const pool = panelPool(region);
    const core = [pool[0], pool[2], pool[4]];
    const others = pool.filter((member) => !core.includes(member));
    const size = random.int(6, 8);
    const chosen = [...core];
    while (chosen.length < size) {
      const candidate = random.pick(others);
      if (!chosen.includes(candidate)) chosen.push(candidate);
    }
    const chairNumber = random.int(1, 2);
    const meeting: Meeting = {
      panelId,
      meetingId: uuidFromName(`synthetic:${this.world.seed}:meeting:${key}`),
      at: this.firstMeeting + index * this.world.config.panelIntervalDays * DAY,
      chair: {
        userId: `${panelId}-chair-${chairNumber}`,
        role: 'panel-chair',
        agency: 'independent-chair',
        region,
        panels: [panelId],
      },
      members: chosen.sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
    };
    this.cache.set(key, meeting);
    return meeting;
  }
}

function exploitationTypesOf(combination: string): ExploitationType[] {
  const parts = combination.split('+');
  return EXPLOITATION_TYPES.filter((type) => parts.includes(type));
}

function referringAgency(random: SeededRandom, type: FirstResponderType, force: PoliceForceArea): string {
  switch (type) {
    case 'police':
      return `${force}-police`;
    case 'local-authority':
      return organisationId(random.pick(LOCAL_AUTHORITIES[force]));
    case 'government-agency':
      return random.pick(GOVERNMENT_AGENCIES);
    case 'ngo':
      return random.pick(NGOS);
  }
}

function firstResponderLocation(region: Region) {
  if (region === 'scotland') return 'scotland' as const;
  if (region === 'northern-ireland') return 'northern-ireland' as const;
  if (region === 'wales') return 'wales' as const;
  return 'england' as const;
}

const RATIONALE = {
  positive: 'Synthetic rationale: the indicators of exploitation are present and consistent.',
  negative: 'Synthetic rationale: the information does not meet the standard of proof.',
} as const;

/**
 * The whole life of synthetic case `index`, as the commands a lead, case manager, chair or
 * competent authority would issue and when, cut off at the end of the period. Pure: its own
 * seeded random source, the shared panel calendar, no clock. The deadline scheduler's records
 * (misses, recovery periods ended) are not planned: the real scheduler appends them.
 */
export function planSyntheticCase(world: SyntheticWorld, calendar: PanelCalendar, index: number): PlannedStep[] {
  const { config, seed } = world;
  const random = new SeededRandom(`${seed}:case:${index}`);
  const caseId = syntheticCaseId(seed, index);
  const id = (label: string) => uuidFromName(`synthetic:${seed}:${index}:${label}`);
  const number = syntheticNumber(index);

  const region = random.weighted(config.region);
  // Within the region, forces weighted by population (organisations.data cites the source).
  const forces = POLICE_FORCE_AREAS[region] as readonly PoliceForceArea[];
  const force = random.weighted(
    Object.fromEntries(forces.map((f) => [f, POLICE_FORCE_POPULATION_THOUSANDS[f]])) as Record<PoliceForceArea, number>,
  );
  const definition = workflowForRegion(region, world.workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES);
  const route = definition?.id.startsWith('nrm-pilot') ? 'pilot' : 'central';
  const ageAtExploitation = random.weighted(config.ageAtExploitation);
  const ageNow: AgeGroup =
    ageAtExploitation === 'child' ? (random.chance(config.childNowAdult) ? 'adult' : 'child') : ageAtExploitation;
  const gender = random.weighted(config.gender);
  const combination = random.weighted(config.exploitation[ageAtExploitation === 'child' ? 'child' : 'adult']);
  const firstResponderType = random.weighted(config.firstResponderType);

  const lead: Actor = {
    userId: `lead-${region}-${random.int(1, 3)}`,
    role: 'lead',
    agency: `${force}-police`,
    region,
    panels: [],
  };
  const caseManager: Actor = {
    userId: `cmu-${region}`,
    role: 'case-manager',
    agency: 'home-office-cmu',
    region,
    panels: [],
  };
  // Eight caseworkers, the odd-numbered at the UKHTC and the even at UKVI: the case goes to the
  // authority its definition allocates by nationality, and one of its four caseworkers decides it
  // while the next of the same authority reviews it.
  const caseworker = (n: number): Actor => ({
    userId: `ca-${String(n).padStart(2, '0')}`,
    role: 'competent-authority',
    agency: n % 2 === 0 ? 'uk-visas-and-immigration' : 'uk-human-trafficking-centre',
    region: 'national',
    panels: [],
  });
  // Drawn here, as before allocation was recorded, so seeded data keep their other draws.
  const seat = random.int(1, 8);

  const steps: PlannedStep[] = [];
  const emit = (at: number, actor: Actor, command: Omit<CaseCommand, 'caseId'>) =>
    steps.push({ at, actor, command: { ...command, caseId } as CaseCommand });

  const raisedAt = inOfficeHours(random, world.from + random.next() * (world.to - world.from));
  const adultNow = ageNow === 'adult';
  emit(raisedAt, lead, {
    type: 'RaiseReferral',
    data: {
      firstResponderLocation: firstResponderLocation(region),
      ageGroup: ageNow,
      ageGroupAtExploitation: ageAtExploitation,
      region,
      policeForceArea: force,
      referringAgency: referringAgency(random, firstResponderType, force),
      firstResponderType,
      exploitationTypes: exploitationTypesOf(combination),
      exploitationLocation: random.weighted({ uk: 0.65, overseas: 0.2, both: 0.15 }),
      consent: adultNow ? { given: true, recordedAt: iso(raisedAt - 30 * MINUTE) } : { given: false },
      ...(adultNow
        ? {}
        : {
            localAuthorityContact: {
              authority: `${force}-local-authority`,
              name: `Synthetic Social Worker ${number}`,
            },
          }),
      subject: {
        subjectId: id('subject'),
        name: `Synthetic Person ${number}`,
        aliases: [],
        gender,
        nationality: random.weighted(NATIONALITIES),
        interpreterNeeded: random.chance(0.4),
        contact: { safeToEmail: false, safeToPost: false },
      },
      account: `Synthetic referral ${number}, generated for testing and demonstration; it describes no real person.`,
    },
  });
  // The allocated authority (by the nationality just drawn) decides, by one of its four
  // caseworkers; the next of the same authority reviews.
  const { nationality } = (steps[0]!.command as Extract<CaseCommand, { type: 'RaiseReferral' }>).data.subject;
  const allocation = definition?.rules.competentAuthorityAllocation;
  const allocatedToUkvi =
    allocation !== undefined &&
    allocateCompetentAuthority(allocation, [nationality]).competentAuthority === allocation.other;
  const firstOfAuthority = allocatedToUkvi ? 2 : 1;
  const place = (seat - 1) % 4;
  const decider = caseworker(firstOfAuthority + 2 * place);
  const reviewer = caseworker(firstOfAuthority + 2 * ((place + 1) % 4));
  // Who holds the case file: the case management unit (pilot) or the competent authority (central).
  const fileHolder = route === 'pilot' ? caseManager : decider;
  // Adults under the Salvation Army's contract; children (and unknown age) by a local authority of
  // the force area, as its children's services (the definition's support-provider-for-age-group).
  const councils = LOCAL_AUTHORITIES[force];
  const supportProvider = adultNow ? 'salvation-army' : organisationId(councils[index % councils.length]!);
  if (random.chance(config.immediateSupport[route])) {
    emit(raisedAt + random.int(1, 6) * HOUR, lead, {
      type: 'ArrangeImmediateSupport',
      data: { supportId: id('support'), kinds: ['accommodation', 'subsistence'], provider: supportProvider },
    });
  }

  let t = raisedAt;
  const suspendAt = random.chance(config.suspended) ? random.pick(['referred', 'recovery'] as const) : undefined;
  // A suspension while awaiting `stage` pushes everything after it back by how long it lasted, or
  // closes the case (the person stayed missing). Returns false when the case is closed.
  const suspension = (stage: 'referred' | 'recovery', start: number, before: number): boolean => {
    if (suspendAt !== stage) return true;
    const at = start + (before - start) * random.next();
    emit(at, fileHolder, { type: 'SuspendCase', data: { reason: 'subject-missing' } });
    const lasted = wait(random, config.waits.suspension);
    if (!random.chance(config.suspendedResumed)) {
      emit(at + lasted, fileHolder, { type: 'CloseCase', data: {} });
      return false;
    }
    emit(at + lasted, fileHolder, { type: 'ResumeCase', data: {} });
    t = Math.max(t, at) + lasted;
    return true;
  };

  const firstGate = (label: string): Outcome | undefined => {
    const gateWait = wait(
      random,
      route === 'pilot' ? config.waits.pilotAssessment : config.waits.centralReasonableGrounds,
    );
    const start = t;
    if (!suspension('referred', start, start + gateWait)) return undefined;
    t += gateWait;
    const outcome: Outcome = random.chance(config.firstGatePositive) ? 'positive' : 'negative';
    if (route === 'pilot') {
      emit(t, lead, {
        type: 'RecordLeadAssessment',
        data: { assessmentId: id(label), outcome, rationale: RATIONALE[outcome] },
      });
    } else {
      emit(t, decider, {
        type: 'MakeReasonableGroundsDecision',
        data: { decisionId: id(label), outcome, rationale: RATIONALE[outcome] },
      });
    }
    return outcome;
  };

  const close = () => emit(t + wait(random, config.waits.closure), fileHolder, { type: 'CloseCase', data: {} });

  let firstGateOutcome = firstGate('first-gate');
  if (firstGateOutcome === undefined) return finish();
  if (firstGateOutcome === 'negative') {
    if (!random.chance(config.reconsidered)) {
      close();
      return finish();
    }
    t += wait(random, config.waits.reconsiderationRequest);
    emit(t, lead, {
      type: 'RequestReconsideration',
      data: {
        reconsiderationId: id('reconsideration-first-gate'),
        requestedBy: 'first-responder',
        grounds: 'Synthetic grounds.',
      },
    });
    firstGateOutcome = firstGate('first-gate-again');
    if (firstGateOutcome === undefined) return finish();
    if (firstGateOutcome === 'negative') {
      close();
      return finish();
    }
  }

  // Recovery: at least 45 days before a conclusive decision.
  const recoveryEnds = t + 45 * DAY;
  if (random.chance(config.informationRequested)) {
    const asked = t + random.int(2, 10) * DAY;
    emit(asked, fileHolder, {
      type: 'RequestInformation',
      data: {
        requestId: id('information'),
        // The adult support provider (a registry organisation), not an invented one.
        requestedFrom: 'salvation-army',
        details: 'Synthetic request.',
      },
    });
    // Answered within five weeks, so never after the case has been decided and closed.
    emit(asked + Math.min(wait(random, config.waits.informationAnswer), 35 * DAY), fileHolder, {
      type: 'RecordInformationReceived',
      data: { requestId: id('information'), summary: 'Synthetic answer.' },
    });
  }
  if (!suspension('recovery', t + 12 * DAY, recoveryEnds - DAY)) return finish();

  let earliestDecision = Math.max(recoveryEnds, t);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const outcome: Outcome = random.chance(config.conclusivePositive) ? 'positive' : 'negative';
    const decisionId = id(`decision-${attempt}`);
    if (route === 'pilot') {
      const listedAt = Math.max(t + HOUR, earliestDecision - 14 * DAY + wait(random, config.waits.pilotPreparation));
      const urgent = random.chance(config.urgentListing);
      const meeting = calendar.meetingFrom(
        region,
        Math.max(listedAt + (urgent ? 1 : 7) * DAY, earliestDecision + HOUR),
      );
      emit(listedAt, caseManager, {
        type: 'ListCaseForPanel',
        data: {
          panelId: meeting.panelId,
          meetingId: meeting.meetingId,
          meetingAt: iso(meeting.at),
          urgent,
          ...(urgent ? { urgencyReason: 'Synthetic urgency: the person may leave the area.' } : {}),
        },
      });
      const convenedAt = meeting.at + random.int(0, 11) * 20 * MINUTE;
      const conflicted = random.chance(config.panelConflict) ? meeting.members[meeting.members.length - 1] : undefined;
      emit(convenedAt, meeting.chair, {
        type: 'ConvenePanel',
        data: {
          meetingId: meeting.meetingId,
          chairDeclaredConflict: false,
          members: meeting.members.map((member) => ({ ...member, conflictDeclared: member === conflicted })),
        },
      });
      const voters = meeting.members.filter((member) => member !== conflicted);
      const dissenter = random.chance(0.1) ? voters[0] : undefined;
      const against: Outcome = outcome === 'positive' ? 'negative' : 'positive';
      t = convenedAt + 15 * MINUTE;
      emit(t, meeting.chair, {
        type: 'RecordDecision',
        data: {
          decisionId,
          outcome,
          rationale: RATIONALE[outcome],
          evidenceReliedOn: [],
          votes: voters.map((member) => ({
            memberId: member.memberId,
            vote: member === dissenter ? against : outcome,
          })),
          dissent: dissenter ? [{ memberId: dissenter.memberId, reason: 'Synthetic dissent.' }] : [],
        },
      });
    } else {
      t = Math.max(t, earliestDecision) + wait(random, config.waits.centralConclusive);
      emit(t, decider, {
        type: 'RecordDecision',
        data: { decisionId, outcome, rationale: RATIONALE[outcome], evidenceReliedOn: [], votes: [], dissent: [] },
      });
    }
    if (outcome === 'positive') {
      close();
      return finish();
    }
    t += wait(random, config.waits.secondReview);
    const overturned = random.chance(config.reviewOverturned);
    emit(t, route === 'pilot' ? caseManager : reviewer, {
      type: 'CompleteSecondReview',
      data: {
        reviewId: id(`review-${attempt}`),
        outcome: overturned ? 'overturned' : 'upheld',
        rationale: overturned ? RATIONALE.positive : RATIONALE.negative,
      },
    });
    if (overturned || attempt === 2 || !random.chance(config.reconsidered)) {
      close();
      return finish();
    }
    t += wait(random, config.waits.reconsiderationRequest);
    emit(t, lead, {
      type: 'RequestReconsideration',
      data: {
        reconsiderationId: id('reconsideration-decision'),
        requestedBy: 'support-provider',
        grounds: 'Synthetic grounds.',
      },
    });
    earliestDecision = t + DAY;
  }
  return finish();

  // An adult may withdraw while the case is open; then nothing follows. Everything is cut at the
  // end of the period, and kept in time order.
  function finish(): PlannedStep[] {
    let planned = [...steps].sort((a, b) => a.at - b.at);
    if (adultNow && random.chance(config.adultsWithdrawing)) {
      const at = raisedAt + wait(random, config.waits.withdrawal);
      const before = planned.filter((step) => step.at < at);
      const ended = before.some((step) => step.command.type === 'CloseCase');
      if (!ended) {
        planned = [
          ...before,
          {
            at,
            actor: lead,
            command: {
              type: 'WithdrawReferral',
              caseId,
              data: { basis: random.pick(['written-request', 'left-the-uk']) },
            },
          },
        ];
      }
    }
    return planned.filter((step) => step.at <= world.to);
  }
}
