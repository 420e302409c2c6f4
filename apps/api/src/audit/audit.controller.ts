import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import {
  AccessLog,
  MAX_HISTORY_PAGE,
  caseStateAt,
  explainRecordedDecision,
  historyPage,
  loadCase,
  revisionOfCursor,
  verifyStream,
  type LoadedCase,
} from '@harbour/audit';
import { CaseNotFoundError, InvalidHistoryError, caseStreamName } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { RequireRoles } from '@harbour/security';
import { CLOCK, PERSONAL_DATA, type Clock } from '@harbour/application';
import type { PersonalDataProtector } from '@harbour/privacy';
import { actorOf } from '../http/request-context';
import { IsInstant, RequestValidationError, UuidParam } from '../http/request-validation';
import { CASE_READERS, AUDIT_LOG_READERS, assertReadable } from '../cases/read-access';
import { ACCESS_LOG, logCaseRead } from './access-log.provider';
import { ApiQuery } from '../http/openapi.decorators';
import { PageCursor, PageOf } from '../http/page.dto';
import {
  AccessRecordResponse,
  CaseStateAsOfResponse,
  ChainVerificationResponse,
  DecisionExplanationResponse,
  HistoryEntryResponse,
} from '../http/read-responses.dto';

const CASE_ID = UuidParam('caseId');
const DECISION_ID = UuidParam('decisionId');
const REVISION = /^\d{1,19}$/;

export class HistoryParams {
  @ApiPropertyOptional({
    example: 50,
    minimum: 1,
    maximum: MAX_HISTORY_PAGE,
    description: 'Events per page (default 50).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;

  @PageCursor(200)
  cursor?: string;

  @ApiPropertyOptional({ example: '0', description: 'Start at this revision (instead of a cursor).' })
  @IsOptional()
  @Matches(REVISION, { message: 'fromRevision must be a revision number' })
  fromRevision?: string;
}

export class StateParams {
  @ApiPropertyOptional({
    example: '2015-10-01T00:00:00Z',
    description: 'Replay the events the store had recorded by this time (recorded time, not business time).',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ example: '3', description: 'Replay up to and including this revision.' })
  @IsOptional()
  @Matches(REVISION, { message: 'revision must be a revision number' })
  revision?: string;
}

export class AccessLogParams {
  @ApiPropertyOptional({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ example: 'auditor-1', description: 'The viewer (user id).' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  viewer?: string;

  @ApiPropertyOptional({ example: '2015-10-01T00:00:00Z', description: 'Inclusive; default: 7 days before `to`.' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2015-10-08T00:00:00Z',
    description: 'Exclusive; default: the end of today (UTC). At most 31 days after `from`.',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ example: 500, minimum: 1, maximum: 1000, description: 'Records per page (default 500).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @PageCursor(200)
  cursor?: string;
}

/** A page of a case's history. */
export class HistoryPageResponse extends PageOf(HistoryEntryResponse) {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: '7', description: "The revision of the case's last event." })
  headRevision!: string;
}

/** A page of the read-access log, oldest first, within the range asked for. */
export class AccessLogPageResponse extends PageOf(AccessRecordResponse) {
  @ApiProperty({ example: '2015-10-01T00:00:00.000Z', description: 'The range asked for (or defaulted): inclusive.' })
  from!: string;

  @ApiProperty({ example: '2015-10-08T00:00:00.000Z', description: 'Exclusive.' })
  to!: string;
}

const DAY_MS = 86_400_000;

/**
 * What audit teams read: a case's history, the case as it stood, why a decision stands, whether
 * its chain is intact, and who read what. Case reads are scoped like every case read (an auditor's
 * scope is every region) and each one that carries personal data or history is logged.
 */
@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  @Get('cases/:caseId/history')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'getCaseHistory',
    summary: 'Every event of a case, oldest first, paged: who, when (recorded and business time), why, ids, hashes',
    description: 'A page of events. The read is logged.',
    type: HistoryPageResponse,
    problems: [400, 404],
  })
  async history(
    @Param('caseId', CASE_ID) caseId: string,
    @Query() params: HistoryParams,
    @Req() request: FastifyRequest,
  ) {
    if (params.cursor !== undefined && params.fromRevision !== undefined) {
      throw new RequestValidationError([{ field: 'cursor', messages: ['give cursor or fromRevision, not both'] }]);
    }
    const from =
      params.cursor !== undefined
        ? revisionOfCursor(params.cursor)
        : params.fromRevision !== undefined
          ? BigInt(params.fromRevision)
          : 0n;
    const loaded = await this.readableCase(caseId, request);
    const page = historyPage(loaded, from, params.limit ?? 50);
    await logCaseRead(this.accessLog, request, caseId, 'GET /cases/:caseId/history');
    return page;
  }

  @Get('cases/:caseId/state')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'getCaseStateAsOf',
    summary:
      'The case as it stood: replayed with the domain evolve up to `asOf` or `revision` (exactly one). `asOf` ' +
      'compares the time each event was recorded, not its business time: the case as the system knew it then, late ' +
      'entries excluded. Before the case existed: 404.',
    description: 'The case replayed to that point. The read is logged.',
    type: CaseStateAsOfResponse,
    problems: [400, 404],
  })
  async state(@Param('caseId', CASE_ID) caseId: string, @Query() params: StateParams, @Req() request: FastifyRequest) {
    if ((params.asOf === undefined) === (params.revision === undefined)) {
      throw new RequestValidationError([
        { field: params.asOf === undefined ? 'asOf' : 'revision', messages: ['give exactly one of asOf and revision'] },
      ]);
    }
    const loaded = await this.readableCase(caseId, request);
    const result = caseStateAt(
      loaded,
      params.asOf !== undefined ? { asOf: new Date(params.asOf) } : { revision: BigInt(params.revision!) },
    );
    await logCaseRead(this.accessLog, request, caseId, 'GET /cases/:caseId/state');
    return result;
  }

  @Get('cases/:caseId/decisions/:decisionId/explain')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'explainDecision',
    summary:
      'Why a decision stands: the decision event, the case just before it, the workflow definition in force, and ' +
      'each rule it had to satisfy with the facts that satisfied it',
    description: 'The explanation. The read is logged.',
    type: DecisionExplanationResponse,
    problems: [400, 404],
  })
  async explain(
    @Param('caseId', CASE_ID) caseId: string,
    @Param('decisionId', DECISION_ID) decisionId: string,
    @Req() request: FastifyRequest,
  ) {
    const loaded = await this.readableCase(caseId, request);
    const explained = explainRecordedDecision(loaded, decisionId);
    await logCaseRead(this.accessLog, request, caseId, 'GET /cases/:caseId/decisions/:decisionId/explain');
    return explained;
  }

  @Get('cases/:caseId/verify')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'verifyCaseChain',
    summary:
      "Checks every link of the case's hash chain and names the first broken event (stream, revision, position, problem)",
    description: 'The outcome. Hashes only: no personal data.',
    type: ChainVerificationResponse,
    problems: [400, 404],
  })
  async verify(@Param('caseId', CASE_ID) caseId: string, @Req() request: FastifyRequest) {
    // Scope is checked on the folded case; a stream too damaged to fold is still verified.
    let loaded: LoadedCase | undefined;
    try {
      loaded = await loadCase(this.store, caseId);
    } catch (error) {
      if (!(error instanceof InvalidHistoryError)) throw error;
    }
    if (loaded) this.checkScope(loaded, request);
    // A case that cannot be folded cannot be scoped: only those who read every case learn of it.
    else if (!(AUDIT_LOG_READERS as readonly string[]).includes(actorOf(request).role)) {
      throw new CaseNotFoundError(caseId);
    }
    return { caseId, ...(await verifyStream(this.store, caseStreamName(caseId))) };
  }

  @Get('audit/access')
  @RequireRoles(...AUDIT_LOG_READERS)
  @ApiQuery({
    operationId: 'listCaseReads',
    summary: 'The read-access log: who was sent which case, when and through what; at most 31 days per query',
    description: 'A page of reads, oldest first.',
    type: AccessLogPageResponse,
    problems: [400],
  })
  async accessLogEntries(@Query() params: AccessLogParams) {
    // By default, up to the end of today (UTC), so a read made this instant is included.
    const to = params.to !== undefined ? new Date(params.to) : endOfUtcDay(this.clock.now());
    const from = params.from !== undefined ? new Date(params.from) : new Date(to.getTime() - 7 * DAY_MS);
    const page = await this.accessLog.list({
      caseId: params.caseId?.toLowerCase(),
      viewer: params.viewer,
      from,
      to,
      limit: params.limit ?? 500,
      ...(params.cursor === undefined ? {} : { cursor: params.cursor }),
    });
    return { from: from.toISOString(), to: to.toISOString(), ...page };
  }

  /** The case with its personal data decrypted (or `[erased]`), if the caller may read it. */
  private async readableCase(caseId: string, request: FastifyRequest): Promise<LoadedCase> {
    const loaded = await loadCase(this.store, caseId, (events) => this.personalData.openAll(events));
    this.checkScope(loaded, request);
    return loaded;
  }

  private checkScope(loaded: LoadedCase, request: FastifyRequest): void {
    if (loaded.state.status === 'none') throw new Error('unreachable: a loaded case exists');
    assertReadable(loaded.state, actorOf(request));
  }
}

function endOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}
