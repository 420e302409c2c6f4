import { Controller, Get, Inject, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  GetCaseDecisionsQuery,
  GetCaseSummaryQuery,
  ListCasesQuery,
  ListPanelScheduleQuery,
} from '@harbour/application';
import { AGE_GROUPS, CASE_STATUSES, EXPLOITATION_TYPES, REGIONS } from '@harbour/domain';
import { CASE_LIST_SORT_COLUMNS, MAX_CASE_LIST_LIMIT } from '@harbour/projections';
import { RequireRoles } from '@harbour/security';
import type { AccessLog } from '@harbour/audit';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { actorOf, etagOf } from '../http/request-context';
import { IsInstant, UuidParam } from '../http/request-validation';
import { MinPositionInterceptor } from '../http/min-position.interceptor';
import { CASE_READERS, PANEL_READERS } from './read-access';
import { ApiQuery } from '../http/openapi.decorators';
import { PageCursor, PageOf } from '../http/page.dto';
import { CaseSummaryResponse, DecisionRecordResponse, PanelScheduleEntryResponse } from '../http/read-responses.dto';

const CASE_ID = UuidParam('caseId');

const MIN_POSITION_HEADER = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description:
    'A position a command returned: the query waits (bounded) until the read models have reached it, else 503 with Retry-After.',
  schema: { type: 'string', pattern: '^\\d{1,19}$', example: '42' },
});

export class CaseListParams {
  @ApiPropertyOptional({ enum: REGIONS, example: 'south-west' })
  @IsOptional()
  @IsIn(REGIONS)
  region?: string;

  @ApiPropertyOptional({ enum: CASE_STATUSES, example: 'recovery' })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: AGE_GROUPS, example: 'child' })
  @IsOptional()
  @IsIn(AGE_GROUPS)
  ageGroup?: string;

  @ApiPropertyOptional({ enum: EXPLOITATION_TYPES, example: 'criminal' })
  @IsOptional()
  @IsIn(EXPLOITATION_TYPES)
  exploitationType?: string;

  @ApiPropertyOptional({ example: 'lead-1' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  leadId?: string;

  @ApiPropertyOptional({ example: '2015-09-01T00:00:00Z', description: 'Raised at or after (inclusive).' })
  @IsOptional()
  @IsInstant()
  raisedFrom?: string;

  @ApiPropertyOptional({ example: '2015-10-01T00:00:00Z', description: 'Raised before (exclusive).' })
  @IsOptional()
  @IsInstant()
  raisedTo?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'true: only cases with a recorded missed deadline still awaited; false: only those without.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ enum: CASE_LIST_SORT_COLUMNS, example: 'raised_at' })
  @IsOptional()
  @IsIn(CASE_LIST_SORT_COLUMNS)
  sort?: (typeof CASE_LIST_SORT_COLUMNS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], example: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  direction?: 'asc' | 'desc';

  @PageCursor(2000)
  cursor?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: MAX_CASE_LIST_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CASE_LIST_LIMIT)
  limit?: number;
}

export class PanelScheduleParams {
  @ApiPropertyOptional({ example: 'south-west-panel' })
  @IsOptional()
  @MaxLength(64)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'panelId must be a kebab-case id' })
  panelId?: string;

  @ApiPropertyOptional({ example: '2015-10-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2015-11-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 500, description: 'Entries per page (default 100).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @PageCursor(512)
  cursor?: string;
}

/** A page of the case list. */
export class CaseListResponse extends PageOf(CaseSummaryResponse) {}

/** A page of the panel schedule, earliest meeting first. */
export class PanelSchedulePageResponse extends PageOf(PanelScheduleEntryResponse) {}

/** Queries served from the read models (projections of the event store), never from the stream. */
@ApiTags('cases')
@Controller()
@UseInterceptors(MinPositionInterceptor)
export class CaseQueriesController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  @Get('cases')
  @RequireRoles(...CASE_READERS)
  @MIN_POSITION_HEADER
  @ApiQuery({
    operationId: 'listCases',
    summary: 'List cases (filters, sort, cursor pagination); your region or panels only',
    type: CaseListResponse,
    problems: [400],
  })
  listCases(@Query() params: CaseListParams, @Req() request: FastifyRequest) {
    return this.queries.execute(
      new ListCasesQuery(
        actorOf(request),
        {
          region: params.region,
          status: params.status,
          ageGroup: params.ageGroup,
          exploitationType: params.exploitationType,
          leadId: params.leadId,
          raisedFrom: params.raisedFrom,
          raisedTo: params.raisedTo,
          overdue: params.overdue,
        },
        { by: params.sort ?? 'raised_at', direction: params.direction ?? 'desc' },
        params.cursor,
        params.limit ?? 50,
      ),
    );
  }

  @Get('cases/:caseId')
  @RequireRoles(...CASE_READERS)
  @MIN_POSITION_HEADER
  @ApiQuery({
    operationId: 'getCaseStatus',
    summary: 'A case: status, key dates and categories (no personal data); ETag is its revision',
    description: 'The case summary from the case_status read model.',
    type: CaseSummaryResponse,
    etag: true,
    problems: [400, 404],
  })
  async getCaseStatus(
    @Param('caseId', CASE_ID) caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const summary = await this.queries.execute(new GetCaseSummaryQuery(actorOf(request), caseId));
    void reply.header('ETag', etagOf(BigInt(summary.revision)));
    return summary;
  }

  @Get('cases/:caseId/decisions')
  @RequireRoles(...CASE_READERS)
  @MIN_POSITION_HEADER
  @ApiQuery({
    operationId: 'listCaseDecisions',
    summary: 'Every decision on a case, with its facts, rationale, votes and dissent',
    description:
      'Decision records from decision_history, oldest first (a case has a few: not paged). The read is logged.',
    type: [DecisionRecordResponse],
    problems: [400, 404],
  })
  async getDecisions(@Param('caseId', CASE_ID) caseId: string, @Req() request: FastifyRequest) {
    const decisions = await this.queries.execute(new GetCaseDecisionsQuery(actorOf(request), caseId));
    // Rationales and dissent are written about the person: a read of them is logged.
    await logCaseRead(this.accessLog, request, caseId, 'GET /cases/:caseId/decisions');
    return decisions;
  }

  @Get('panels')
  @RequireRoles(...PANEL_READERS)
  @MIN_POSITION_HEADER
  @ApiQuery({
    operationId: 'listPanelSchedule',
    summary: 'Panel schedule: meetings, cases listed, members present (cursor pagination)',
    description: 'Entries from panel_schedule, earliest meeting first.',
    type: PanelSchedulePageResponse,
    problems: [400],
  })
  listPanels(@Query() params: PanelScheduleParams, @Req() request: FastifyRequest) {
    return this.queries.execute(
      new ListPanelScheduleQuery(
        actorOf(request),
        { panelId: params.panelId, from: params.from, to: params.to },
        params.limit ?? 100,
        params.cursor,
      ),
    );
  }
}
