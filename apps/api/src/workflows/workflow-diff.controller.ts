import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import {
  PERSONAL_DATA,
  caseSelectionOf,
  definitionNamed,
  renderReplayDiffHtml,
  replayDiff,
  type ReplayDiffReport,
} from '@harbour/application';
import { WORKFLOWS } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { RequireRoles } from '@harbour/security';
import { ApiQuery } from '../http/openapi.decorators';
import { RequestValidationError } from '../http/request-validation';

/** Which cases to replay, and how the report is written. */
export class ReplayDiffParams {
  @ApiPropertyOptional({
    description:
      'Which cases: all started under this workflow (default), `region:<region>`, or case ids separated by commas.',
    example: 'region:south-west',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  cases?: string;

  @ApiPropertyOptional({ enum: ['json', 'html'], default: 'json', description: 'The report as JSON or as a page.' })
  @IsOptional()
  @IsIn(['json', 'html'], { message: 'format must be json or html' })
  format?: 'json' | 'html';
}

export class ReplayDefinitionResponse {
  @ApiProperty({ example: 'nrm-pilot-2015' })
  id!: string;

  @ApiProperty({ example: 2 })
  version!: number;
}

/** Steps folded as recorded without being re-decided, by reason. */
export class NotReconstructedResponse {
  @ApiPropertyOptional({
    example: 120,
    description: 'RaiseReferral: it chooses the definition, which the diff replaces.',
  })
  referral?: number;

  @ApiPropertyOptional({ example: 31, description: "DeadlineBreached, RecoveryPeriodEnded: the scheduler's records." })
  'system-record'?: number;

  @ApiPropertyOptional({ example: 2, description: 'Steps whose personal data was erased.' })
  'personal-data-erased'?: number;
}

export class ReplayDifferenceResponse {
  @ApiProperty({ format: 'uuid', example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: '6', description: 'The revision of the recorded step that would have gone differently.' })
  revision!: string;

  @ApiProperty({ example: 'RecordDecision' })
  command!: string;

  @ApiProperty({ format: 'date-time', example: '2015-10-01T10:00:00.000Z' })
  occurredAt!: string;

  @ApiProperty({
    enum: ['refused', 'different-events'],
    example: 'refused',
    description:
      '`refused`: the other definition refuses a recorded command; `different-events`: it records otherwise.',
  })
  kind!: 'refused' | 'different-events';

  @ApiProperty({ example: 'panel-quorum-5' })
  rule!: string;

  @ApiProperty({ example: 'the panel needs 6 members present; 5 are' })
  facts!: string;
}

export class ReplayDiffSummaryRowResponse {
  @ApiProperty({ example: 'panel-quorum-5' })
  rule!: string;

  @ApiProperty({ example: 'RecordDecision' })
  command!: string;

  @ApiProperty({ enum: ['refused', 'different-events'], example: 'refused' })
  kind!: 'refused' | 'different-events';

  @ApiProperty({ example: 17 })
  cases!: number;
}

export class ReplayDiffResponse {
  @ApiProperty({ type: ReplayDefinitionResponse })
  definition!: ReplayDefinitionResponse;

  @ApiProperty({ example: 3000 })
  casesReplayed!: number;

  @ApiProperty({ example: 11774 })
  commandsReplayed!: number;

  @ApiProperty({ example: 105587 })
  eventsRead!: number;

  @ApiProperty({ type: NotReconstructedResponse })
  notReconstructed!: NotReconstructedResponse;

  @ApiProperty({
    type: [ReplayDifferenceResponse],
    description: 'Per case that would have gone differently, its first differing step.',
  })
  differences!: ReplayDifferenceResponse[];

  @ApiProperty({
    type: [ReplayDiffSummaryRowResponse],
    description: 'How many cases each rule would have stopped, at which command.',
  })
  summary!: ReplayDiffSummaryRowResponse[];
}

/**
 * Replay-diff for auditors: what a definition version would have decided differently in the
 * cases already recorded, before any region is routed to it. The report names cases, steps, rules
 * and the facts the rules state; it carries no personal data.
 */
@ApiTags('workflows')
@Controller('workflows')
export class WorkflowDiffController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  @Get(':id/versions/:version/replay-diff')
  @RequireRoles('auditor')
  @Header('Cache-Control', 'no-store')
  @ApiExtraModels(ReplayDiffResponse)
  @ApiQuery({
    operationId: 'replayDiffWorkflowVersion',
    summary:
      'Replay-diff (auditors): re-decide every past command of the selected cases under this definition version and ' +
      'report per case the first step that would have gone differently (rule and facts), with a summary by rule',
    type: ReplayDiffResponse,
    description: 'The report (JSON), or with `format=html` the same report as a page (`text/html`).',
    problems: [400],
  })
  async diff(
    @Param('id') id: string,
    @Param('version') version: string,
    @Query() { cases, format }: ReplayDiffParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReplayDiffReport | string> {
    const definition = definitionNamed(`${id}@${version}`, WORKFLOWS);
    if (typeof definition === 'string')
      throw new RequestValidationError([{ field: 'version', messages: [definition] }]);
    const selection = caseSelectionOf(cases);
    if (typeof selection === 'string') throw new RequestValidationError([{ field: 'cases', messages: [selection] }]);
    const report = await replayDiff({ store: this.store, personalData: this.personalData }, definition, selection);
    if (format !== 'html') return report;
    void reply.header('Content-Type', 'text/html; charset=utf-8');
    return renderReplayDiffHtml(report);
  }
}
