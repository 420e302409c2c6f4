import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CaseNotFoundError,
  caseStreamName,
  decideCase,
  decideDtn,
  dtnStreamName,
  caseFold,
  evolveCase,
  evolveDtn,
  initialCaseState,
  initialDtnState,
  type CaseState,
  type WorkflowRoutes,
} from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { PERSONAL_DATA } from '../privacy/personal-data.provider';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { handleStreamCommand, loadState, type CommandOutcome } from '../command-handling/handle-stream-command';
import { ExecuteCaseCommand, GetCaseQuery, ReportDutyToNotifyCommand, type CaseView } from './case.commands';
import { WORKFLOW_ROUTES } from './workflow-routes.token';
import { panelDirectoryFor } from '../panels/panel-registry';

const caseDecider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase, fold: caseFold };
const dtnDecider = { initialState: initialDtnState, decide: decideDtn, evolve: evolveDtn };

/** Pins each event to the workflow definition the case runs under. */
function workflowOf(state: CaseState) {
  return 'workflow' in state && state.workflow ? { id: state.workflow.id, version: state.workflow.version } : undefined;
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(WORKFLOW_ROUTES) private readonly workflowRoutes: WorkflowRoutes,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  async execute({ command, meta }: ExecuteCaseCommand): Promise<CommandOutcome<CaseState>> {
    // The one command that names a panel is decided against the registry as it stands now.
    const panels = await panelDirectoryFor(
      this.store,
      command.type === 'ListCaseForPanel' ? [command.data.panelId] : [],
    );
    return handleStreamCommand(
      { store: this.store, schemas: this.schemas, personalData: this.personalData },
      caseStreamName(command.caseId),
      caseDecider,
      command,
      meta,
      { actor: meta.actor, now: meta.occurredAt, workflowRoutes: this.workflowRoutes, panels },
      workflowOf,
    );
  }
}

@CommandHandler(ReportDutyToNotifyCommand)
export class ReportDutyToNotifyHandler implements ICommandHandler<ReportDutyToNotifyCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  execute({ command, meta }: ReportDutyToNotifyCommand): Promise<CommandOutcome<unknown>> {
    return handleStreamCommand(
      { store: this.store, schemas: this.schemas, personalData: this.personalData },
      dtnStreamName(command.reportId),
      dtnDecider,
      command,
      meta,
      { actor: meta.actor, now: meta.occurredAt },
      () => undefined,
    );
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  /** The case folded from its events with their personal data decrypted (or `[erased]`). */
  async execute({ caseId }: GetCaseQuery): Promise<CaseView> {
    const cache = new Map();
    const { state, revision } = await loadState(this.store, caseStreamName(caseId), caseDecider, (event) =>
      this.personalData.open(event, cache),
    );
    if (revision === null) throw new CaseNotFoundError(caseId);
    return { caseId, revision, state };
  }
}

export const CASE_HANDLERS = [ExecuteCaseCommandHandler, ReportDutyToNotifyHandler, GetCaseHandler];
