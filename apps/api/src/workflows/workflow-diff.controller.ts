import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { RequestValidationError } from '../http/request-validation';

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
  @ApiOperation({
    summary:
      'Replay-diff: re-decides every past command of the selected cases under this definition version, in order, ' +
      'and reports per case the first step that would have gone differently (rule and facts), with a summary by ' +
      'rule. `cases`: all (default), region:<region>, or case ids separated by commas. `format`: json or html.',
  })
  @ApiOkResponse({
    description: '{ definition, casesReplayed, commandsReplayed, notReconstructed, differences, summary }',
  })
  async diff(
    @Param('id') id: string,
    @Param('version') version: string,
    @Query('cases') cases: string | undefined,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReplayDiffReport | string> {
    const definition = definitionNamed(`${id}@${version}`, WORKFLOWS);
    if (typeof definition === 'string')
      throw new RequestValidationError([{ field: 'version', messages: [definition] }]);
    const selection = caseSelectionOf(cases);
    if (typeof selection === 'string') throw new RequestValidationError([{ field: 'cases', messages: [selection] }]);
    if (format !== undefined && format !== 'json' && format !== 'html') {
      throw new RequestValidationError([{ field: 'format', messages: ['format must be json or html'] }]);
    }
    const report = await replayDiff({ store: this.store, personalData: this.personalData }, definition, selection);
    if (format !== 'html') return report;
    void reply.header('Content-Type', 'text/html; charset=utf-8');
    return renderReplayDiffHtml(report);
  }
}
