import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { GetCaseQuery, type LetterStore } from '@harbour/application';
import type { AccessLog } from '@harbour/audit';
import { RequireRoles } from '@harbour/security';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { assertReadable, CASE_READERS } from '../cases/read-access';
import { actorOf } from '../http/request-context';
import { UuidParam } from '../http/request-validation';
import { ApiQuery } from '../http/openapi.decorators';
import { LETTER_STORE } from './letters.host';

export class LetterMessageResponse {
  @ApiProperty({ enum: ['person', 'first-responder', 'support-provider', 'local-authority'], example: 'person' })
  recipient!: string;
  @ApiProperty({ enum: ['email', 'post'], example: 'email' })
  channel!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'], example: 'sent' })
  status!: string;
  @ApiProperty({ example: 1 })
  attempts!: number;
  @ApiProperty({ example: '<5b1f0e2a-1c2d-4e3f-8a9b-0c1d2e3f4a5b@harbour.invalid>' })
  messageId!: string;
}

export class LetterResponse {
  @ApiProperty({ example: '5b1f0e2a-1c2d-4e3f-8a9b-0c1d2e3f4a5b' })
  letterId!: string;
  @ApiProperty({ example: '2d0b4e66-3f40-4b7c-8d8e-9fa0b1c2d3e4' })
  decisionId!: string;
  @ApiProperty({ example: '2015-10-20T12:00:00.000Z' })
  issuedAt!: string;
  @ApiProperty({ example: 1 })
  templateVersion!: number;
  @ApiProperty({ example: 'a3f5…', description: 'SHA-256 of the HTML, as DecisionLetterIssued records it.' })
  htmlSha256!: string;
  @ApiProperty({ example: 'b4e6…', description: 'SHA-256 of the PDF, as DecisionLetterIssued records it.' })
  pdfSha256!: string;
  @ApiProperty({ type: [LetterMessageResponse] })
  messages!: LetterMessageResponse[];
}

export class LetterPageResponse {
  @ApiProperty({ type: [LetterResponse] })
  items!: LetterResponse[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Always null: a case has few letters.' })
  nextCursor!: string | null;
}

export class LetterDocumentResponse {
  @ApiProperty({ example: '5b1f0e2a-1c2d-4e3f-8a9b-0c1d2e3f4a5b' })
  letterId!: string;
  @ApiProperty({ example: '<!doctype html>…' })
  html!: string;
  @ApiProperty({ example: 'JVBERi0xLjcK…', description: 'The PDF, base64-encoded.' })
  pdfBase64!: string;
  @ApiProperty({ example: 'a3f5…' })
  htmlSha256!: string;
  @ApiProperty({ example: 'b4e6…' })
  pdfSha256!: string;
}

/**
 * A case's decision letters, for those who may read the case (region and panel scoping apply):
 * the list with each message's status, and each document; every document read is logged.
 */
@ApiTags('letters')
@Controller('cases/:caseId/letters')
export class LettersController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LETTER_STORE) private readonly letters: LetterStore,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'listCaseLetters',
    summary: "A case's decision letters and their messages",
    type: LetterPageResponse,
    problems: [400, 404],
  })
  async list(
    @Param('caseId', UuidParam('caseId')) caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<LetterPageResponse> {
    await this.readable(caseId, request);
    const items = this.letters.lettersOfCase(caseId).map((letter) => ({
      letterId: letter.letterId,
      decisionId: letter.decisionId,
      issuedAt: letter.issuedAt,
      templateVersion: letter.templateVersion,
      htmlSha256: letter.htmlSha256,
      pdfSha256: letter.pdfSha256,
      messages: this.letters.messagesOf(letter.letterId).map(({ recipient, channel, status, attempts, messageId }) => ({
        recipient,
        channel,
        status,
        attempts,
        messageId,
      })),
    }));
    return { items, nextCursor: null };
  }

  @Get(':letterId')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'getCaseLetter',
    summary: 'A decision letter: its HTML and its PDF (base64), as sent (logged)',
    type: LetterDocumentResponse,
    problems: [400, 404],
  })
  async document(
    @Param('caseId', UuidParam('caseId')) caseId: string,
    @Param('letterId', UuidParam('letterId')) letterId: string,
    @Req() request: FastifyRequest,
  ): Promise<LetterDocumentResponse> {
    const letter = await this.letter(caseId, letterId, request, 'GET /cases/:caseId/letters/:letterId');
    return {
      letterId: letter.letterId,
      html: letter.html,
      pdfBase64: letter.pdf.toString('base64'),
      htmlSha256: letter.htmlSha256,
      pdfSha256: letter.pdfSha256,
    };
  }

  private async letter(caseId: string, letterId: string, request: FastifyRequest, endpoint: string) {
    await this.readable(caseId, request);
    const letter = this.letters.letter(letterId);
    if (!letter || letter.caseId !== caseId) throw new LetterNotFoundError(letterId);
    await logCaseRead(this.accessLog, request, caseId, endpoint);
    return letter;
  }

  private async readable(caseId: string, request: FastifyRequest): Promise<void> {
    const view = await this.queries.execute(new GetCaseQuery(caseId));
    if (view.state.status === 'none') throw new LetterNotFoundError(caseId);
    assertReadable(view.state, actorOf(request));
  }
}

/** No such letter on the case (HTTP 404). */
export class LetterNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(id: string) {
    super(`No letter ${id} on this case`);
    this.name = 'LetterNotFoundError';
  }
}
