import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, ExecuteCaseCommand, GetCaseQuery, type CaseView, type Clock } from '@harbour/application';
import { KEYED_IDS, KeyedIds, uuidFromName } from '@harbour/shared';
import {
  allowedActions,
  findWorkflow,
  issuersOf,
  type CaseCommand,
  type CaseCommandType,
  type RaiseReferral,
} from '@harbour/domain';
import { RequireRoles } from '@harbour/security';
import type { AccessLog } from '@harbour/audit';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { actorOf, etagOf, runCommand, type CommandRequest } from '../http/request-context';
import { CASE_READERS, assertReadable } from './read-access';
import { EmptyBodyPipe, UuidParam } from '../http/request-validation';
import {
  AddEvidenceDto,
  ArrangeImmediateSupportDto,
  CloseCaseDto,
  CompleteSecondReviewDto,
  ConvenePanelDto,
  ListCaseForPanelDto,
  MakeReasonableGroundsDecisionDto,
  RaiseReferralDto,
  RecordDecisionDto,
  RecordInformationReceivedDto,
  RecordLeadAssessmentDto,
  RequestInformationDto,
  RequestReconsiderationDto,
  SuspendCaseDto,
  WithdrawReferralDto,
} from './case-commands.dto';
import { CaseActionsResponse, CommandAcceptedResponse } from './case-responses.dto';

/** `:caseId` is a UUID; anything else is a 400 naming `caseId`. */
const CASE_ID = UuidParam('caseId');

const COMMAND_HEADERS = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key returns the first response.',
  }),
  ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the revision you acted on, e.g. "3".' }),
  ApiHeader({
    name: 'X-Occurred-At',
    required: false,
    description: "Business time (ISO-8601) if not now; never in the future, nor before the case's last entry.",
  }),
  ApiHeader({ name: 'X-Correlation-Id', required: false }),
];

function CommandRoute(summary: string): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorate of [
      ...COMMAND_HEADERS,
      ApiOperation({ summary }),
      ApiForbiddenResponse({ description: 'Wrong role, region or panel (problem details).' }),
      ApiNotFoundResponse({ description: 'No such case.' }),
      ApiConflictResponse({ description: 'The case changed meanwhile; carries currentRevision.' }),
      ApiPreconditionFailedResponse({ description: 'If-Match does not match; carries currentRevision.' }),
      ApiUnprocessableEntityResponse({ description: 'A workflow rule was broken; carries the rule name.' }),
      UseInterceptors(IdempotencyInterceptor),
    ]) {
      decorate(target, key, descriptor);
    }
  };
}

/**
 * Where each command is issued: the one declaration of its route, which `@IssuesCommand` mounts and
 * `GET /cases/:id/actions` returns so a client can do what it lists.
 */
const ROUTES: Record<CaseCommandType, { method: 'POST'; path: string }> = {
  RaiseReferral: { method: 'POST', path: '/cases' },
  ArrangeImmediateSupport: { method: 'POST', path: '/cases/:caseId/immediate-support' },
  RecordLeadAssessment: { method: 'POST', path: '/cases/:caseId/lead-assessment' },
  MakeReasonableGroundsDecision: { method: 'POST', path: '/cases/:caseId/reasonable-grounds-decision' },
  ListCaseForPanel: { method: 'POST', path: '/cases/:caseId/panel-listing' },
  ConvenePanel: { method: 'POST', path: '/cases/:caseId/panel-convening' },
  RecordDecision: { method: 'POST', path: '/cases/:caseId/decisions' },
  CompleteSecondReview: { method: 'POST', path: '/cases/:caseId/second-review' },
  RequestReconsideration: { method: 'POST', path: '/cases/:caseId/reconsideration-requests' },
  RequestInformation: { method: 'POST', path: '/cases/:caseId/information-requests' },
  RecordInformationReceived: { method: 'POST', path: '/cases/:caseId/information-responses' },
  AddEvidence: { method: 'POST', path: '/cases/:caseId/evidence' },
  SuspendCase: { method: 'POST', path: '/cases/:caseId/suspension' },
  ResumeCase: { method: 'POST', path: '/cases/:caseId/resumption' },
  WithdrawReferral: { method: 'POST', path: '/cases/:caseId/withdrawal' },
  CloseCase: { method: 'POST', path: '/cases/:caseId/closure' },
};

/**
 * Mounts a command's route (from `ROUTES`) and admits the roles the workflow definitions let issue
 * it (`issuersOf`): each route and its roles declared once.
 */
function IssuesCommand(command: CaseCommandType): MethodDecorator {
  const path = ROUTES[command].path.replace(/^\/cases\/?/, '');
  return applyDecorators(path === '' ? Post() : Post(path), RequireRoles(...issuersOf(command)));
}

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
    @Inject(KEYED_IDS) private readonly ids: KeyedIds,
  ) {}

  @IssuesCommand('RaiseReferral')
  @HttpCode(201)
  @CommandRoute('Raise a referral (ReferralRaised)')
  @ApiCreatedResponse({ type: CommandAcceptedResponse })
  async raiseReferral(
    @Body() body: RaiseReferralDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAcceptedResponse> {
    const { caseId, revision, position } = await runCommand(request, reply, this.clock, async (meta) => {
      // Keyed on the command id: a retry after a lost response names the same case, and no one
      // without the server's key can work out another caller's case id from theirs.
      const id = this.ids.idFor(`case:${meta.commandId}`);
      const { subject, ...rest } = body;
      const command: RaiseReferral = {
        type: 'RaiseReferral',
        caseId: id,
        data: { ...rest, subject: { ...subject, subjectId: this.ids.idFor(`subject:${meta.commandId}`) } },
      };
      return { ...(await this.commands.execute(new ExecuteCaseCommand(command, meta))), caseId: id };
    });
    void reply.header('Location', `/cases/${caseId}`);
    return this.accepted(caseId, revision, position);
  }

  @IssuesCommand('ArrangeImmediateSupport')
  @HttpCode(200)
  @CommandRoute('Arrange immediate support (ImmediateSupportArranged)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  arrangeSupport(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: ArrangeImmediateSupportDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'ArrangeImmediateSupport', (id) => ({ supportId: id, ...body }));
  }

  @IssuesCommand('RecordLeadAssessment')
  @HttpCode(200)
  @CommandRoute("Record the lead's assessment (LeadAssessmentRecorded)")
  @ApiOkResponse({ type: CommandAcceptedResponse })
  recordAssessment(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: RecordLeadAssessmentDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'RecordLeadAssessment', (id) => ({ assessmentId: id, ...body }));
  }

  @IssuesCommand('MakeReasonableGroundsDecision')
  @HttpCode(200)
  @CommandRoute('Make the reasonable grounds decision, central route (ReasonableGroundsDecisionMade)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  makeReasonableGroundsDecision(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: MakeReasonableGroundsDecisionDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'MakeReasonableGroundsDecision', (id) => ({ decisionId: id, ...body }));
  }

  @IssuesCommand('ListCaseForPanel')
  @HttpCode(200)
  @CommandRoute('List the case for a panel meeting (CaseListedForPanel)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  listForPanel(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: ListCaseForPanelDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'ListCaseForPanel', () => ({ ...body }));
  }

  @IssuesCommand('ConvenePanel')
  @HttpCode(200)
  @CommandRoute('Convene the panel for the case (PanelConvened)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  convenePanel(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: ConvenePanelDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'ConvenePanel', () => ({ ...body }));
  }

  @IssuesCommand('RecordDecision')
  @HttpCode(200)
  @CommandRoute(
    'Record the conclusive grounds decision (DecisionRecorded): the panel chair, or the competent authority with no votes or dissent',
  )
  @ApiOkResponse({ type: CommandAcceptedResponse })
  recordDecision(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: RecordDecisionDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'RecordDecision', (id) => ({ decisionId: id, ...body }));
  }

  @IssuesCommand('CompleteSecondReview')
  @HttpCode(200)
  @CommandRoute('Review a negative decision (SecondReviewCompleted)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  secondReview(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: CompleteSecondReviewDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'CompleteSecondReview', (id) => ({ reviewId: id, ...body }));
  }

  @IssuesCommand('RequestReconsideration')
  @HttpCode(200)
  @CommandRoute('Request reconsideration of a negative outcome (ReconsiderationRequested)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  requestReconsideration(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: RequestReconsiderationDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'RequestReconsideration', (id) => ({ reconsiderationId: id, ...body }));
  }

  @IssuesCommand('RequestInformation')
  @HttpCode(200)
  @CommandRoute('Request information (InformationRequested)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  requestInformation(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: RequestInformationDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'RequestInformation', (id) => ({ requestId: id, ...body }));
  }

  @IssuesCommand('RecordInformationReceived')
  @HttpCode(200)
  @CommandRoute('Record the answer to an information request (InformationReceived)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  recordInformationReceived(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: RecordInformationReceivedDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'RecordInformationReceived', () => ({ ...body }));
  }

  @IssuesCommand('AddEvidence')
  @HttpCode(200)
  @CommandRoute('Add evidence to the case file (EvidenceAdded)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  addEvidence(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: AddEvidenceDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'AddEvidence', (id) => ({ evidenceId: id, ...body }));
  }

  @IssuesCommand('SuspendCase')
  @HttpCode(200)
  @CommandRoute('Suspend the case (CaseSuspended)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  suspend(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: SuspendCaseDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'SuspendCase', () => ({ ...body }));
  }

  @IssuesCommand('ResumeCase')
  @HttpCode(200)
  @CommandRoute('Resume a suspended case (CaseResumed)')
  @ApiBody({
    required: false,
    description: 'Empty, or an empty JSON object.',
    schema: { type: 'object', additionalProperties: false },
  })
  @ApiOkResponse({ type: CommandAcceptedResponse })
  resume(
    @Param('caseId', CASE_ID) caseId: string,
    @Body(EmptyBodyPipe) _body: Record<string, never>,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'ResumeCase', () => ({}));
  }

  @IssuesCommand('WithdrawReferral')
  @HttpCode(200)
  @CommandRoute("Record an adult's withdrawal (ReferralWithdrawn)")
  @ApiOkResponse({ type: CommandAcceptedResponse })
  withdraw(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: WithdrawReferralDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'WithdrawReferral', () => ({ ...body }));
  }

  @IssuesCommand('CloseCase')
  @HttpCode(200)
  @CommandRoute('Close a concluded case (CaseClosed)')
  @ApiOkResponse({ type: CommandAcceptedResponse })
  close(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: CloseCaseDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, caseId, 'CloseCase', () => ({ ...body }));
  }

  @Get(':caseId/file')
  @RequireRoles(...CASE_READERS)
  @ApiOperation({
    summary: "The whole case file, folded from its event stream (always current; holds the person's personal data)",
  })
  @ApiOkResponse({ description: 'The case state, with ETag: "<revision>". The read is logged (GET /audit/access).' })
  async getCase(
    @Param('caseId', CASE_ID) caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.readableCase(caseId, request);
    await logCaseRead(this.accessLog, request, caseId, 'GET /cases/:caseId/file');
    void reply.header('ETag', etagOf(view.revision));
    return { caseId, revision: String(view.revision), ...view.state };
  }

  @Get(':caseId/actions')
  @RequireRoles(...CASE_READERS)
  @ApiOperation({ summary: 'The commands the caller may issue on this case now' })
  @ApiOkResponse({ type: CaseActionsResponse })
  async getActions(
    @Param('caseId', CASE_ID) caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseActionsResponse> {
    const view = await this.readableCase(caseId, request);
    const actor = actorOf(request);
    const state = view.state;
    if (state.status === 'none') throw new Error('unreachable: a read case exists');
    const definition = findWorkflow(state.workflow);
    if (!definition)
      throw new Error(`Case ${caseId} runs under unknown workflow ${state.workflow.id} v${state.workflow.version}`);
    void reply.header('ETag', etagOf(view.revision));
    return {
      caseId,
      revision: String(view.revision),
      status: state.status,
      workflow: { id: definition.id, version: definition.version },
      actions: allowedActions(definition, state, actor).map((command) => ({ command, ...ROUTES[command] })),
    };
  }

  /** Loads a case the caller may read: out-of-scope cases are answered as unknown ones. */
  private async readableCase(caseId: string, request: FastifyRequest): Promise<CaseView> {
    const view = await this.queries.execute(new GetCaseQuery(caseId));
    if (view.state.status === 'none') throw new Error('unreachable: GetCaseQuery refuses missing cases');
    assertReadable(view.state, actorOf(request));
    return view;
  }

  private async run<Type extends Exclude<CaseCommandType, 'RaiseReferral'>>(
    request: CommandRequest,
    reply: FastifyReply,
    caseId: string,
    type: Type,
    data: (generatedId: string) => Extract<CaseCommand, { readonly type: Type }>['data'],
  ): Promise<CommandAcceptedResponse> {
    const result = await runCommand(request, reply, this.clock, (meta) => {
      // `data` is checked against the command's own data type above; the compiler cannot relate the
      // generic `type` to its member of the union, so the assembled command is asserted here only.
      const command = { type, caseId, data: data(uuidFromName(`${type}:${meta.commandId}`)) } as CaseCommand;
      return this.commands.execute(new ExecuteCaseCommand(command, meta));
    });
    return this.accepted(caseId, result.revision, result.position);
  }

  private accepted(caseId: string, revision: bigint, position: bigint): CommandAcceptedResponse {
    return { caseId, revision: String(revision), position: String(position) };
  }
}
