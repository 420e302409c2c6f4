import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CLOCK,
  caseIdForSubmission,
  ExecuteIntakeCommand,
  GetSubmissionQuery,
  type Clock,
  type SubmissionStatus,
} from '@harbour/application';
import { KEYED_IDS, KeyedIds } from '@harbour/shared';
import type { IntakeCommand } from '@harbour/domain';
import { RequireRoles } from '@harbour/security';
import { RaiseReferralDto, Text } from '../cases/case-commands.dto';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { actorOf, runCommand, type CommandRequest } from '../http/request-context';
import { EmptyBodyPipe, UuidParam } from '../http/request-validation';
import { ApiCommand, ApiQuery } from '../http/openapi.decorators';

const SUBMISSION_ID = UuidParam('submissionId');

/**
 * A first responder's referral: what the lead would raise, less the referring organisation and
 * its type, which are the token's (`agency`) and the registry's.
 */
export class SubmitReferralDto extends OmitType(RaiseReferralDto, ['referringAgency', 'firstResponderType'] as const) {}

export class ReturnReferralDto {
  @ApiProperty({ example: 'No signed consent form is attached; please send it with the referral again.' })
  @Text(2000)
  reason!: string;
}

export class SubmissionAcceptedResponse {
  @ApiProperty({ example: '0f6c8a3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b' })
  submissionId!: string;
  @ApiProperty({ example: '0', description: 'The submission revision after the command (decimal string).' })
  revision!: string;
  @ApiProperty({ example: '42', description: 'Global position of the last event written (decimal string).' })
  position!: string;
  @ApiPropertyOptional({
    example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e',
    description: 'The case the referral became, once accepted.',
  })
  caseId?: string;
}

export class SubmissionStatusResponse {
  @ApiProperty({ example: '0f6c8a3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b' })
  submissionId!: string;
  @ApiProperty({ enum: ['submitted', 'accepted', 'returned'], example: 'accepted' })
  status!: string;
  @ApiProperty({ example: 'south-west' })
  region!: string;
  @ApiProperty({ example: 'bristol-city-council' })
  referringAgency!: string;
  @ApiProperty({ example: '2015-06-01T08:00:00.000Z' })
  submittedAt!: string;
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e', nullable: true, type: String })
  caseId!: string | null;
  @ApiProperty({
    example: 'recovery',
    nullable: true,
    type: String,
    description: "The case's status once accepted; never the panel's votes, members or minutes.",
  })
  caseStatus!: string | null;
  @ApiProperty({ example: 'No signed consent form is attached.', nullable: true, type: String })
  returnedReason!: string | null;
  @ApiProperty({ example: '2015-06-01T09:00:00.000Z', nullable: true, type: String })
  decidedAt!: string | null;
}

/**
 * First responders' referrals (issue 20): a first responder submits, the region's lead (pilot) or
 * the competent authority (central route) accepts it into a case or returns it, and the first
 * responder follows its status here.
 */
@ApiTags('referral submissions')
@Controller('referral-submissions')
export class ReferralSubmissionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEYED_IDS) private readonly ids: KeyedIds,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('first-responder')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'submitReferral',
    summary:
      "Submit a referral as a first responder organisation (ReferralSubmitted): to the region's lead on the pilot, the competent authority on the central route",
    status: 201,
    type: SubmissionAcceptedResponse,
    headers: ['Idempotency-Key', 'X-Occurred-At'],
    etag: true,
    location: true,
    problems: [],
  })
  async submit(
    @Body() body: SubmitReferralDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubmissionAcceptedResponse> {
    const outcome = await runCommand(request, reply, this.clock, async (meta) => {
      const submissionId = this.ids.idFor(`submission:${meta.commandId}`);
      const { subject, ...rest } = body;
      const command: IntakeCommand = {
        type: 'SubmitReferral',
        submissionId,
        data: { ...rest, subject: { ...subject, subjectId: this.ids.idFor(`subject:${meta.commandId}`) } },
      };
      return { ...(await this.commands.execute(new ExecuteIntakeCommand(command, meta))), submissionId };
    });
    void reply.header('Location', `/referral-submissions/${outcome.submissionId}`);
    return {
      submissionId: outcome.submissionId,
      revision: String(outcome.revision),
      position: String(outcome.position),
    };
  }

  @Post(':submissionId/acceptance')
  @HttpCode(201)
  @RequireRoles('lead', 'competent-authority')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'acceptReferral',
    summary: "Accept a first responder's referral into a case (ReferralRaised, then ReferralAccepted)",
    status: 201,
    type: SubmissionAcceptedResponse,
    headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
    etag: true,
    location: true,
    problems: [404, 412],
  })
  async accept(
    @Param('submissionId', SUBMISSION_ID) submissionId: string,
    @Body(EmptyBodyPipe) _body: Record<string, never>,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubmissionAcceptedResponse> {
    const caseId = caseIdForSubmission(submissionId);
    const outcome = await runCommand(request, reply, this.clock, (meta) =>
      this.commands.execute(new ExecuteIntakeCommand({ type: 'AcceptReferral', submissionId, caseId }, meta)),
    );
    void reply.header('Location', `/cases/${caseId}`);
    return { submissionId, caseId, revision: String(outcome.revision), position: String(outcome.position) };
  }

  @Post(':submissionId/return')
  @HttpCode(200)
  @RequireRoles('lead', 'competent-authority')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'returnReferral',
    summary: "Return a first responder's referral with a reason (ReferralReturned); no case is opened",
    status: 200,
    type: SubmissionAcceptedResponse,
    headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
    etag: true,
    problems: [404, 412],
  })
  async giveBack(
    @Param('submissionId', SUBMISSION_ID) submissionId: string,
    @Body() body: ReturnReferralDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubmissionAcceptedResponse> {
    const outcome = await runCommand(request, reply, this.clock, (meta) =>
      this.commands.execute(
        new ExecuteIntakeCommand({ type: 'ReturnReferral', submissionId, reason: body.reason }, meta),
      ),
    );
    return { submissionId, revision: String(outcome.revision), position: String(outcome.position) };
  }

  @Get(':submissionId')
  @RequireRoles('first-responder', 'lead', 'competent-authority', 'auditor')
  @ApiQuery({
    operationId: 'getReferralSubmission',
    summary:
      "Where a submitted referral stands: submitted, accepted (with its case's status) or returned (with the reason). A first responder sees its own organisation's only",
    type: SubmissionStatusResponse,
    problems: [400, 404],
  })
  status(
    @Param('submissionId', SUBMISSION_ID) submissionId: string,
    @Req() request: FastifyRequest,
  ): Promise<SubmissionStatus> {
    return this.queries.execute(new GetSubmissionQuery(submissionId, actorOf(request)));
  }
}
