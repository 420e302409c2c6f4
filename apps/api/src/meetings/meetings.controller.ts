import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CLOCK,
  ExecuteMeetingCommand,
  GetMeetingQuery,
  GetPanelQuery,
  MeetingNotFoundError,
  assemblePack,
  PERSONAL_DATA,
  type Clock,
  type CommandMeta,
  type DecisionOnCase,
} from '@harbour/application';
import { mayReadPack, NotPermittedError, type MeetingCommand, type MeetingState } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { AccessLog } from '@harbour/audit';
import type { PersonalDataProtector } from '@harbour/privacy';
import { RequireRoles } from '@harbour/security';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { actorOf, runCommand, type CommandRequest } from '../http/request-context';
import { UuidParam } from '../http/request-validation';
import { ApiCommand, ApiQuery } from '../http/openapi.decorators';
import {
  AgendaCaseDto,
  ApproveMinutesDto,
  MeetingCommandResponse,
  MeetingPackResponse,
  MeetingResponse,
  RecordAttendanceDto,
  RecordOutcomeDto,
  RemoveFromAgendaDto,
  ScheduleMeetingDto,
} from './meetings.dto';

const COMMAND_HEADERS = ['Idempotency-Key', 'If-Match', 'X-Occurred-At'] as const;

/**
 * Panel meetings (`panel-meeting-<meetingId>`): the case management unit schedules them, sets the
 * agenda from the cases listed to the panel and issues packs; the meeting's chair records
 * attendance, an outcome per case (decided, deferred, adjourned) and approves the minutes. Reads
 * are for the meeting's chair and members, the region's case managers, auditors and admins; a
 * pack is for its recipients only, and every pack read is in the access log.
 */
@ApiTags('meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('case-manager')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'scheduleMeeting',
    summary:
      'Schedule a panel meeting (MeetingScheduled). 422 `unknown-panel`, `meeting-in-the-past`, `unknown-organisation`',
    status: 201,
    type: MeetingCommandResponse,
    headers: ['Idempotency-Key', 'X-Occurred-At'],
    etag: true,
    location: true,
    problems: [],
  })
  async schedule(
    @Body() body: ScheduleMeetingDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    const response = await this.run(request, reply, {
      type: 'ScheduleMeeting',
      meetingId: body.meetingId,
      data: {
        panelId: body.panelId,
        meetingAt: new Date(body.meetingAt).toISOString(),
        venue: { kind: body.venue.kind, details: body.venue.details },
        chairId: body.chairId,
        members: body.members.map(({ memberId, organisationId, discipline }) => ({
          memberId,
          organisationId,
          discipline,
        })),
      },
    });
    void reply.header('Location', `/meetings/${body.meetingId}`);
    return response;
  }

  @Get(':meetingId')
  @RequireRoles('case-manager', 'panel-chair', 'panel-member', 'auditor', 'admin')
  @ApiQuery({
    operationId: 'getMeeting',
    summary: 'A meeting: agenda, packs issued, attendance',
    type: MeetingResponse,
    etag: true,
    problems: [400, 404],
  })
  async get(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Req() request: FastifyRequest,
  ): Promise<MeetingResponse> {
    const state = await this.readable(meetingId, request);
    return {
      meetingId: state.meetingId,
      panelId: state.panelId,
      status: state.status,
      meetingAt: state.meetingAt,
      chairId: state.chairId,
      members: state.members.map((member) => ({ ...member })),
      agenda: state.agenda.map((item) => ({
        caseId: item.caseId,
        status: item.status,
        packIssued: item.packRecipients !== null,
      })),
      attendees: state.attendees?.map((attendee) => ({ ...attendee, conflicts: [...attendee.conflicts] })) ?? null,
    };
  }

  @Post(':meetingId/agenda')
  @HttpCode(200)
  @RequireRoles('case-manager')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'addCaseToAgenda',
    summary:
      'Put a case listed to the panel on the agenda (relisting it to this meeting). 422 `case-not-listed-to-panel`',
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  add(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Body() body: AgendaCaseDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    return this.run(request, reply, { type: 'AddCaseToAgenda', meetingId, data: { caseId: body.caseId } });
  }

  @Post(':meetingId/agenda/:caseId/removal')
  @HttpCode(200)
  @RequireRoles('case-manager')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'removeCaseFromAgenda',
    summary: 'Take a case off the agenda before an outcome. 422 `case-not-on-agenda`',
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  remove(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Param('caseId', UuidParam('caseId')) caseId: string,
    @Body() body: RemoveFromAgendaDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    return this.run(request, reply, { type: 'RemoveCaseFromAgenda', meetingId, data: { caseId, reason: body.reason } });
  }

  @Post(':meetingId/packs')
  @HttpCode(200)
  @RequireRoles('case-manager')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'issuePack',
    summary: "Issue a case's pack to the chair and invited members (MeetingPackIssued, with its digest)",
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  issuePack(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Body() body: AgendaCaseDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    // The digest is computed by the handler from the case file as it stands.
    return this.run(request, reply, { type: 'IssuePack', meetingId, data: { caseId: body.caseId, packSha256: '' } });
  }

  @Get(':meetingId/packs/:caseId')
  @RequireRoles('panel-chair', 'panel-member', 'auditor')
  @ApiQuery({
    operationId: 'getMeetingPack',
    summary:
      "A case's pack: summary, lead assessment, evidence list, answers; no contact details. Logged. 403 unless a recipient",
    type: MeetingPackResponse,
    problems: [400, 404],
  })
  async pack(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Param('caseId', UuidParam('caseId')) caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<MeetingPackResponse> {
    const actor = actorOf(request);
    const { state } = await this.queries.execute(new GetMeetingQuery(meetingId));
    // Auditors read every record (and are logged like anyone else); panel roles on need to know.
    const may = actor.role === 'auditor' && state.status !== 'none' ? 'yes' : mayReadPack(state, caseId, actor.userId);
    if (may === 'not-issued')
      throw new MeetingNotFoundError(`No pack for case ${caseId} was issued at meeting ${meetingId}`);
    if (may === 'not-a-recipient') {
      throw new NotPermittedError(
        'not-on-case-panel',
        'Only the chair and the members invited to this meeting read its packs',
      );
    }
    const pack = await assemblePack(this.store, this.personalData, caseId);
    await logCaseRead(this.accessLog, request, caseId, 'GET /meetings/:meetingId/packs/:caseId');
    return pack as MeetingPackResponse;
  }

  @Post(':meetingId/attendance')
  @HttpCode(200)
  @RequireRoles('panel-chair')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'recordAttendance',
    summary: 'The chair records who attended and their conflicts per case. 422 `not-invited-to-meeting`',
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  attendance(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Body() body: RecordAttendanceDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    return this.run(request, reply, {
      type: 'RecordAttendance',
      meetingId,
      data: { attendees: body.attendees.map(({ memberId, conflicts }) => ({ memberId, conflicts })) },
    });
  }

  @Post(':meetingId/outcomes')
  @HttpCode(200)
  @RequireRoles('panel-chair')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'recordMeetingOutcome',
    summary:
      'The outcome on one case: decided (recorded on the case too), deferred or adjourned. 422 `panel-quorum-5`, `panel-discipline-missing`, `votes-do-not-support-outcome`',
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  outcome(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Body() body: RecordOutcomeDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    const decision = body.decision;
    const onCase: DecisionOnCase | undefined = decision
      ? {
          rationale: decision.rationale,
          evidenceReliedOn: decision.evidenceReliedOn,
          dissent: decision.dissent.map(({ memberId, reason }) => ({ memberId, reason })),
        }
      : undefined;
    return this.run(
      request,
      reply,
      {
        type: 'RecordCaseOutcome',
        meetingId,
        data: {
          caseId: body.caseId,
          outcome: body.outcome,
          ...(decision ? { decision: { decisionId: decision.decisionId, outcome: decision.outcome } } : {}),
          votes: body.votes.map(({ memberId, vote }) => ({ memberId, vote })),
          ...(body.chairCastingVote ? { chairCastingVote: body.chairCastingVote } : {}),
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
        },
      },
      onCase,
    );
  }

  @Post(':meetingId/minutes')
  @HttpCode(200)
  @RequireRoles('panel-chair')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'approveMinutes',
    summary: 'The chair approves the minutes; the meeting takes no more business. 422 `agenda-item-without-outcome`',
    status: 200,
    type: MeetingCommandResponse,
    headers: [...COMMAND_HEADERS],
    etag: true,
    problems: [404],
  })
  minutes(
    @Param('meetingId', UuidParam('meetingId')) meetingId: string,
    @Body() body: ApproveMinutesDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeetingCommandResponse> {
    return this.run(request, reply, { type: 'ApproveMinutes', meetingId, data: { minutes: body.minutes } });
  }

  private async run(
    request: CommandRequest,
    reply: FastifyReply,
    command: MeetingCommand,
    onCase?: DecisionOnCase,
  ): Promise<MeetingCommandResponse> {
    const outcome = await runCommand(request, reply, this.clock, (meta: CommandMeta) =>
      this.commands.execute(new ExecuteMeetingCommand(command, meta, onCase)),
    );
    return { meetingId: command.meetingId, revision: outcome.revision.toString() };
  }

  private async readable(
    meetingId: string,
    request: FastifyRequest,
  ): Promise<Extract<MeetingState, { meetingId: string }>> {
    const actor = actorOf(request);
    const { state } = await this.queries.execute(new GetMeetingQuery(meetingId));
    if (state.status === 'none') throw new MeetingNotFoundError(`No meeting ${meetingId}`);
    const onMeeting =
      actor.userId === state.chairId || state.members.some((member) => member.memberId === actor.userId);
    const panel = await this.queries.execute(new GetPanelQuery(state.panelId));
    const oversees =
      actor.role === 'auditor' ||
      actor.role === 'admin' ||
      (actor.role === 'case-manager' && panel.status === 'registered' && panel.region === actor.region);
    // Answered alike when not readable, so ids cannot be probed.
    if (!onMeeting && !oversees) throw new MeetingNotFoundError(`No meeting ${meetingId}`);
    return state;
  }
}
