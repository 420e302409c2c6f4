import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  CaseNotFoundError,
  RuleBrokenError,
  caseFileOf,
  caseStreamName,
  decideMeeting,
  decodeEvent,
  evolveCase,
  evolveMeeting,
  initialCaseState,
  findWorkflow,
  initialMeetingState,
  meetingStreamName,
  type CaseEvent,
  type CaseState,
  type MeetingCommand,
  type MeetingContext,
  type MeetingEvent,
  type MeetingState,
  type RecordCaseOutcome,
  type ScheduledMeeting,
} from '@harbour/domain';
import { EVENT_STORE, StreamNotFoundError, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import { ExecuteCaseCommand } from '../case/case.commands';
import {
  handleStreamCommand,
  loadState,
  type CommandMeta,
  type CommandOutcome,
  type Decider,
} from '../command-handling/handle-stream-command';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { loadPanel } from '../panels/panel-registry';
import { PERSONAL_DATA } from '../privacy/personal-data.provider';

const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState, MeetingContext> = {
  initialState: initialMeetingState,
  decide: decideMeeting,
  evolve: evolveMeeting,
};

/** What the panel records on the case when it decides: the reasons, evidence and dissent. */
export interface DecisionOnCase {
  readonly rationale: string;
  readonly evidenceReliedOn: readonly string[];
  readonly dissent: readonly { readonly memberId: string; readonly reason: string }[];
}

/** One command to a meeting; a decided outcome carries what goes on the case. */
export class ExecuteMeetingCommand extends Command<CommandOutcome<MeetingState>> {
  constructor(
    readonly command: MeetingCommand,
    readonly meta: CommandMeta,
    readonly decisionOnCase?: DecisionOnCase,
  ) {
    super();
  }
}

/** A meeting folded from its stream (`status: 'none'` when there is none). */
export class GetMeetingQuery extends Query<{ state: MeetingState; revision: bigint | null }> {
  constructor(readonly meetingId: string) {
    super();
  }
}

/** The pack of one case: what the panel needs to decide, never contact details. */
export interface MeetingPack {
  readonly caseId: string;
  readonly summary: {
    readonly region: string;
    readonly ageGroup: string;
    readonly gender: string | null;
    readonly nationality: string | null;
    readonly exploitationTypes: readonly string[];
    readonly exploitationLocation: string | null;
    readonly account: string | null;
  };
  readonly leadAssessment: { readonly outcome: string; readonly rationale: string; readonly assessedAt: string } | null;
  readonly evidence: readonly { readonly evidenceId: string; readonly kind: string; readonly description: string }[];
  readonly informationAnswers: readonly {
    readonly requestId: string;
    readonly summary: string;
    readonly receivedAt: string;
  }[];
}

/** Assembles the pack of `caseId` from its stream (personal data opened, erased shows `[erased]`). */
export async function assemblePack(
  store: EventStore,
  personalData: PersonalDataProtector,
  caseId: string,
): Promise<MeetingPack> {
  const cache = new Map();
  const pack = {
    caseId,
    summary: {
      region: '',
      ageGroup: '',
      gender: null,
      nationality: null,
      exploitationTypes: [],
      exploitationLocation: null,
      account: null,
    } as MeetingPack['summary'],
    leadAssessment: null as MeetingPack['leadAssessment'],
    evidence: [] as MeetingPack['evidence'][number][],
    informationAnswers: [] as MeetingPack['informationAnswers'][number][],
  };
  let found = false;
  try {
    for await (const stored of store.readStream(caseStreamName(caseId))) {
      found = true;
      const event = decodeEvent<CaseEvent>(await personalData.open(stored, cache));
      switch (event.type) {
        case 'ReferralRaised': {
          const { data } = event;
          pack.summary = {
            region: data.region,
            ageGroup: data.ageGroup,
            gender: data.subject.gender,
            nationality: data.subject.nationality,
            exploitationTypes: [...data.exploitationTypes],
            exploitationLocation: data.exploitationLocation,
            account: data.account,
          };
          break;
        }
        case 'LeadAssessmentRecorded':
          pack.leadAssessment = {
            outcome: event.data.outcome,
            rationale: event.data.rationale,
            assessedAt: event.data.assessedAt,
          };
          break;
        case 'EvidenceAdded':
          pack.evidence.push({
            evidenceId: event.data.evidenceId,
            kind: event.data.kind,
            description: event.data.description,
          });
          break;
        case 'InformationReceived':
          pack.informationAnswers.push({
            requestId: event.data.requestId,
            summary: event.data.summary,
            receivedAt: event.data.receivedAt,
          });
          break;
        default:
          break;
      }
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  if (!found) throw new CaseNotFoundError(caseId);
  return pack;
}

/** SHA-256 of a pack as issued, so a later read can be compared with what the members were sent. */
export function packDigest(pack: MeetingPack): string {
  return createHash('sha256').update(JSON.stringify(pack)).digest('hex');
}

@CommandHandler(ExecuteMeetingCommand)
export class ExecuteMeetingCommandHandler implements ICommandHandler<ExecuteMeetingCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
    private readonly commands: CommandBus,
  ) {}

  async execute({ command, meta, decisionOnCase }: ExecuteMeetingCommand): Promise<CommandOutcome<MeetingState>> {
    const stream = meetingStreamName(command.meetingId);
    const { state } = await loadState(this.store, stream, meetingDecider);
    if (state.status === 'none' && command.type !== 'ScheduleMeeting') {
      throw new MeetingNotFoundError(`No meeting ${command.meetingId}`);
    }
    const caseId = 'caseId' in command.data ? command.data.caseId : undefined;
    const caseState = caseId === undefined ? undefined : await this.loadCase(caseId);
    const context = await this.contextFor(command, meta, caseState);
    let toAppend: MeetingCommand = command;
    if (command.type === 'AddCaseToAgenda' && state.status === 'scheduled' && caseState?.status === 'listed') {
      // The case is listed to this panel, maybe for another sitting: it is relisted to this one,
      // so the case says which meeting will hear it (the notice rule applies as to any listing).
      if (caseState.listing.panelId === state.panelId && caseState.listing.meetingId !== state.meetingId) {
        decideMeeting(command, state, context);
        await this.commands.execute(
          new ExecuteCaseCommand(
            {
              type: 'ListCaseForPanel',
              caseId: caseState.caseId,
              data: { panelId: state.panelId, meetingId: state.meetingId, meetingAt: state.meetingAt, urgent: false },
            },
            { ...meta, commandId: uuidFromName(`${meta.commandId}:relist`), expectedRevision: undefined },
          ),
        );
      }
    }
    if (command.type === 'IssuePack' && caseId !== undefined) {
      const pack = await assemblePack(this.store, this.personalData, caseId);
      toAppend = { ...command, data: { caseId, packSha256: packDigest(pack) } };
    }
    if (command.type === 'RecordCaseOutcome' && command.data.outcome === 'decided' && state.status === 'scheduled') {
      // Refusals first, with nothing written; then the case (idempotent by derived command ids, so
      // a retry after a crash replays it), then the meeting's own record.
      decideMeeting(command, state, context);
      await this.recordOnCase(command, state, meta, decisionOnCase);
    }
    return handleStreamCommand(
      { store: this.store, schemas: this.schemas, personalData: this.personalData },
      stream,
      meetingDecider,
      toAppend,
      meta,
      context,
      () => undefined,
    );
  }

  private async recordOnCase(
    command: RecordCaseOutcome,
    state: ScheduledMeeting,
    meta: CommandMeta,
    onCase: DecisionOnCase | undefined,
  ): Promise<void> {
    const { caseId, decision, votes } = command.data;
    if (!decision || !onCase)
      throw new RuleBrokenError('selection-required', 'A decision needs its rationale', 'rationale');
    const caseNow = await this.loadCase(caseId);
    const alreadyConvened = caseNow.status === 'panel-convened' && caseNow.listing.meetingId === state.meetingId;
    if (!alreadyConvened) {
      await this.commands.execute(
        new ExecuteCaseCommand(
          {
            type: 'ConvenePanel',
            caseId,
            data: {
              meetingId: state.meetingId,
              chairDeclaredConflict: false,
              members: (state.attendees ?? []).map((attendee) => ({
                memberId: attendee.memberId,
                agency: attendee.organisationId,
                discipline: attendee.discipline,
                conflictDeclared: attendee.conflicts.includes(caseId),
              })),
            },
          },
          { ...meta, commandId: uuidFromName(`${meta.commandId}:convene`), expectedRevision: undefined },
        ),
      );
    }
    await this.commands.execute(
      new ExecuteCaseCommand(
        {
          type: 'RecordDecision',
          caseId,
          data: {
            decisionId: decision.decisionId,
            outcome: decision.outcome,
            rationale: onCase.rationale,
            evidenceReliedOn: onCase.evidenceReliedOn,
            votes,
            dissent: onCase.dissent,
          },
        },
        { ...meta, commandId: uuidFromName(`${meta.commandId}:decide`), expectedRevision: undefined },
      ),
    );
  }

  private async contextFor(
    command: MeetingCommand,
    meta: CommandMeta,
    caseState: CaseState | undefined,
  ): Promise<MeetingContext> {
    const base = { actor: meta.actor, now: meta.occurredAt };
    const workflow = caseState && caseState.status !== 'none' ? findWorkflow(caseState.workflow) : undefined;
    const rules = workflow?.rules ?? {};
    const caseFacts =
      caseState && caseState.status !== 'none'
        ? {
            status: caseState.status,
            listedPanelId:
              caseState.status === 'listed' || caseState.status === 'panel-convened' ? caseState.listing.panelId : null,
            ageGroup: caseFileOf(caseState).ageGroup,
          }
        : undefined;
    if (command.type === 'ScheduleMeeting') {
      const panel = await loadPanel(this.store, command.data.panelId);
      return {
        ...base,
        rules,
        panel: panel.status === 'registered' ? { panelId: panel.panelId, region: panel.region } : undefined,
      };
    }
    return { ...base, rules, caseFacts };
  }

  private async loadCase(caseId: string): Promise<CaseState> {
    const cache = new Map();
    const { state, revision } = await loadState(
      this.store,
      caseStreamName(caseId),
      { initialState: initialCaseState, decide: () => [], evolve: evolveCase },
      (event) => this.personalData.open(event, cache),
    );
    if (revision === null) throw new CaseNotFoundError(caseId);
    return state;
  }
}

@QueryHandler(GetMeetingQuery)
export class GetMeetingHandler implements IQueryHandler<GetMeetingQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ meetingId }: GetMeetingQuery) {
    return loadState(this.store, meetingStreamName(meetingId), meetingDecider);
  }
}

/** No such meeting, or none the caller may read (HTTP 404, as an unknown case is). */
export class MeetingNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(message: string) {
    super(message);
    this.name = 'MeetingNotFoundError';
  }
}

export const MEETING_HANDLERS = [ExecuteMeetingCommandHandler, GetMeetingHandler];
