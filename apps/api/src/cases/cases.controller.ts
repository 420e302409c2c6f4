import {
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
  applyDecorators,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiTags } from '@nestjs/swagger';
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
import { ApiCommand, ApiQuery } from '../http/openapi.decorators';
import { CaseFileResponse } from '../http/read-responses.dto';

/** `:caseId` is a UUID; anything else is a 400 naming `caseId`. */
const CASE_ID = UuidParam('caseId');

/**
 * A command on an existing case: it reads `Idempotency-Key`, `If-Match` and `X-Occurred-At`,
 * answers 200 with the case's new revision (and ETag), and may find no such case (404) or
 * another revision than `If-Match` named (412).
 */
function CaseCommandRoute(operationId: string, summary: string): MethodDecorator {
  return applyDecorators(
    ApiCommand({
      operationId,
      summary,
      status: 200,
      type: CommandAcceptedResponse,
      headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
      etag: true,
      problems: [404, 412],
    }),
    UseInterceptors(IdempotencyInterceptor),
  );
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
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'raiseReferral',
    summary: 'Raise a referral (ReferralRaised): a new case',
    status: 201,
    type: CommandAcceptedResponse,
    headers: ['Idempotency-Key', 'X-Occurred-At'],
    etag: true,
    location: true,
    problems: [],
  })
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
  @CaseCommandRoute('arrangeImmediateSupport', 'Arrange immediate support (ImmediateSupportArranged)')
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
  @CaseCommandRoute('recordLeadAssessment', "Record the lead's assessment (LeadAssessmentRecorded)")
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
  @CaseCommandRoute(
    'makeReasonableGroundsDecision',
    'Make the reasonable grounds decision, central route (ReasonableGroundsDecisionMade)',
  )
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
  @CaseCommandRoute('listCaseForPanel', 'List the case for a panel meeting (CaseListedForPanel)')
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
  @CaseCommandRoute('convenePanel', 'Convene the panel for the case (PanelConvened)')
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
  @CaseCommandRoute(
    'recordDecision',
    'Record the conclusive grounds decision (DecisionRecorded): the panel chair, or the competent authority with no votes or dissent',
  )
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
  @CaseCommandRoute('completeSecondReview', 'Review a negative decision (SecondReviewCompleted)')
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
  @CaseCommandRoute(
    'requestReconsideration',
    'Request reconsideration of a negative outcome (ReconsiderationRequested)',
  )
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
  @CaseCommandRoute('requestInformation', 'Request information (InformationRequested)')
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
  @CaseCommandRoute('recordInformationReceived', 'Record the answer to an information request (InformationReceived)')
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
  @CaseCommandRoute('addEvidence', 'Add evidence to the case file (EvidenceAdded)')
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
  @CaseCommandRoute('suspendCase', 'Suspend the case (CaseSuspended)')
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
  @CaseCommandRoute('resumeCase', 'Resume a suspended case (CaseResumed)')
  @ApiBody({
    required: false,
    description: 'Empty, or an empty JSON object.',
    schema: { type: 'object', additionalProperties: false },
  })
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
  @CaseCommandRoute('withdrawReferral', "Record an adult's withdrawal (ReferralWithdrawn)")
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
  @CaseCommandRoute('closeCase', 'Close a concluded case (CaseClosed)')
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
  @ApiQuery({
    operationId: 'getCaseFile',
    summary: "The whole case file, folded from its event stream (always current; holds the person's personal data)",
    description: 'The case state. The read is logged (GET /audit/access).',
    type: CaseFileResponse,
    etag: true,
    problems: [400, 404],
  })
  async getCaseFile(
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
  @ApiQuery({
    operationId: 'getCaseActions',
    summary: 'The commands the caller may issue on this case now',
    type: CaseActionsResponse,
    etag: true,
    problems: [400, 404],
  })
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
