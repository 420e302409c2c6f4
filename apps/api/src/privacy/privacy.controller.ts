import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CLOCK,
  EraseSubjectCommand,
  GetSubjectExportQuery,
  PlaceLegalHoldCommand,
  ReleaseLegalHoldCommand,
  type Clock,
} from '@harbour/application';
import { uuidFromName } from '@harbour/shared';
import type { AccessLog } from '@harbour/audit';
import { RequireRoles } from '@harbour/security';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { commandMetaOf, runCommand, type CommandRequest } from '../http/request-context';
import { UuidParam } from '../http/request-validation';
import { Text } from '../cases/case-commands.dto';
import { PERSONAL_DATA_ADMINS } from '../cases/read-access';
import { ApiCommand, ApiQuery } from '../http/openapi.decorators';
import { HistoryEntryResponse } from '../http/read-responses.dto';

const CASE_ID = UuidParam('caseId');
const SUBJECT_ID = UuidParam('subjectId');

/** Why an administrator acts: an administrative reference that must not identify the person. */
export class PrivacyReasonDto {
  @ApiProperty({
    example: 'Civil claim 2024/117: preserve the case file until judgment.',
    maxLength: 2000,
    description: 'Recorded in the clear for accountability: name no one.',
  })
  @Text(2000)
  reason!: string;
}

export class LegalHoldResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: true, description: 'Whether the case is on legal hold now.' })
  held!: boolean;

  @ApiProperty({
    example: '0',
    description: "Revision of the subject's `subject-<subjectId>` stream, where holds and erasure are decided.",
  })
  revision!: string;

  @ApiProperty({ example: '42' })
  position!: string;
}

export class ErasureResponse {
  @ApiProperty({ example: 'c4d2e8f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f' })
  subjectId!: string;

  @ApiProperty({ example: ['b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e'], type: [String] })
  caseIds!: string[];

  @ApiProperty({ example: '2021-10-21T09:00:00.000Z' })
  erasedAt!: string;
}

export class LegalHoldStateResponse {
  @ApiProperty({ enum: ['none', 'held', 'released'], example: 'held' })
  status!: string;

  @ApiProperty({ required: false, example: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d', description: 'held and released.' })
  holdId?: string;

  @ApiProperty({ required: false, example: '2021-10-21T09:00:00.000Z', description: 'held only.' })
  placedAt?: string;

  @ApiProperty({
    required: false,
    example: 'Civil claim 2024/117: preserve the case file until judgment.',
    description: 'held only.',
  })
  reason?: string;
}

export class SubjectErasureStateResponse {
  @ApiProperty({ enum: ['none', 'erased'], example: 'none' })
  status!: string;

  @ApiProperty({ required: false, example: '2021-10-21T09:00:00.000Z', description: 'erased only.' })
  erasedAt?: string;
}

/** One case of a subject access export. */
export class SubjectCaseExportResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: 'closed' })
  status!: string;

  @ApiProperty({ type: LegalHoldStateResponse })
  legalHold!: LegalHoldStateResponse;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The case as it stands, personal data decrypted (its shape depends on `status`).',
    example: { status: 'closed', caseId: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' },
  })
  state!: object;

  @ApiProperty({ type: [HistoryEntryResponse], description: 'Every event, oldest first, decrypted.' })
  history!: HistoryEntryResponse[];
}

/** Everything Harbour holds about a subject. */
export class SubjectExportResponse {
  @ApiProperty({ example: 'c4d2e8f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f' })
  subjectId!: string;

  @ApiProperty({ example: '2021-10-21T09:00:00.000Z' })
  exportedAt!: string;

  @ApiProperty({ type: SubjectErasureStateResponse })
  erasure!: SubjectErasureStateResponse;

  @ApiProperty({ type: [SubjectCaseExportResponse] })
  cases!: SubjectCaseExportResponse[];
}

/**
 * Personal data administration: legal holds, erasure (crypto-shredding) and subject access
 * exports. Administrators only; every change is an event, every export a logged read.
 */
@ApiTags('personal data')
@Controller()
export class PrivacyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  @Post('cases/:caseId/legal-hold')
  @HttpCode(200)
  @RequireRoles(...PERSONAL_DATA_ADMINS)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'placeLegalHold',
    summary:
      "Place a case on legal hold (LegalHoldPlaced): its subject's data may not be erased. 422 " +
      '`legal-hold-already-placed`, `subject-data-erased`',
    status: 200,
    type: LegalHoldResponse,
    headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
    etag: true,
    problems: [404, 412],
  })
  async placeHold(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: PrivacyReasonDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegalHoldResponse> {
    const outcome = await runCommand(request, reply, this.clock, (meta) =>
      this.commands.execute(
        new PlaceLegalHoldCommand(caseId, uuidFromName(`legal-hold:${meta.commandId}`), body.reason, meta),
      ),
    );
    return { caseId, held: true, revision: String(outcome.revision), position: String(outcome.position) };
  }

  @Post('cases/:caseId/legal-hold/release')
  @HttpCode(200)
  @RequireRoles(...PERSONAL_DATA_ADMINS)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'releaseLegalHold',
    summary: "Release a case's legal hold (LegalHoldReleased). 422 `no-legal-hold`",
    status: 200,
    type: LegalHoldResponse,
    headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
    etag: true,
    problems: [404, 412],
  })
  async releaseHold(
    @Param('caseId', CASE_ID) caseId: string,
    @Body() body: PrivacyReasonDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegalHoldResponse> {
    const outcome = await runCommand(request, reply, this.clock, (meta) =>
      this.commands.execute(new ReleaseLegalHoldCommand(caseId, body.reason, meta)),
    );
    return { caseId, held: false, revision: String(outcome.revision), position: String(outcome.position) };
  }

  @Post('subjects/:subjectId/erasure')
  @HttpCode(200)
  @RequireRoles(...PERSONAL_DATA_ADMINS)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'eraseSubjectData',
    summary:
      "Erase a subject's personal data (SubjectDataErased): destroys their key, so every field encrypted under it " +
      'reads [erased] everywhere; the events and their hash chain stay as they are. 422 ' +
      '`legal-hold-blocks-erasure`, `subject-already-erased`',
    status: 200,
    type: ErasureResponse,
    headers: ['Idempotency-Key', 'If-Match', 'X-Occurred-At'],
    problems: [404, 412],
  })
  async erase(
    @Param('subjectId', SUBJECT_ID) subjectId: string,
    @Body() body: PrivacyReasonDto,
    @Req() request: CommandRequest,
  ): Promise<ErasureResponse> {
    const meta = commandMetaOf(request, this.clock);
    const outcome = await this.commands.execute(new EraseSubjectCommand(subjectId, body.reason, meta));
    return { subjectId, caseIds: [...outcome.caseIds], erasedAt: outcome.erasedAt };
  }

  @Get('subjects/:subjectId/export')
  @RequireRoles(...PERSONAL_DATA_ADMINS)
  @ApiQuery({
    operationId: 'exportSubjectData',
    summary:
      'Everything held about a subject, decrypted (a subject access request): each case, its state, its whole ' +
      'history, its legal hold, and the erasure if any. Each case sent is logged (GET /audit/access)',
    description: 'The export. 404: no case holds data of this subject.',
    type: SubjectExportResponse,
    problems: [400, 404],
  })
  async export(@Param('subjectId', SUBJECT_ID) subjectId: string, @Req() request: FastifyRequest) {
    const exported = await this.queries.execute(new GetSubjectExportQuery(subjectId));
    for (const { caseId } of exported.cases) {
      await logCaseRead(this.accessLog, request, caseId, 'GET /subjects/:subjectId/export');
    }
    return exported;
  }
}
