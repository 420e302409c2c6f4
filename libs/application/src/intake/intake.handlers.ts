import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  caseStreamName,
  decideCase,
  decideIntake,
  evolveCase,
  evolveIntake,
  initialCaseState,
  initialIntakeState,
  intakeStreamName,
  referralToRaise,
  SubmissionNotFoundError,
  type Actor,
  type CaseState,
  type CaseStatus,
  type IntakeCommand,
  type IntakeState,
  type WorkflowRoutes,
} from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { uuidFromName } from '@harbour/shared';
import type { PersonalDataProtector } from '@harbour/privacy';
import { PERSONAL_DATA } from '../privacy/personal-data.provider';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import {
  handleStreamCommand,
  loadState,
  type CommandMeta,
  type CommandOutcome,
} from '../command-handling/handle-stream-command';
import { WORKFLOW_ROUTES } from '../case/workflow-routes.token';

const intakeDecider = { initialState: initialIntakeState, decide: decideIntake, evolve: evolveIntake };
const caseDecider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase };

/** A first responder's referral: submitted, accepted into a case, or returned (its own stream). */
export class ExecuteIntakeCommand extends Command<CommandOutcome<IntakeState>> {
  constructor(
    readonly command: IntakeCommand,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

function withoutIfMatch(meta: CommandMeta): CommandMeta {
  const { expectedRevision: _ifMatch, ...rest } = meta;
  return rest;
}

/** The case a submission becomes when accepted: derived from it, so it can only ever become one. */
export function caseIdForSubmission(submissionId: string): string {
  return uuidFromName(`intake-case:${submissionId}`);
}

/**
 * Submits, accepts or returns. Accepting raises the case first (`RaiseReferral` with the referral
 * as submitted, as the accepting lead or competent authority, so the case's own rules and
 * allocation apply) and then records `ReferralAccepted` on the intake stream. Both appends are
 * idempotent by the command id, so a retry after a failure between them completes the pair.
 */
@CommandHandler(ExecuteIntakeCommand)
export class ExecuteIntakeCommandHandler implements ICommandHandler<ExecuteIntakeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(WORKFLOW_ROUTES) private readonly workflowRoutes: WorkflowRoutes,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  async execute({ command, meta }: ExecuteIntakeCommand): Promise<CommandOutcome<IntakeState>> {
    const deps = { store: this.store, schemas: this.schemas, personalData: this.personalData };
    const context = { actor: meta.actor, now: meta.occurredAt, workflowRoutes: this.workflowRoutes };
    const stream = intakeStreamName(command.submissionId);
    if (command.type === 'AcceptReferral') {
      const cache = new Map();
      const { state } = await loadState(this.store, stream, intakeDecider, (event) =>
        this.personalData.open(event, cache),
      );
      if (state.status === 'submitted') {
        // Refused here (wrong role, region...) before the case is touched.
        decideIntake(command, state, context);
        await handleStreamCommand(
          deps,
          caseStreamName(command.caseId),
          caseDecider,
          referralToRaise(state.referral, command.caseId),
          // A new stream: If-Match names the intake stream's revision, not the case's.
          { ...withoutIfMatch(meta), commandId: uuidFromName(`${meta.commandId}:raise`), causationId: meta.commandId },
          context,
          (caseState: CaseState) =>
            'workflow' in caseState && caseState.workflow
              ? { id: caseState.workflow.id, version: caseState.workflow.version }
              : undefined,
        );
      }
    }
    return handleStreamCommand(deps, stream, intakeDecider, command, meta, context, () => undefined);
  }
}

/** What a submission's reader sees: where it stands, never the panel's deliberations. */
export interface SubmissionStatus {
  readonly submissionId: string;
  readonly status: IntakeState['status'];
  readonly region: string;
  readonly referringAgency: string;
  readonly submittedAt: string;
  readonly caseId: string | null;
  /** The case's status once accepted (`referred`, `recovery`, `decided-positive`...). */
  readonly caseStatus: CaseStatus | null;
  readonly returnedReason: string | null;
  readonly decidedAt: string | null;
}

/** A submission's status, for its own organisation's first responders (or the lead / authority). */
export class GetSubmissionQuery extends Query<SubmissionStatus> {
  constructor(
    readonly submissionId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

@QueryHandler(GetSubmissionQuery)
export class GetSubmissionHandler implements IQueryHandler<GetSubmissionQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Folds the intake stream without opening personal data: the status needs none. A first
   * responder sees only its own organisation's submissions; a lead those of its region; the
   * competent authority and the auditor (who may read everything) any. Anyone else, and an unknown
   * id, get the same 404.
   */
  async execute({ submissionId, actor }: GetSubmissionQuery): Promise<SubmissionStatus> {
    const { state } = await loadState(this.store, intakeStreamName(submissionId), intakeDecider);
    if (state.status === 'none') throw new SubmissionNotFoundError(submissionId);
    const { referral } = state;
    const mayRead =
      actor.role === 'first-responder'
        ? actor.agency === referral.referringAgency
        : actor.role === 'lead'
          ? actor.region === referral.region
          : actor.role === 'competent-authority' || actor.role === 'auditor';
    if (!mayRead) throw new SubmissionNotFoundError(submissionId);
    let caseStatus: CaseStatus | null = null;
    if (state.status === 'accepted') {
      const { state: caseState } = await loadState(this.store, caseStreamName(state.caseId), caseDecider);
      caseStatus = caseState.status === 'none' ? null : caseState.status;
    }
    return {
      submissionId,
      status: state.status,
      region: referral.region,
      referringAgency: referral.referringAgency,
      submittedAt: referral.submittedAt,
      caseId: state.status === 'accepted' ? state.caseId : null,
      caseStatus,
      returnedReason: state.status === 'returned' ? state.reason : null,
      decidedAt: state.status === 'accepted' ? state.acceptedAt : state.status === 'returned' ? state.returnedAt : null,
    };
  }
}

export const INTAKE_HANDLERS = [ExecuteIntakeCommandHandler, GetSubmissionHandler];
