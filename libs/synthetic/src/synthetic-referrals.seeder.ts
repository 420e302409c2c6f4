import {
  DEFAULT_WORKFLOW_ROUTES,
  caseFold,
  caseStreamName,
  decideCase,
  defaultPanels,
  DomainError,
  evolveCase,
  NotPermittedError,
  RuleBrokenError,
  decideMeeting,
  evolveMeeting,
  initialCaseState,
  initialMeetingState,
  meetingStreamName,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type MeetingCommand,
  type CaseState,
  type DecisionContext,
  type WorkflowRoutes,
} from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import type { PersonalDataSealer } from '@harbour/privacy';
import { DEADLINE_TIMERS, ProjectionRunner } from '@harbour/projections';
import type { ReadStore } from '@harbour/read-store';
import {
  DeadlineScheduler,
  DecisionLettersProcessManager,
  ExecuteMeetingCommand,
  ExecuteMeetingCommandHandler,
  FakeClock,
  loadState,
  handleStreamCommand,
  panelDirectoryFor,
  registerConfiguredPanels,
  type CommandMeta,
  type Decider,
  type EventSchemaRegistry,
  type ExecuteCaseCommand,
  type LetterStore,
} from '@harbour/application';
import type { CommandBus } from '@nestjs/cqrs';
import type { PersonalDataProtector } from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import {
  PanelCalendar,
  planSyntheticCase,
  type Meeting,
  type PlannedStep,
  type SyntheticWorld,
} from './synthetic-case.plan';
import { SYNTHETIC_REFERRALS_CONFIG, type SyntheticReferralsConfig } from './synthetic-referrals.config';

export interface SeedOptions {
  /** How many referrals. */
  readonly cases: number;
  /** The seed: the same seed, period and config give the same cases, commands and events. */
  readonly seed: string;
  /** Referrals are raised in [from, to]; nothing happens after `to` (ISO-8601). */
  readonly from: string;
  readonly to: string;
  readonly config?: SyntheticReferralsConfig;
  readonly workflowRoutes?: WorkflowRoutes;
  /** Commands in flight at once, each on its own case: the event store commits them together. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  readonly commandsDone: number;
  readonly commandsPlanned: number;
  /** The business time the run has reached. */
  readonly businessTime: string;
}

export interface SeedReport {
  readonly cases: number;
  readonly commandsPlanned: number;
  /** Commands appended (a retry of an earlier seed with the same seed appends nothing). */
  readonly commandsApplied: number;
  /** Commands the domain refused, by rule (a healthy run has none). */
  readonly refused: Readonly<Record<string, number>>;
  /** `DeadlineBreached` and `RecoveryPeriodEnded` the scheduler appended. */
  readonly deadlineRecords: number;
  /** Decision letters the letters process manager issued (none without a letter store). */
  readonly letters: number;
}

export interface SeedDeps {
  readonly store: EventStore;
  readonly readStore: ReadStore;
  readonly schemas: EventSchemaRegistry;
  /** Encrypts the synthetic people's personal fields as the API would a real person's. */
  readonly personalData: PersonalDataSealer;
  /**
   * Where decision letters go. With it, the API's letters process manager runs each night of the
   * seed (after the deadline scheduler), so every decision gets its letter, dated the night after,
   * and its messages queued in the outbox (to `<organisation>@letters.synthetic.invalid`; nothing
   * sends them).
   */
  readonly letters?: LetterStore;
}

const DAY = 24 * 60 * 60 * 1000;

const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, DecisionContext> = {
  initialState: initialCaseState,
  decide: decideCase,
  evolve: evolveCase,
  fold: caseFold,
};

function workflowOf(state: CaseState) {
  return 'workflow' in state && state.workflow ? { id: state.workflow.id, version: state.workflow.version } : undefined;
}

interface Pending {
  readonly at: number;
  readonly caseIndex: number;
  readonly stepIndex: number;
}

/** A binary min-heap of the next step of each case, by business time then case. */
class StepQueue {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(item: Pending): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left], items[smallest])) smallest = left;
        if (right < items.length && before(items[right], items[smallest])) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.caseIndex < b.caseIndex);
}

/**
 * Seeds synthetic referrals through the one write path (`handleStreamCommand` with the case
 * decider and schema validation, as the API's handler does), in business-time order across all
 * cases, many cases at once so the store commits them together. At every midnight of the period
 * (and at its end) the real `DeadlineScheduler`, on a fake clock set to that moment, records the
 * deadlines then missed or run, from the `deadlines` read model kept by its own projection.
 */
export async function seedSyntheticReferrals(deps: SeedDeps, options: SeedOptions): Promise<SeedReport> {
  const from = Date.parse(options.from);
  const to = Date.parse(options.to);
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) throw new Error('seed: --from must be a date before --to');
  if (!Number.isSafeInteger(options.cases) || options.cases < 1) throw new Error('seed: --cases must be at least 1');
  const world: SyntheticWorld = {
    seed: options.seed,
    from,
    to,
    config: options.config ?? SYNTHETIC_REFERRALS_CONFIG,
    workflowRoutes: options.workflowRoutes,
  };
  const calendar = new PanelCalendar(world);
  const plans: PlannedStep[][] = [];
  const queue = new StepQueue();
  let commandsPlanned = 0;
  for (let index = 0; index < options.cases; index += 1) {
    plans.push(planSyntheticCase(world, calendar, index));
  }
  // Each meeting a case is heard at gets a plan of its own, queued after the cases' plans.
  plans.push(...meetingPlans(world, calendar, plans));
  plans.forEach((plan, index) => {
    commandsPlanned += plan.length;
    if (plan.length > 0) queue.push({ at: plan[0].at, caseIndex: index, stepIndex: 0 });
  });

  // Its cases are listed to the panels the routes call for, registered as the API registers them.
  const routes = options.workflowRoutes ?? DEFAULT_WORKFLOW_ROUTES;
  const registryDeps = { store: deps.store, schemas: deps.schemas, personalData: deps.personalData };
  const configured = defaultPanels(routes);
  await registerConfiguredPanels(registryDeps, configured, new Date(from));
  const panels = await panelDirectoryFor(
    deps.store,
    configured.map((panel) => panel.panelId),
  );

  const clock = new FakeClock(new Date(from));
  const timers = new ProjectionRunner(deps.store, deps.readStore, DEADLINE_TIMERS, { batchSize: 2000 });
  const scheduler = new DeadlineScheduler(
    { store: deps.store, readStore: deps.readStore, schemas: deps.schemas, clock },
    { intervalMs: 0, batchSize: 1000 },
  );
  const letterManager =
    deps.letters &&
    new DecisionLettersProcessManager({
      store: deps.store,
      schemas: deps.schemas,
      // The process manager only opens and seals events, which any sealer does.
      personalData: deps.personalData as unknown as PersonalDataProtector,
      letters: deps.letters,
      clock,
      organisationMailbox: (organisationId) => `${organisationId}@letters.synthetic.invalid`,
      messageIdDomain: 'letters.synthetic.invalid',
    });
  let deadlineRecords = 0;
  let letters = 0;
  const recordDeadlinesAt = async (at: number) => {
    clock.set(new Date(at));
    for (;;) {
      await timers.catchUp();
      const tick = await scheduler.tick();
      deadlineRecords += tick.recorded;
      if (tick.casesDue === 0 || tick.recorded === 0) break;
    }
    if (!letterManager || !deps.letters) return;
    for (;;) {
      const checkpoint = deps.letters.checkpoint('decision-letters');
      letters += (await letterManager.tick(500)).letters;
      if (deps.letters.checkpoint('decision-letters') === checkpoint) return;
    }
  };

  const concurrency = options.concurrency ?? 256;
  const refused: Record<string, number> = {};
  let commandsDone = 0;
  let commandsApplied = 0;
  let nextMidnight = Math.floor(from / DAY) * DAY + DAY;

  const onCase = (command: CaseCommand, meta: CommandMeta) =>
    handleStreamCommand(
      { store: deps.store, schemas: deps.schemas, personalData: deps.personalData },
      caseStreamName(command.caseId),
      caseDecider,
      command,
      meta,
      { actor: meta.actor, now: meta.occurredAt, workflowRoutes: options.workflowRoutes, panels },
      workflowOf,
    );
  // Meetings go through the API's own handler; the case commands it issues (relisting, convening,
  // the decision) reach the case stream as the API's case handler would put them.
  const meetings = new ExecuteMeetingCommandHandler(
    deps.store,
    deps.schemas,
    // The handler only seals and opens events, which any sealer does.
    deps.personalData as unknown as PersonalDataProtector,
    { execute: ({ command, meta }: ExecuteCaseCommand) => onCase(command, meta) } as unknown as CommandBus,
  );

  // A case that left the panel's business before its hearing (withdrawn, closed) comes off the
  // agenda before the chair approves the minutes, as the case management unit would take it off.
  const removeOpenItems = async (meetingId: string, meta: CommandMeta) => {
    const { state } = await loadState(deps.store, meetingStreamName(meetingId), {
      initialState: initialMeetingState,
      decide: decideMeeting,
      evolve: evolveMeeting,
    });
    if (state.status !== 'scheduled') return;
    const meeting = calendar.meetingById(meetingId);
    for (const item of state.agenda.filter((entry) => entry.status === 'on-agenda')) {
      const commandId = uuidFromName(`${meta.commandId}:remove:${item.caseId}`);
      await meetings.execute(
        new ExecuteMeetingCommand(
          {
            type: 'RemoveCaseFromAgenda',
            meetingId,
            data: { caseId: item.caseId, reason: 'Synthetic: the case ended before the panel reached it.' },
          },
          { ...meta, actor: caseManagerOf(meeting?.region ?? meta.actor.region), commandId, correlationId: commandId },
        ),
      );
    }
  };

  const execute = async ({ caseIndex, stepIndex }: Pending): Promise<boolean> => {
    const step = plans[caseIndex][stepIndex];
    const { at, actor } = step;
    const occurredAt = new Date(at).toISOString();
    const commandId = uuidFromName(`synthetic:${options.seed}:${caseIndex}:command:${stepIndex}`);
    const meta = { actor, occurredAt, commandId, correlationId: commandId };
    try {
      if (step.meeting) {
        const { command, decisionOnCase } = step.meeting;
        if (command.type === 'ApproveMinutes') await removeOpenItems(command.meetingId, meta);
        const outcome = await meetings.execute(new ExecuteMeetingCommand(command, meta, decisionOnCase));
        if (!outcome.replayed) commandsApplied += 1;
        return true;
      }
      const outcome = await onCase(step.command, meta);
      if (!outcome.replayed) commandsApplied += 1;
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const rule =
        error instanceof RuleBrokenError ? error.rule : error instanceof NotPermittedError ? error.reason : error.code;
      refused[rule] = (refused[rule] ?? 0) + 1;
      return false;
    }
  };

  while (queue.size > 0) {
    const head = queue.peek() as Pending;
    if (head.at >= nextMidnight) {
      await recordDeadlinesAt(nextMidnight);
      nextMidnight += DAY;
      continue;
    }
    const batch: Pending[] = [];
    while (batch.length < concurrency && queue.size > 0 && (queue.peek() as Pending).at < nextMidnight) {
      batch.push(queue.pop() as Pending);
    }
    // Cases' own commands at once (one per case); meeting commands one at a time, in business
    // time order, as a meeting's stream takes them.
    const results = await Promise.all(
      batch.map((pending) => (plans[pending.caseIndex][pending.stepIndex].meeting ? true : execute(pending))),
    );
    for (const [i, pending] of batch.entries()) {
      if (plans[pending.caseIndex][pending.stepIndex].meeting) results[i] = await execute(pending);
    }
    batch.forEach((done, i) => {
      commandsDone += 1;
      const next = done.stepIndex + 1;
      // A refused command leaves the case where it was: the rest of its plan no longer fits it.
      if (results[i] && next < plans[done.caseIndex].length) {
        queue.push({ at: plans[done.caseIndex][next].at, caseIndex: done.caseIndex, stepIndex: next });
      } else if (!results[i]) {
        commandsDone += plans[done.caseIndex].length - next;
      }
    });
    options.onProgress?.({
      commandsDone,
      commandsPlanned,
      businessTime: new Date(batch[batch.length - 1].at).toISOString(),
    });
  }
  for (; nextMidnight <= to; nextMidnight += DAY) await recordDeadlinesAt(nextMidnight);
  await recordDeadlinesAt(to);
  return { cases: options.cases, commandsPlanned, commandsApplied, refused, deadlineRecords, letters };
}

function caseManagerOf(region: string): Actor {
  return { userId: `cmu-${region}`, role: 'case-manager', agency: 'home-office-cmu', region, panels: [] };
}

const SCHEDULED_AHEAD = 42 * DAY;
const MINUTES_AFTER = 6 * 60 * 60 * 1000;

/**
 * The plan of every meeting a case is heard at: the case management unit schedules it six weeks
 * ahead (or when the period starts), the chair records attendance as it opens (each member with
 * the cases they declared a conflict on) and approves the minutes that afternoon.
 */
export function meetingPlans(world: SyntheticWorld, calendar: PanelCalendar, casePlans: readonly PlannedStep[][]) {
  const heard = new Map<string, { meeting: Meeting; conflicts: Map<string, string[]> }>();
  for (const plan of casePlans) {
    for (const step of plan) {
      if (!step.meeting) continue;
      const { command, conflictedMemberId } = step.meeting;
      const meeting = calendar.meetingById(command.meetingId);
      if (!meeting) throw new Error(`seed: meeting ${command.meetingId} is not in the calendar`);
      const entry = heard.get(meeting.meetingId) ?? { meeting, conflicts: new Map<string, string[]>() };
      heard.set(meeting.meetingId, entry);
      if (command.type === 'RecordCaseOutcome' && conflictedMemberId) {
        entry.conflicts.set(conflictedMemberId, [
          ...(entry.conflicts.get(conflictedMemberId) ?? []),
          command.data.caseId,
        ]);
      }
    }
  }
  const ordered = [...heard.values()].sort(
    (a, b) => a.meeting.at - b.meeting.at || (a.meeting.meetingId < b.meeting.meetingId ? -1 : 1),
  );
  return ordered.map(({ meeting, conflicts }): PlannedStep[] => {
    const { meetingId, chair } = meeting;
    const step = (at: number, actor: Actor, command: MeetingCommand): PlannedStep => ({
      at,
      actor,
      meeting: { command },
    });
    return [
      step(Math.max(world.from + 60_000, meeting.at - SCHEDULED_AHEAD), caseManagerOf(meeting.region), {
        type: 'ScheduleMeeting',
        meetingId,
        data: {
          panelId: meeting.panelId,
          meetingAt: new Date(meeting.at).toISOString(),
          venue: { kind: 'remote', details: `https://meet.example/${meeting.panelId}` },
          chairId: chair.userId,
          members: meeting.members.map(({ memberId, agency, discipline }) => ({
            memberId,
            organisationId: agency,
            discipline,
          })),
        },
      }),
      step(meeting.at, chair, {
        type: 'RecordAttendance',
        meetingId,
        data: {
          attendees: meeting.members.map(({ memberId }) => ({ memberId, conflicts: conflicts.get(memberId) ?? [] })),
        },
      }),
      step(meeting.at + MINUTES_AFTER, chair, {
        type: 'ApproveMinutes',
        meetingId,
        data: { minutes: `Synthetic minutes of the ${meeting.panelId} meeting.` },
      }),
    ].filter((planned) => planned.at <= world.to);
  });
}
